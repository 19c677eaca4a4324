package dev.pier.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run in a sandbox.
 *
 * @param user the uid/gid to drop to, or null to keep the current user (only when Pier itself is
 *     not root, for development machines)
 * @param appDir host directory bound writable at {@code /app}, the working directory
 * @param mounts further binds (build caches, buildpack directories)
 * @param env the whole environment: nothing of Pier's own environment leaks in
 * @param command argv run inside the sandbox
 * @param cgroupProcs {@code cgroup.procs} files the process joins before it starts, so that every
 *     process it forks is accounted, limited and killable through them
 * @param endsWithCommand true to end the sandbox when the command exits: it then runs as the
 *     sandbox's pid 1 (bwrap {@code --as-pid-1}), so the kernel kills whatever it left behind
 *     (daemons of a build step); false to let bwrap's init run it, which keeps the sandbox until
 *     its last process exits
 * @param tmpBytes the size of the sandbox's private {@code /tmp} (a tmpfs: its pages count as the
 *     writer's memory); writes past it fail with ENOSPC. 0 for no cap of its own
 */
public record SandboxSpec(
    AppUser user,
    Path appDir,
    List<Mount> mounts,
    Map<String, String> env,
    List<String> command,
    List<Path> cgroupProcs,
    boolean endsWithCommand,
    long tmpBytes) {
  /** A sandbox that lasts until its last process exits. */
  public SandboxSpec(
      AppUser user, Path appDir, List<Mount> mounts, Map<String, String> env, List<String> command,
      List<Path> cgroupProcs) {
    this(user, appDir, mounts, env, command, cgroupProcs, false);
  }

  /** A sandbox whose {@code /tmp} is not capped by a size of its own. */
  public SandboxSpec(
      AppUser user, Path appDir, List<Mount> mounts, Map<String, String> env, List<String> command,
      List<Path> cgroupProcs, boolean endsWithCommand) {
    this(user, appDir, mounts, env, command, cgroupProcs, endsWithCommand, 0);
  }

  public SandboxSpec {
    mounts = List.copyOf(mounts);
    env = Map.copyOf(env);
    command = List.copyOf(command);
    cgroupProcs = List.copyOf(cgroupProcs);
    if (command.isEmpty()) throw new IllegalArgumentException("empty command");
    if (tmpBytes < 0) throw new IllegalArgumentException("negative /tmp size: " + tmpBytes);
  }
}
