/** Releases: immutable numbered slug + config + process types, pending until they first run. */
package dev.pier.release;
