/** PostgreSQL 15 add-ons: a cluster per add-on, pg_dump/pg_restore backups. */
package dev.pier.datastores.postgres;
