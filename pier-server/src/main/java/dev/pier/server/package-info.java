/**
 * The process: flags and environment ({@code Main}, {@code Settings}), wiring of every part
 * ({@code PlatformServer.start}) and the guards of its ports ({@code ApiConnectionGuard}).
 */
package dev.pier.server;
