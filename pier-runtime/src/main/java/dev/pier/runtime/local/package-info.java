/**
 * The local runtime backend: instances run as sandboxed processes on this machine.
 *
 * <pre>
 *   LocalRuntimeBackend --one per instance--> InstanceSupervisor (virtual thread, restart loop)
 *      per run:  PortAllocator (loopback port)
 *                InstanceDirectory + SlugExtractor (fresh /app, chowned to the app uid)
 *                Cgroups -> Cgroup (pier-sandbox; v1 or v2: memory.max, pids.max, rss, cpu; or none)
 *                Launch + Spawner (one long-lived thread): sh joins cgroups -> setpriv -> bwrap -> sh -c CMD
 *                OutputPump (virtual thread, lines -> InstanceListener.output)
 *                InstanceProcesses (SIGTERM / SIGKILL every pid of the cgroup or process tree)
 * </pre>
 *
 * Crashes are restarted after {@link dev.pier.runtime.local.RestartPolicy} delays. Only {@link
 * dev.pier.runtime.local.LocalRuntimeBackend} and its tunables ({@code Options},
 * {@code PortAllocator}, {@code RestartPolicy}) are public.
 */
package dev.pier.runtime.local;
