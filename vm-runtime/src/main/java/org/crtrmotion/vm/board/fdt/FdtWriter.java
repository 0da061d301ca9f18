package org.crtrmotion.vm.board.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a flattened device tree blob (DTB format version 17, last compatible version 16) in one
 * pass, the way libfdt's sequential-write mode does: nodes are opened and closed in order, and each
 * node's properties come before its children.
 *
 * <p>The memory reservation map is always empty: the board reserves nothing, and OpenSBI marks the
 * memory it keeps with /reserved-memory nodes at run time.
 */
public final class FdtWriter {
  static final int MAGIC = 0xd00dfeed;
  static final int VERSION = 17;
  static final int LAST_COMPATIBLE_VERSION = 16;
  static final int HEADER_SIZE = 40;
  static final int FDT_BEGIN_NODE = 1;
  static final int FDT_END_NODE = 2;
  static final int FDT_PROP = 3;
  static final int FDT_END = 9;
  // Devicetree specification 0.4, section 2.2.1 and 2.2.4: names are at most 31 characters.
  private static final int MAX_NAME_LENGTH = 31;

  private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
  private final FdtStrings strings = new FdtStrings();
  private final Deque<OpenNode> open = new ArrayDeque<>();
  private final BitSet allocatedPhandles = new BitSet();
  private final BitSet writtenPhandles = new BitSet();
  private int lastPhandle;
  private boolean rootWritten;
  private boolean finished;

  private static final class OpenNode {
    final String path;
    final Set<String> properties = new HashSet<>();
    final Set<String> children = new HashSet<>();

    OpenNode(String path) {
      this.path = path;
    }
  }

  /** Opens a node; the first call opens the root and must pass {@code ""}. */
  public FdtWriter beginNode(String name) {
    requireNotFinished();
    if (open.isEmpty()) {
      if (rootWritten || !name.isEmpty()) {
        throw new IllegalStateException(
            rootWritten
                ? "the root node is already closed"
                : "the first node must be the root \"\", not \"" + name + "\"");
      }
      rootWritten = true;
      open.push(new OpenNode("/"));
    } else {
      OpenNode parent = open.peek();
      checkNodeName(name, parent.path);
      if (!parent.children.add(name)) {
        throw new IllegalArgumentException(parent.path + " already has a child node " + name);
      }
      open.push(new OpenNode(parent.path.equals("/") ? "/" + name : parent.path + "/" + name));
    }
    word(FDT_BEGIN_NODE);
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    structure.writeBytes(bytes);
    structure.write(0);
    pad(bytes.length + 1);
    return this;
  }

  public FdtWriter endNode() {
    requireNotFinished();
    if (open.isEmpty()) {
      throw new IllegalStateException("endNode without an open node");
    }
    open.pop();
    word(FDT_END_NODE);
    return this;
  }

  /** A property with no value, which is true by being present ({@code interrupt-controller;}). */
  public FdtWriter propertyEmpty(String name) {
    return property(name, new byte[0]);
  }

  /** One big-endian 32-bit cell per value. */
  public FdtWriter propertyU32(String name, int... cells) {
    ByteBuffer value = ByteBuffer.allocate(4 * cells.length);
    for (int cell : cells) {
      value.putInt(cell);
    }
    return property(name, value.array());
  }

  /** Two cells per value, most significant first, as {@code reg} with #address-cells 2 wants. */
  public FdtWriter propertyU64(String name, long... values) {
    ByteBuffer value = ByteBuffer.allocate(8 * values.length);
    for (long v : values) {
      value.putLong(v);
    }
    return property(name, value.array());
  }

  public FdtWriter propertyString(String name, String value) {
    return propertyStrings(name, value);
  }

  /** NUL-terminated strings back to back, as {@code compatible} lists them. */
  public FdtWriter propertyStrings(String name, String... values) {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    for (String s : values) {
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "property " + name + ": string contains NUL: " + s.replace('\0', '?'));
      }
      value.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      value.write(0);
    }
    return property(name, value.toByteArray());
  }

  /** Raw bytes, padded in the blob to a 4-byte boundary. */
  public FdtWriter property(String name, byte[] value) {
    requireNotFinished();
    OpenNode node = open.peek();
    if (node == null) {
      throw new IllegalStateException("property " + name + " outside any node");
    }
    if (!node.children.isEmpty()) {
      throw new IllegalStateException(
          "property "
              + name
              + " of "
              + node.path
              + " comes after a child node; properties must precede children");
    }
    checkPropertyName(name, node.path);
    if (!node.properties.add(name)) {
      throw new IllegalArgumentException(node.path + " already has a property " + name);
    }
    word(FDT_PROP);
    word(value.length);
    word(strings.offsetOf(name));
    structure.writeBytes(value);
    pad(value.length);
    return this;
  }

  /** A fresh phandle (1, 2, 3, ...), to reference before or after the node that owns it. */
  public int allocatePhandle() {
    int phandle = ++lastPhandle;
    allocatedPhandles.set(phandle);
    return phandle;
  }

  /**
   * Gives the open node the {@code phandle} property with a value from {@link #allocatePhandle}.
   */
  public FdtWriter propertyPhandle(int phandle) {
    if (phandle <= 0 || !allocatedPhandles.get(phandle)) {
      throw new IllegalArgumentException("phandle " + phandle + " was not allocated");
    }
    if (writtenPhandles.get(phandle)) {
      throw new IllegalStateException("phandle " + phandle + " already belongs to another node");
    }
    propertyU32("phandle", phandle);
    writtenPhandles.set(phandle);
    return this;
  }

  /** The finished blob; the writer cannot be used afterwards. */
  public byte[] finish() {
    requireNotFinished();
    if (!rootWritten || !open.isEmpty()) {
      throw new IllegalStateException(
          rootWritten ? "node " + open.peek().path + " is still open" : "no root node was written");
    }
    BitSet dangling = (BitSet) allocatedPhandles.clone();
    dangling.andNot(writtenPhandles);
    if (!dangling.isEmpty()) {
      throw new IllegalStateException(
          "phandle " + dangling.nextSetBit(0) + " was allocated but no node carries it");
    }
    word(FDT_END);
    finished = true;
    return FdtLayout.assemble(structure.toByteArray(), strings.toByteArray());
  }

  private void word(int value) {
    structure.write(value >>> 24);
    structure.write(value >>> 16);
    structure.write(value >>> 8);
    structure.write(value);
  }

  private void pad(int length) {
    for (int i = length; i % 4 != 0; i++) {
      structure.write(0);
    }
  }

  private void requireNotFinished() {
    if (finished) {
      throw new IllegalStateException("the blob is already finished");
    }
  }

  private static void checkNodeName(String name, String parent) {
    int at = name.indexOf('@');
    String base = at < 0 ? name : name.substring(0, at);
    if (!base.matches("[A-Za-z][0-9A-Za-z,._+-]{0,30}")
        || at >= 0 && !name.substring(at + 1).matches("[0-9A-Za-z,._+-]+")) {
      throw new IllegalArgumentException(
          "invalid node name \""
              + name
              + "\" under "
              + parent
              + ": a letter, then up to 30 of [0-9A-Za-z,._+-], optionally @unit-address");
    }
  }

  private static void checkPropertyName(String name, String node) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.matches("[0-9A-Za-z,._+?#-]+")) {
      throw new IllegalArgumentException(
          "invalid property name \"" + name + "\" in " + node + ": 1 to 31 of [0-9A-Za-z,._+?#-]");
    }
  }
}
