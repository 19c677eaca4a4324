package dev.pier.build.java;

import dev.pier.build.AppYaml;
import dev.pier.build.BuildFailure;
import dev.pier.build.lang.SourceFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java version an app asks for: {@code java.runtime.version} in {@code system.properties}
 * (Heroku's way: {@code 17}, {@code 21.0.2}, {@code 1.8}, {@code zulu-17}), else app.yaml's
 * {@code runtime: java17} (App Engine's way), else nothing.
 *
 * @param major the feature release asked for, or null when the app does not say
 * @param source where it was asked, e.g. {@code system.properties java.runtime.version=21}
 */
public record JavaVersionRequest(Integer major, String source) {
  public static final String SYSTEM_PROPERTIES = "system.properties";
  static final String KEY = "java.runtime.version";

  private static final Pattern APP_YAML_RUNTIME = Pattern.compile("java(\\d*)");
  private static final Pattern VENDOR_PREFIX = Pattern.compile("^[A-Za-z-]*-(?=\\d)");

  /** The request of an app that names no version. */
  public static final JavaVersionRequest NONE = new JavaVersionRequest(null, null);

  /**
   * Reads the request from the source tree.
   *
   * @throws BuildFailure when {@code java.runtime.version} is set to something that is not a
   *     Java version
   */
  public static JavaVersionRequest of(Path dir) throws BuildFailure {
    Optional<String> props = SourceFiles.read(dir, SYSTEM_PROPERTIES);
    if (props.isPresent()) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(props.get()));
      } catch (IOException | IllegalArgumentException e) {
        throw new BuildFailure(SYSTEM_PROPERTIES + ": " + e.getMessage());
      }
      String value = p.getProperty(KEY);
      if (value != null && !value.isBlank()) {
        String version = VENDOR_PREFIX.matcher(value.strip()).replaceFirst("");
        Integer major = Jdks.majorOf(version);
        if (major == null) {
          throw new BuildFailure(SYSTEM_PROPERTIES + ": " + KEY + "=" + value.strip()
              + " is not a Java version (for example " + KEY + "=17)");
        }
        return new JavaVersionRequest(major, SYSTEM_PROPERTIES + " " + KEY + "=" + value.strip());
      }
    }
    Optional<String> runtime = SourceFiles.appYamlRuntime(dir);
    if (runtime.isPresent()) {
      Matcher m = APP_YAML_RUNTIME.matcher(runtime.get());
      if (m.matches() && !m.group(1).isEmpty()) {
        return new JavaVersionRequest(Integer.parseInt(m.group(1)),
            AppYaml.FILE_NAME + " runtime: " + runtime.get());
      }
    }
    return NONE;
  }

  /** True when app.yaml's runtime is {@code java} or {@code javaNN}. */
  static boolean appYamlSaysJava(Path dir) {
    return SourceFiles.appYamlRuntime(dir).map(r -> APP_YAML_RUNTIME.matcher(r).matches()).orElse(false);
  }
}
