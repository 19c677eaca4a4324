/** memcached add-ons: a memcached per add-on with SASL, and a minimal binary-protocol client. */
package dev.pier.datastores.memcached;
