package org.crtrmotion.vm.board.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a DTB back into nodes, independently of {@link FdtWriter}: it checks the header and block
 * layout strictly and fails on anything a guest's libfdt would stumble over.
 */
final class FdtReader {

  record Header(
      int magic,
      int totalSize,
      int structOffset,
      int stringsOffset,
      int reservationsOffset,
      int version,
      int lastCompatibleVersion,
      int bootCpu,
      int stringsSize,
      int structSize) {}

  record Node(String name, Map<String, byte[]> properties, List<Node> children) {

    Optional<Node> child(String childName) {
      return children.stream().filter(c -> c.name.equals(childName)).findFirst();
    }

    /** The node at a path below this one, such as "soc/serial@10000000". */
    Node at(String path) {
      Node node = this;
      for (String part : path.split("/")) {
        if (part.isEmpty()) {
          continue;
        }
        Node parent = node;
        node =
            node.child(part)
                .orElseThrow(() -> new AssertionError("no node " + part + " under " + parent.name));
      }
      return node;
    }

    boolean has(String property) {
      return properties.containsKey(property);
    }

    byte[] bytes(String property) {
      byte[] value = properties.get(property);
      if (value == null) {
        throw new AssertionError(
            name + " has no property " + property + "; it has " + properties.keySet());
      }
      return value;
    }

    int[] cells(String property) {
      byte[] value = bytes(property);
      if (value.length % 4 != 0) {
        throw new AssertionError(property + " is " + value.length + " bytes, not whole cells");
      }
      int[] cells = new int[value.length / 4];
      ByteBuffer.wrap(value).asIntBuffer().get(cells);
      return cells;
    }

    int u32(String property) {
      int[] cells = cells(property);
      if (cells.length != 1) {
        throw new AssertionError(property + " has " + cells.length + " cells, not 1");
      }
      return cells[0];
    }

    List<String> strings(String property) {
      byte[] value = bytes(property);
      if (value.length == 0 || value[value.length - 1] != 0) {
        throw new AssertionError(property + " is not NUL-terminated");
      }
      return List.of(
          new String(value, 0, value.length - 1, StandardCharsets.UTF_8).split("\0", -1));
    }

    String string(String property) {
      List<String> strings = strings(property);
      if (strings.size() != 1) {
        throw new AssertionError(property + " holds " + strings + ", not one string");
      }
      return strings.get(0);
    }

    void walk(Consumer<Node> visitor) {
      visitor.accept(this);
      children.forEach(c -> c.walk(visitor));
    }
  }

  private final ByteBuffer blob;
  private final Header header;
  private int cursor;

  private FdtReader(byte[] bytes) {
    blob = ByteBuffer.wrap(bytes);
    header =
        new Header(
            blob.getInt(0),
            blob.getInt(4),
            blob.getInt(8),
            blob.getInt(12),
            blob.getInt(16),
            blob.getInt(20),
            blob.getInt(24),
            blob.getInt(28),
            blob.getInt(32),
            blob.getInt(36));
  }

  static Header header(byte[] bytes) {
    return new FdtReader(bytes).header;
  }

  static Node parse(byte[] bytes) {
    FdtReader reader = new FdtReader(bytes);
    reader.checkLayout(bytes.length);
    reader.cursor = reader.header.structOffset();
    Node root = reader.node();
    require(reader.token() == FdtWriter.FDT_END, "structure block must end with FDT_END");
    require(
        reader.cursor == reader.header.structOffset() + reader.header.structSize(),
        "FDT_END must be the last word of the structure block");
    return root;
  }

  private void checkLayout(int length) {
    require(header.magic() == 0xd00dfeed, "bad magic");
    require(
        header.totalSize() == length, "totalsize " + header.totalSize() + " but blob is " + length);
    require(header.reservationsOffset() % 8 == 0, "reservation map not 8-byte aligned");
    require(header.structOffset() % 4 == 0, "structure block not 4-byte aligned");
    require(header.structSize() % 4 == 0, "structure block size not a multiple of 4");
    require(
        blob.getLong(header.reservationsOffset()) == 0
            && blob.getLong(header.reservationsOffset() + 8) == 0,
        "reservation map should be empty");
    require(
        header.reservationsOffset() + 16 <= header.structOffset(),
        "reservation map overlaps structure");
    require(
        header.structOffset() + header.structSize() <= header.stringsOffset(),
        "structure overlaps strings");
    require(header.stringsOffset() + header.stringsSize() <= length, "strings block past the end");
  }

  private Node node() {
    require(token() == FdtWriter.FDT_BEGIN_NODE, "expected FDT_BEGIN_NODE at " + (cursor - 4));
    String name = cString(cursor, header.structOffset() + header.structSize());
    cursor = align(cursor + name.getBytes(StandardCharsets.US_ASCII).length + 1);
    Map<String, byte[]> properties = new LinkedHashMap<>();
    List<Node> children = new ArrayList<>();
    while (true) {
      int at = cursor;
      int token = token();
      if (token == FdtWriter.FDT_PROP) {
        require(children.isEmpty(), "property after child node in " + name);
        int length = token();
        int nameOffset = token();
        require(
            nameOffset >= 0 && nameOffset < header.stringsSize(),
            "property name offset out of range");
        String propertyName =
            cString(
                header.stringsOffset() + nameOffset, header.stringsOffset() + header.stringsSize());
        byte[] value = Arrays.copyOfRange(blob.array(), cursor, cursor + length);
        require(properties.put(propertyName, value) == null, "duplicate property " + propertyName);
        cursor = align(cursor + length);
      } else if (token == FdtWriter.FDT_BEGIN_NODE) {
        cursor = at;
        children.add(node());
      } else if (token == FdtWriter.FDT_END_NODE) {
        return new Node(name, properties, children);
      } else {
        throw new AssertionError("unexpected token " + token + " at " + at);
      }
    }
  }

  private int token() {
    int value = blob.getInt(cursor);
    cursor += 4;
    return value;
  }

  private String cString(int from, int limit) {
    int end = from;
    while (end < limit && blob.get(end) != 0) {
      end++;
    }
    require(end < limit, "unterminated string at " + from);
    return new String(blob.array(), from, end - from, StandardCharsets.UTF_8);
  }

  private static int align(int offset) {
    return (offset + 3) & ~3;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
