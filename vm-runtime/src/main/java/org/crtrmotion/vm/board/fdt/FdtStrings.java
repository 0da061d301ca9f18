package org.crtrmotion.vm.board.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The strings block: each property name stored once, referenced by its offset. */
final class FdtStrings {
  private final ByteArrayOutputStream block = new ByteArrayOutputStream();
  private final Map<String, Integer> offsets = new HashMap<>();

  int offsetOf(String name) {
    return offsets.computeIfAbsent(
        name,
        n -> {
          int offset = block.size();
          block.writeBytes(n.getBytes(StandardCharsets.US_ASCII));
          block.write(0);
          return offset;
        });
  }

  byte[] toByteArray() {
    return block.toByteArray();
  }
}
