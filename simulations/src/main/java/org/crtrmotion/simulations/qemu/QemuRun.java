package org.crtrmotion.simulations.qemu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link QemuPrecopy#migrate} runs: one guest image on QEMU's {@code virt} board, migrated
 * once by QEMU's own pre-copy over a link capped at {@code maxBandwidthBytesPerSecond}.
 *
 * @param image the guest's ELF image (QEMU's {@code -kernel})
 * @param bootargs the guest's parameters (QEMU's {@code -append}), may be empty
 * @param ramBytes guest RAM, a whole number of MiB (QEMU's {@code -m}); give the same as the
 *     migration it is compared with
 * @param downtimeLimitMillis QEMU's {@code downtime-limit}: the pause it aims to stay under
 * @param maxBandwidthBytesPerSecond the link: QEMU's {@code max-bandwidth} and the proxy's cap,
 *     which also holds QEMU's final stop-and-copy pass to it
 * @param warmUp how long the guest runs on the source before the migration starts
 * @param migrationTimeout how long pre-copy may take before it is cancelled as not converging
 * @param observeTarget how long to watch the target's console, after it resumed, for the guest's
 *     numbered lines to continue
 */
public record QemuRun(
    Path image,
    String bootargs,
    long ramBytes,
    long downtimeLimitMillis,
    long maxBandwidthBytesPerSecond,
    Duration warmUp,
    Duration migrationTimeout,
    Duration observeTarget) {

  /** 100 Mbit/s in bytes per second. */
  public static final long MBIT_100 = 100_000_000L / 8;

  /** 1 Gbit/s in bytes per second. */
  public static final long GBIT_1 = 1_000_000_000L / 8;

  public static final Duration DEFAULT_MIGRATION_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_OBSERVE_TARGET = Duration.ofSeconds(3);

  private static final long MIB = 1 << 20;

  public QemuRun {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(bootargs, "bootargs");
    Objects.requireNonNull(warmUp, "warmUp");
    Objects.requireNonNull(migrationTimeout, "migrationTimeout");
    Objects.requireNonNull(observeTarget, "observeTarget");
    if (!Files.isReadable(image)) {
      throw new IllegalArgumentException(
          "guest image " + image + " does not exist or is not readable");
    }
    if (ramBytes <= 0 || ramBytes % MIB != 0) {
      throw new IllegalArgumentException(
          "ramBytes must be a positive whole number of MiB, got " + ramBytes);
    }
    if (downtimeLimitMillis <= 0) {
      throw new IllegalArgumentException(
          "downtimeLimitMillis must be positive, got " + downtimeLimitMillis);
    }
    if (maxBandwidthBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "maxBandwidthBytesPerSecond must be positive, got " + maxBandwidthBytesPerSecond);
    }
    if (warmUp.isNegative()
        || migrationTimeout.isNegative()
        || migrationTimeout.isZero()
        || observeTarget.isNegative()) {
      throw new IllegalArgumentException(
          "warmUp and observeTarget must not be negative and migrationTimeout must be positive, got"
              + " "
              + warmUp
              + ", "
              + migrationTimeout
              + ", "
              + observeTarget);
    }
  }

  /** A run with the default migration timeout and target observation window. */
  public QemuRun(
      Path image,
      String bootargs,
      long ramBytes,
      long downtimeLimitMillis,
      long maxBandwidthBytesPerSecond,
      Duration warmUp) {
    this(
        image,
        bootargs,
        ramBytes,
        downtimeLimitMillis,
        maxBandwidthBytesPerSecond,
        warmUp,
        DEFAULT_MIGRATION_TIMEOUT,
        DEFAULT_OBSERVE_TARGET);
  }

  long ramMib() {
    return ramBytes / MIB;
  }
}
