package dev.pier.deploy;

import dev.pier.errors.PlatformException;
import dev.pier.runtime.InstanceStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ps:restart} addresses: a process type ({@code web}) or an instance name
 * ({@code web.1}), optionally of one version ({@code web.1@v3}, {@code web@v3}; {@code @3} is
 * accepted too). Without a version it means every running version's.
 *
 * @param name the type or instance name
 * @param version the version, or null for every version
 */
public record InstanceAddress(String name, Integer version) {
  private static final Pattern FORM = Pattern.compile("([^@]+)@v?([0-9]{1,9})");

  /** Parses {@code web}, {@code web.1}, {@code web.1@v3} or {@code web@3}; null stays null. */
  public static InstanceAddress parse(String text) {
    if (text == null) return null;
    if (!text.contains("@")) return new InstanceAddress(text, null);
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw PlatformException.invalid("'" + text + "' is no instance address: use TYPE, TYPE.N, TYPE@vN or TYPE.N@vN"
          + " (for example web.1@v3)");
    }
    return new InstanceAddress(m.group(1), Integer.parseInt(m.group(2)));
  }

  /** True for an instance name ({@code web.1}), false for a process type. */
  public boolean isInstance() {
    return name.contains(".");
  }

  /** The instance is of this type or name and, when one is given, of this version. */
  public boolean matches(InstanceStatus s) {
    if (version != null && s.release() != version) return false;
    return name.equals(s.type()) || name.equals(s.name());
  }

  /** {@code web.1@v3}: an instance's name qualified by its version. */
  public static String qualified(InstanceStatus s) {
    return s.name() + "@v" + s.release();
  }

  @Override
  public String toString() {
    return version == null ? name : name + "@v" + version;
  }
}
