/**
 * What Pier keeps on disk: the data directory layout ({@code DataDirs}), the state database
 * ({@code Database}: H2, append-only chunks, fsync before acknowledging, versioned migrations),
 * the apps' git repositories ({@code Repositories}, fsynced objects and refs), the disk reserve
 * ({@code DiskSpace}) and file fsync ({@code Fsync}).
 */
package dev.pier.store;
