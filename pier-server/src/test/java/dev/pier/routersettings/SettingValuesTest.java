package dev.pier.routersettings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingValuesTest {
  @Test
  void durationsTakeMillisecondsSecondsMinutesOrHoursAndNeedAUnit() {
    assertThat(SettingValues.parseMillis("500ms")).isEqualTo(500);
    assertThat(SettingValues.parseMillis("60s")).isEqualTo(60_000);
    assertThat(SettingValues.parseMillis(" 2M ")).isEqualTo(120_000);
    assertThat(SettingValues.parseMillis("1h")).isEqualTo(3_600_000);
    assertThat(SettingValues.parseMillis("30")).isEqualTo(-1);
    assertThat(SettingValues.parseMillis("-5s")).isEqualTo(-1);
    assertThat(SettingValues.parseMillis("1.5s")).isEqualTo(-1);
    assertThat(SettingValues.parseMillis("9999999999s")).isEqualTo(-1);
  }

  @Test
  void sizesArePlainBytesOrBinaryKilobytesMegabytesAndGigabytes() {
    assertThat(SettingValues.parseBytes("1024")).isEqualTo(1024);
    assertThat(SettingValues.parseBytes("512KB")).isEqualTo(512 * 1024);
    assertThat(SettingValues.parseBytes("50mb")).isEqualTo(50L << 20);
    assertThat(SettingValues.parseBytes("1GiB")).isEqualTo(1L << 30);
    assertThat(SettingValues.parseBytes("lots")).isEqualTo(-1);
    assertThat(SettingValues.parseBytes("5TB")).isEqualTo(-1);
    assertThat(SettingValues.parseBytes("999999999999GB")).isEqualTo(Long.MAX_VALUE); // too big
  }

  @Test
  void valuesAreShownInTheLargestUnitThatDividesThem() {
    assertThat(SettingValues.formatMillis(1500)).isEqualTo("1500ms");
    assertThat(SettingValues.formatMillis(30_000)).isEqualTo("30s");
    assertThat(SettingValues.formatMillis(300_000)).isEqualTo("5m");
    assertThat(SettingValues.formatMillis(7_200_000)).isEqualTo("2h");
    assertThat(SettingValues.formatBytes(1000)).isEqualTo("1000B");
    assertThat(SettingValues.formatBytes(8192)).isEqualTo("8KB");
    assertThat(SettingValues.formatBytes(50L << 20)).isEqualTo("50MB");
    assertThat(SettingValues.formatBytes(100L << 30)).isEqualTo("100GB");
  }
}
