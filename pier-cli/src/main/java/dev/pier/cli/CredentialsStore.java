package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The saved login, {@code $HOME/.config/pier/credentials.json}: {@code {"api":...,"token":...}},
 * mode 0600 in a 0700 directory.
 */
final class CredentialsStore {
  private final Path file;

  CredentialsStore(Path file) {
    this.file = file;
  }

  /** Returns the store under the given home directory. */
  static CredentialsStore in(Path home) {
    return new CredentialsStore(home.resolve(".config").resolve("pier").resolve("credentials.json"));
  }

  Path file() {
    return file;
  }

  /**
   * Returns the saved credentials, or empty when there is no file.
   *
   * @throws CliException when the file exists but cannot be read or parsed
   */
  Optional<Credentials> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = Json.MAPPER.readTree(file.toFile());
      String api = json.path("api").asText(null);
      String token = json.path("token").asText(null);
      if (token == null) {
        return Optional.empty();
      }
      return Optional.of(new Credentials(api == null ? Credentials.DEFAULT_API : api, token));
    } catch (IOException | CliException e) {
      throw new CliException(
          "Cannot read " + file + " (" + e.getMessage() + "): run `pier login` again");
    }
  }

  /** Saves the credentials, replacing any previous ones, readable by the owner only. */
  void save(Credentials credentials) throws IOException {
    SecureFiles.ownerOnlyDirectory(file.getParent());
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("api", credentials.api());
    json.put("token", credentials.token());
    SecureFiles.writeOwnerOnly(file, Json.pretty(json) + "\n");
  }
}
