package dev.pier.sandbox;

import java.nio.file.Path;

/** A host directory made visible inside the sandbox at {@code target}, read-only unless writable. */
public record Mount(Path source, String target, boolean writable) {
  public static Mount readOnly(Path source, String target) {
    return new Mount(source, target, false);
  }

  public static Mount writable(Path source, String target) {
    return new Mount(source, target, true);
  }
}
