/**
 * The consistency check of the state store, the git repositories and the files on disk: run at
 * every start to repair what a crash left half done, and on demand ({@code GET /doctor},
 * {@code pier doctor}) to report.
 *
 * <pre>
 *   PlatformServer.start -> Doctor.check(REPAIR) -> findings -> server log, app log, GET /doctor
 * </pre>
 */
package dev.pier.doctor;
