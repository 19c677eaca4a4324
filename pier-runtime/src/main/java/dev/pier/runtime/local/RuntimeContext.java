package dev.pier.runtime.local;

import dev.pier.sandbox.Cgroups;
import dev.pier.runtime.InstanceListener;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.NetworkGuard;
import dev.pier.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/** What every {@link InstanceSupervisor} of one backend shares. */
record RuntimeContext(
    Path runDir,
    Sandbox sandbox,
    InstanceListener listener,
    InstantSource clock,
    Cgroups cgroups,
    PortAllocator ports,
    RestartPolicy restartPolicy,
    Duration bootTimeout,
    Spawner spawner,
    NetworkGuard network,
    Disks disks) {}
