package org.crtrmotion.vm.board.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.crtrmotion.vm.board.fdt.FdtReader.Header;
import org.crtrmotion.vm.board.fdt.FdtReader.Node;
import org.junit.jupiter.api.Test;

class FdtWriterTest {

  private static byte[] sample() {
    FdtWriter fdt = new FdtWriter();
    int phandle = fdt.allocatePhandle();
    return fdt.beginNode("")
        .propertyU32("#address-cells", 2)
        .propertyString("model", "test")
        .beginNode("intc")
        .propertyPhandle(phandle)
        .propertyEmpty("interrupt-controller")
        .endNode()
        .beginNode("dev@1000")
        .propertyU64("reg", 0x1000, 0x100)
        .propertyU32("interrupt-parent", phandle)
        .propertyStrings("compatible", "vendor,dev", "generic-dev")
        .property("blob", new byte[] {1, 2, 3, 4, 5})
        .endNode()
        .endNode()
        .finish();
  }

  @Test
  void headerDescribesVersion17BlobWithEveryBlockInPlace() {
    byte[] blob = sample();
    Header header = FdtReader.header(blob);

    assertEquals(0xd00dfeed, header.magic());
    assertEquals(blob.length, header.totalSize());
    assertEquals(17, header.version());
    assertEquals(16, header.lastCompatibleVersion());
    assertEquals(0, header.bootCpu());
    assertEquals(40, header.reservationsOffset(), "reservation map right after the 40-byte header");
    assertEquals(56, header.structOffset(), "structure right after the empty reservation map");
    assertEquals(header.structOffset() + header.structSize(), header.stringsOffset());
    assertEquals(blob.length, header.stringsOffset() + header.stringsSize(), "no slack at the end");
  }

  @Test
  void nodesAndPropertiesReadBackInWrittenOrder() {
    Node root = FdtReader.parse(sample());

    assertEquals("", root.name());
    assertEquals(List.of("#address-cells", "model"), List.copyOf(root.properties().keySet()));
    assertEquals(List.of("intc", "dev@1000"), root.children().stream().map(Node::name).toList());
    assertEquals(2, root.u32("#address-cells"));
    assertEquals("test", root.string("model"));
  }

  @Test
  void u64ValuesAreTwoCellsMostSignificantFirst() {
    byte[] blob =
        new FdtWriter().beginNode("").propertyU64("reg", 0x1_8000_0000L, 0x1000).endNode().finish();

    assertArrayEquals(new int[] {1, 0x8000_0000, 0, 0x1000}, FdtReader.parse(blob).cells("reg"));
  }

  @Test
  void stringListsAreNulTerminatedStringsBackToBack() {
    Node dev = FdtReader.parse(sample()).at("dev@1000");

    assertArrayEquals(
        "vendor,dev\0generic-dev\0".getBytes(StandardCharsets.US_ASCII), dev.bytes("compatible"));
  }

  @Test
  void emptyPropertyHasNoValueBytes() {
    assertEquals(0, FdtReader.parse(sample()).at("intc").bytes("interrupt-controller").length);
  }

