package dev.pier.build.custom;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a buildpack an app asks for comes from, as {@code pier buildpacks:set} takes it: the name
 * of a built-in buildpack ({@code nodejs}, also {@code heroku/nodejs}), a git URL ({@code
 * https://host/repo.git#ref}, {@code file:///srv/bp.git}), a tarball ({@code .tgz} or {@code
 * .tar.gz}, by URL or absolute path) or a directory on the server (an absolute path). {@link
 * #toString()} is the form stored and shown.
 */
public sealed interface BuildpackSource {
  /** Longest accepted source text. */
  int MAX_LENGTH = 2000;

  /** A buildpack built into Pier. */
  record BuiltIn(String name) implements BuildpackSource {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A git repository cloned with {@code --depth 1}.
   *
   * @param url an http, https, git or file URL
   * @param ref the branch or tag after {@code #}, or null for the default branch
   */
  record Git(String url, String ref) implements BuildpackSource {
    @Override
    public String toString() {
      return ref == null ? url : url + "#" + ref;
    }
  }

  /** A gzipped tar of a buildpack, from an http(s) URL or a file on the server ({@code file} or an absolute path). */
  record Tarball(String location) implements BuildpackSource {
    /** The file on the server, or null when it is downloaded. */
    public Path file() {
      if (location.startsWith("/")) return Path.of(location);
      if (location.startsWith("file:")) return Path.of(URI.create(location));
      return null;
    }

    @Override
    public String toString() {
      return location;
    }
  }

  /** A directory on the server holding {@code bin/detect} and {@code bin/compile}. */
  record Directory(Path path) implements BuildpackSource {
    @Override
    public String toString() {
      return path.toString();
    }
  }

  /**
   * Parses what a user typed.
   *
   * @param builtIns the names of the built-in buildpacks
   * @throws IllegalArgumentException with a reason a user can act on
   */
  static BuildpackSource parse(String text, Collection<String> builtIns) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty buildpack: give a name (" + String.join(", ", builtIns)
          + "), a git URL, a tarball or a directory on the server");
    }
    String s = text.strip();
    if (s.length() > MAX_LENGTH) throw new IllegalArgumentException("buildpack is longer than " + MAX_LENGTH + " characters");
    if (s.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("buildpack '" + printable(s) + "' contains spaces or control characters");
    }
    if (s.startsWith("/")) return path(s);
    int colon = s.indexOf(':');
    if (colon > 0 && s.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) return url(s);
    String name = s.toLowerCase(Locale.ROOT);
    if (name.startsWith("heroku/")) name = name.substring("heroku/".length());
    if (builtIns.contains(name)) return new BuiltIn(name);
    if (s.startsWith(".") || s.contains("/")) {
      throw new IllegalArgumentException("buildpack path '" + printable(s) + "' must be absolute (a directory on the Pier server)");
    }
    throw new IllegalArgumentException("unknown buildpack '" + printable(s) + "': use a built-in name ("
        + String.join(", ", builtIns) + "), a git URL, a .tgz URL or a directory on the server");
  }

  private static BuildpackSource path(String s) {
    Path p = Path.of(s).normalize();
    if (!p.toString().equals(s.replaceAll("/+$", "")) && !s.equals("/")) {
      throw new IllegalArgumentException("buildpack path '" + printable(s) + "' must be normalised (no . or .. parts)");
    }
    if (isTarball(s)) return new Tarball(p.toString());
    return new Directory(p);
  }

  /** The form a git branch or tag after {@code #} must have. */
  Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

  private static BuildpackSource url(String s) {
    int hash = s.indexOf('#');
    String location = hash < 0 ? s : s.substring(0, hash);
    String ref = hash < 0 ? null : s.substring(hash + 1);
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("buildpack URL '" + printable(s) + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http", "https", "git" -> {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
          throw new IllegalArgumentException("buildpack URL '" + printable(s) + "' has no host");
        }
      }
      case "file" -> {
        if (uri.getPath() == null || !uri.getPath().startsWith("/") || (uri.getHost() != null && !uri.getHost().isEmpty())) {
          throw new IllegalArgumentException("buildpack URL '" + printable(s) + "' must be file:///ABSOLUTE/PATH");
        }
      }
      default -> throw new IllegalArgumentException("buildpack URL scheme '" + scheme + ":' is not supported:"
          + " use https://, http://, git:// or file:// (ssh needs keys Pier does not have)");
    }
    if (isTarball(uri.getPath() == null ? "" : uri.getPath()) && !scheme.equals("git")) {
      if (ref != null) throw new IllegalArgumentException("a tarball buildpack takes no #ref: " + printable(s));
      return new Tarball(location);
    }
    if (ref != null && (!REF.matcher(ref).matches() || ref.contains(".."))) {
      throw new IllegalArgumentException("buildpack ref '" + printable(ref) + "' is not a branch or tag name");
    }
    return new Git(location, ref);
  }

  private static boolean isTarball(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".tgz") || p.endsWith(".tar.gz");
  }

  private static String printable(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return shown.replaceAll("[^\\x21-\\x7e]", "?");
  }
}
