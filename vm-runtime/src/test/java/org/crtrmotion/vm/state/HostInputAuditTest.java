package org.crtrmotion.vm.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Determinism rests on the machine reading nothing of the host but through its input boundary: host
 * time only in {@code time/HostClock.java}, host randomness and identity hashes nowhere. This reads
 * the module's sources and names every line that breaks the rule.
 */
class HostInputAuditTest {
  private static final Path SOURCES = Path.of("src/main/java/org/crtrmotion/vm");
  private static final Pattern HOST_TIME =
      Pattern.compile(
          "System\\.(nanoTime|currentTimeMillis)|Instant\\.now|Clock\\.system|LocalDate(Time)?\\.now");
  private static final Pattern HOST_RANDOMNESS =
      Pattern.compile(
          "new Random\\(|Math\\.random|ThreadLocalRandom|SecureRandom|identityHashCode|UUID\\.randomUUID");
  private static final Path HOST_CLOCK = Path.of("time", "HostClock.java");

  @Test
  void hostTimeIsReadOnlyByTheHostClock() throws IOException {
    assertEquals(List.of(), offending(HOST_TIME, HOST_CLOCK));
  }

  @Test
  void theAuditSeesTheHostClocksOwnReads() throws IOException {
    // Guards the audit itself: a pattern or a path that matched nothing would pass vacuously.
    List<String> lines = Files.readAllLines(SOURCES.resolve(HOST_CLOCK));
    assertEquals(true, lines.stream().anyMatch(l -> HOST_TIME.matcher(l).find()));
  }

  @Test
  void nothingReadsHostRandomnessOrIdentityHashes() throws IOException {
    assertEquals(List.of(), offending(HOST_RANDOMNESS, null));
  }

  private static List<String> offending(Pattern pattern, Path allowed) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        if (allowed != null && SOURCES.relativize(file).equals(allowed)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (pattern.matcher(lines.get(i)).find()) {
            found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    return found;
  }
}
