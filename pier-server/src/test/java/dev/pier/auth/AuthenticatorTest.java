package dev.pier.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  @TempDir Path tmp;

  @Test
  void firstStartGeneratesAnOwnerOnlyTokenThatLaterStartsReuse() throws Exception {
    Path file = tmp.resolve("admin-token");
    Authenticator.Loaded first = Authenticator.load(file, null);
    assertThat(first.generated()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Authenticator.Loaded second = Authenticator.load(file, null);
    assertThat(second.generated()).isFalse();
    assertThat(second.token()).isEqualTo(first.token());
    assertThat(second.authenticator().userForBearer("Bearer " + first.token())).isEqualTo("admin");
  }

  @Test
  void presetTokenWinsAndWrongTokensAreRefused() {
    Authenticator auth = Authenticator.load(tmp.resolve("t"), "preset-token-0123456789").authenticator();
    assertThat(auth.userForBearer("Bearer preset-token-0123456789")).isEqualTo("admin");
    assertThat(auth.userForBearer("Bearer preset-token-012345678")).isNull();
    assertThat(auth.userForBearer(null)).isNull();
    assertThat(auth.userForBearer("preset-token-0123456789")).isNull();
  }

  @Test
  void basicAuthTakesAnyUserAndTheTokenAsPassword() {
    Authenticator auth = Authenticator.load(tmp.resolve("t"), "preset-token-0123456789").authenticator();
    assertThat(auth.userForBasic(basic("anyone:preset-token-0123456789"))).isEqualTo("admin");
    assertThat(auth.userForBasic(basic("anyone:wrong"))).isNull();
    assertThat(auth.userForBasic("Basic !!!not-base64")).isNull();
  }

  @Test
  void aTokenWithSpacesAroundItIsADifferentTokenAndIsRefused() {
    Authenticator auth = Authenticator.load(tmp.resolve("t"), "preset-token-0123456789").authenticator();
    assertThat(auth.userForBearer("Bearer preset-token-0123456789 ")).isNull();
    assertThat(auth.userForBearer("Bearer  preset-token-0123456789")).isNull();
    assertThat(auth.userForBearer("Bearer preset-token-0123456789\t")).isNull();
    assertThat(auth.userForBasic(basic("anyone:preset-token-0123456789 "))).isNull();
    assertThat(auth.userForBasic(basic("anyone: preset-token-0123456789"))).isNull();
    assertThat(auth.userForBasic(basic("anyone:preset-token-0123456789") + " ")).isNull();
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }
}
