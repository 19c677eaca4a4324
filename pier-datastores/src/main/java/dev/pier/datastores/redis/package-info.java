/** Redis add-ons: a redis-server per add-on with ACL users, and a minimal RESP client. */
package dev.pier.datastores.redis;
