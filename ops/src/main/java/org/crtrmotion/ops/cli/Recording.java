package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.crtrmotion.vm.state.StateDigest;

/**
 * A recording directory: {@code checkpoint.crtr} (the machine at the start), {@code trace.crtr}
 * (its inputs from there) and {@code recording.properties} (where it ended and the digests it ended
 * with).
 */
record Recording(
    long startInstructions,
    long endInstructions,
    StateDigest digest,
    long outputDigest,
    String result) {
  static final String CHECKPOINT = "checkpoint.crtr";
  static final String TRACE = "trace.crtr";
  static final String SUMMARY = "recording.properties";

  void write(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("start.instructions", Long.toString(startInstructions));
    p.setProperty("end.instructions", Long.toString(endInstructions));
    p.setProperty("end.digest", digest.toString());
    p.setProperty("end.output-digest", Long.toUnsignedString(outputDigest, 16));
    p.setProperty("end.result", result);
    try (OutputStream out = Files.newOutputStream(dir.resolve(SUMMARY))) {
      p.store(out, "crtr-motion recording");
    }
  }

  static Recording read(Path dir) throws IOException {
    Path file = dir.resolve(SUMMARY);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a recording (no " + SUMMARY + ")");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    try {
      return new Recording(
          Long.parseLong(required(p, "start.instructions")),
          Long.parseLong(required(p, "end.instructions")),
          StateDigest.parse(required(p, "end.digest")),
          Long.parseUnsignedLong(required(p, "end.output-digest"), 16),
          required(p, "end.result"));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v;
  }
}
