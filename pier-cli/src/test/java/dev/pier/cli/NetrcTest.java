package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetrcTest {
  @Test
  void anEntryIsAddedToAnEmptyFile() {
    assertThat(Netrc.withMachine("", "localhost", "pier", "t1"))
        .isEqualTo("machine localhost login pier password t1\n");
  }

  @Test
  void anEntryIsAppendedAfterAFileWithoutFinalNewline() {
    assertThat(Netrc.withMachine("machine a login b password c", "localhost", "pier", "t1"))
        .isEqualTo("machine a login b password c\nmachine localhost login pier password t1\n");
  }

  @Test
  void everyEntryForTheHostIsReplacedByOneAndTheRestIsKept() {
    String before = """
        # my logins
        machine localhost login pier password old1
        macdef init
        machine localhost inside a macro stays

        machine other login o password p
        machine LOCALHOST login pier password old2
        default login anonymous password me@example.org
        """;

    assertThat(Netrc.withMachine(before, "localhost", "pier", "new"))
        .isEqualTo("""
            # my logins
            machine localhost login pier password new
            machine other login o password p
            default login anonymous password me@example.org
            """);
  }

  @Test
  void aPasswordWithSpacesIsQuoted() {
    assertThat(Netrc.withMachine("", "h", "pier", "a b\"c"))
        .isEqualTo("machine h login pier password \"a b\\\"c\"\n");
  }
}
