/**
 * Isolation for untrusted code: builds and app instances run through {@link
 * dev.pier.sandbox.Sandbox} as a per-app unprivileged uid inside bubblewrap namespaces.
 *
 * <pre>
 *   sh (open env file as fd 3, delete it, join cgroups) -> setpriv (uid/gid, no caps, no-new-privs)
 *     -> bwrap (namespaces, mounts, --args 3: the environment) -> app
 * </pre>
 */
package dev.pier.sandbox;
