/**
 * Language runtimes shared by releases rather than carried in their slugs: the cached Node.js a
 * slug names ({@code .pier-node}) is bound read-only into each of its instances.
 *
 * <pre>
 *   InstanceSpecs -> NodeRuntimes.mounts(slug) -> SlugNodeVersion (read once per slug)
 *     -> RuntimeMount(DATA/runtimes/node/V, /opt/pier/node, restore: download again, checked)
 *     -> pier-runtime: restored at start if missing, else the start fails with the reason
 * </pre>
 */
package dev.pier.runtimes;
