package org.crtrmotion.ops.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.crtrmotion.ops.report.VcpuQuota;

/**
 * The body of {@code POST /api/v1/vms}: {@code {"image": "hello.elf", "bootargs": "...", "memory":
 * "64M" | 67108864, "node": "b", "quota": "20M" | 20000000}}; only {@code image} is required. The
 * quota is the VM's vCPU quota in instructions per second ({@link VcpuQuota}; 0 or absent: none). A
 * malformed body is refused naming the field.
 */
record StartRequest(
    String image,
    String bootargs,
    long memoryBytes,
    Optional<String> node,
    long quotaInstructionsPerSecond) {

  static final long DEFAULT_MEMORY_BYTES = 64L << 20;
  private static final Set<String> FIELDS = Set.of("image", "bootargs", "memory", "node", "quota");

  /** Without a quota. */
  StartRequest(String image, String bootargs, long memoryBytes, Optional<String> node) {
    this(image, bootargs, memoryBytes, node, 0);
  }

  /** A body that cannot be turned into a request; the message names the field. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  static StartRequest parse(String body) throws Malformed {
    JsonNode root;
    try {
      root = ApiResponses.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Malformed("body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("body must be a JSON object with at least \"image\"");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new Malformed(
            "field '" + field + "': unknown (known: image, bootargs, memory, node, quota)");
      }
    }
    String image = text(root, "image").orElseThrow(() -> new Malformed("field 'image': missing"));
    if (image.isBlank()) {
      throw new Malformed("field 'image': must not be empty");
    }
    String bootargs = text(root, "bootargs").orElse("");
    Optional<String> node = text(root, "node");
    long memory = memory(root.get("memory"));
    return new StartRequest(image, bootargs, memory, node, quota(root.get("quota")));
  }

  private static long quota(JsonNode v) throws Malformed {
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() && !v.isTextual()) {
      throw new Malformed(
          "field 'quota': must be instructions per second, e.g. 20000000 or \"20M\", was " + v);
    }
    try {
      return VcpuQuota.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new Malformed("field 'quota': " + e.getMessage());
    }
  }

  private static Optional<String> text(JsonNode root, String field) throws Malformed {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new Malformed("field '" + field + "': must be a string, was " + v);
    }
    return Optional.of(v.asText());
  }

  private static long memory(JsonNode v) throws Malformed {
    if (v == null || v.isNull()) {
      return DEFAULT_MEMORY_BYTES;
    }
    long bytes;
    if (v.isIntegralNumber()) {
      bytes = v.asLong();
    } else if (v.isTextual()) {
      bytes = size(v.asText());
    } else {
      throw new Malformed("field 'memory': must be bytes or a size such as \"64M\", was " + v);
    }
    if (bytes < (1L << 20) || bytes % 4096 != 0) {
      throw new Malformed(
          "field 'memory': must be at least 1 MiB and a multiple of 4 KiB, was " + bytes);
    }
    return bytes;
  }

  private static long size(String text) throws Malformed {
    return Sizes.parse(text, "memory");
  }
}
