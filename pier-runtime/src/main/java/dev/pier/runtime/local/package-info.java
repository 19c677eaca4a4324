/**
 * The local runtime backend: instances run as sandboxed processes on this machine, listening on
 * {@code 127.0.0.1} (the {@code host} of their status) at a port of their own.
 *
 * <pre>
 *   LocalRuntimeBackend --one per instance--> InstanceSupervisor (virtual thread, restart loop)
 *      per run:  PortAllocator (loopback port)
 *                InstanceDirectory + SlugExtractor (fresh /app from the SlugSource stream, chowned to the app uid)
 *                RuntimeMounts (each RuntimeMount's source there, else restored, else FAILED_TO_START)
 *                Cgroups -> Cgroup (pier-sandbox; v1 or v2: memory, pids, CPU quota; rss, cpu; or none)
 *                Launch + Spawner (one long-lived thread): sh joins cgroups -> setpriv -> bwrap (runtime
 *                  mounts --ro-bind) -> sh -c CMD
 *                OutputPump (virtual thread, lines -> InstanceListener.output)
 *                InstanceProcesses (SIGTERM / SIGKILL every pid of the cgroup or process tree)
 * </pre>
 *
 * Crashed services are restarted after {@link dev.pier.runtime.local.RestartPolicy} delays; tasks
 * are not, and their supervisor stays as the record of the run until stopped. Only {@link
 * dev.pier.runtime.local.LocalRuntimeBackend} and its tunables ({@code Options},
 * {@code PortAllocator}, {@code RestartPolicy}) are public.
 */
package dev.pier.runtime.local;
