/**
 * Isolation for untrusted code: builds and app instances run through {@link
 * dev.pier.sandbox.Sandbox} as a per-app unprivileged uid inside bubblewrap namespaces.
 *
 * <pre>
 *   sh (join cgroups) -> setpriv (uid/gid, no caps, no-new-privs) -> bwrap (namespaces, mounts) -> app
 * </pre>
 */
package dev.pier.sandbox;
