/**
 * The process: flags and environment ({@code Main}, {@code Settings}), wiring of every part
 * ({@code PlatformServer.start}), and the domain failures ({@code PlatformException},
 * {@code Problem}) that the API and the git receiver map to the wire.
 */
package dev.pier.server;
