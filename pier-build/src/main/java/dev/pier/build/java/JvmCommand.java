package dev.pier.build.java;

/**
 * The command line that starts a jar in an instance, with the heap sized to the instance's memory
 * limit.
 *
 * <p>The JVM cannot find that limit itself inside Pier's sandbox: it reads cgroup limits through
 * {@code /sys/fs/cgroup}, which the sandbox does not mount, so it would size its heap from the
 * host's RAM. Instances get their limit in {@code MEMORY_LIMIT} (Cloud Foundry's name, e.g. {@code
 * 512m}); {@code -XX:MaxRAM} makes the JVM take that as the machine's memory and {@code
 * -XX:MaxRAMPercentage} gives the heap {@value #HEAP_PERCENT}% of it, leaving the rest for
 * metaspace, thread stacks and the code cache.
 */
public final class JvmCommand {
  /** Heap share of the instance's memory; 75 left too little for a small Jetty app in 256 MB. */
  public static final int HEAP_PERCENT = 70;

  /** The memory flags, as shell words (expanded by {@code /bin/sh -c} when the instance starts). */
  public static final String MEMORY_FLAGS =
      "-XX:MaxRAM=${MEMORY_LIMIT:-512m} -XX:MaxRAMPercentage=" + HEAP_PERCENT;

  private JvmCommand() {}

  /** {@code java <memory flags> $JAVA_OPTS [-Dserver.port=$PORT] -jar JAR}. */
  public static String forJar(RunnableJar jar) {
    return "java " + MEMORY_FLAGS + " $JAVA_OPTS"
        + (jar.springBoot() ? " -Dserver.port=$PORT" : "")
        + " -jar " + jar.relativePath();
  }
}