  @Test
  void rawBytesKeepTheirLengthWhileTheBlobStaysAligned() {
    Node dev = FdtReader.parse(sample()).at("dev@1000");

    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, dev.bytes("blob"));
  }

  @Test
  void eachPropertyNameIsStoredOnceInTheStringsBlock() {
    FdtWriter fdt = new FdtWriter().beginNode("");
    for (int i = 0; i < 5; i++) {
      fdt.beginNode("n" + i).propertyString("compatible", "x").propertyU32("reg", i).endNode();
    }
    byte[] blob = fdt.endNode().finish();
    Header header = FdtReader.header(blob);

    assertEquals("compatible\0reg\0".length(), header.stringsSize());
  }

  @Test
  void phandlesCountFromOneAndLandOnTheirNodes() {
    FdtWriter fdt = new FdtWriter();
    int first = fdt.allocatePhandle();
    int second = fdt.allocatePhandle();
    byte[] blob =
        fdt.beginNode("")
            .beginNode("b")
            .propertyPhandle(second)
            .endNode()
            .beginNode("a")
            .propertyPhandle(first)
            .endNode()
            .endNode()
            .finish();

    assertEquals(1, first);
    assertEquals(2, second);
    assertEquals(2, FdtReader.parse(blob).at("b").u32("phandle"));
  }

  @Test
  void phandleThatWasNeverAllocatedIsRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("");
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyPhandle(7));
  }

  @Test
  void phandleCannotBelongToTwoNodes() {
    FdtWriter fdt = new FdtWriter();
    int phandle = fdt.allocatePhandle();
    fdt.beginNode("").beginNode("a").propertyPhandle(phandle).endNode().beginNode("b");
    assertThrows(IllegalStateException.class, () -> fdt.propertyPhandle(phandle));
  }

  @Test
  void finishingWithAnAllocatedButUnwrittenPhandleIsRefusedBecauseReferencesWouldDangle() {
    FdtWriter fdt = new FdtWriter();
    fdt.allocatePhandle();
    fdt.beginNode("").endNode();
    IllegalStateException e = assertThrows(IllegalStateException.class, fdt::finish);
    assertTrue(e.getMessage().contains("phandle 1"), e.getMessage());
  }

  @Test
  void propertyAfterAChildNodeIsRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("").beginNode("child").endNode();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fdt.propertyU32("late", 1));
    assertTrue(e.getMessage().contains("properties must precede children"), e.getMessage());
  }

  @Test
  void propertyOutsideAnyNodeIsRefused() {
    assertThrows(IllegalStateException.class, () -> new FdtWriter().propertyU32("x", 1));
  }

  @Test
  void duplicatePropertyIsRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("").propertyU32("reg", 1);
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyU32("reg", 2));
  }

  @Test
  void duplicateChildNameIsRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("").beginNode("cpus").endNode();
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("cpus"));
  }

  @Test
  void firstNodeMustBeTheRoot() {
    assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("soc"));
  }

  @Test
  void secondRootIsRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("").endNode();
    assertThrows(IllegalStateException.class, () -> fdt.beginNode(""));
  }

  @Test
  void unbalancedEndNodeIsRefused() {
    assertThrows(IllegalStateException.class, () -> new FdtWriter().endNode());
  }

  @Test
  void finishingWithAnOpenNodeNamesIt() {
    FdtWriter fdt = new FdtWriter().beginNode("").beginNode("soc");
    IllegalStateException e = assertThrows(IllegalStateException.class, fdt::finish);
    assertTrue(e.getMessage().contains("/soc"), e.getMessage());
  }

  @Test
  void finishingAnEmptyWriterIsRefused() {
    assertThrows(IllegalStateException.class, () -> new FdtWriter().finish());
  }

  @Test
  void writerCannotBeUsedAfterFinish() {
    FdtWriter fdt = new FdtWriter();
    fdt.beginNode("").endNode().finish();
    assertThrows(IllegalStateException.class, fdt::finish);
  }

  @Test
  void namesOutsideTheDevicetreeCharacterSetOrLongerThan31AreRefused() {
    FdtWriter fdt = new FdtWriter().beginNode("");
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("has space"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("@1000"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("a".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("1wire"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("uart@"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("uart@1@2"));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyU32("", 1));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyU32("p".repeat(32), 1));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyU32("bad/name", 1));
  }

  @Test
  void thirtyOneCharacterNamesAreAccepted() {
    byte[] blob =
        new FdtWriter()
            .beginNode("")
            .beginNode("n".repeat(31) + "@10000000")
            .propertyU32("p".repeat(31), 1)
            .endNode()
            .endNode()
            .finish();

    assertEquals(1, FdtReader.parse(blob).at("n".repeat(31) + "@10000000").u32("p".repeat(31)));
  }

  @Test
  void stringWithNulIsRefusedBecauseItWouldSplitTheValue() {
    FdtWriter fdt = new FdtWriter().beginNode("");
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyString("bootargs", "a\0b"));
  }
}
