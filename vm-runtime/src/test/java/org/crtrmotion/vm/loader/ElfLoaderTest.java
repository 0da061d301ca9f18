package org.crtrmotion.vm.loader;

import static org.crtrmotion.vm.loader.ElfBuilder.PF_R;
import static org.crtrmotion.vm.loader.ElfBuilder.PF_W;
import static org.crtrmotion.vm.loader.ElfBuilder.PF_X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.crtrmotion.vm.loader.BootImage.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfLoaderTest {
  private static final byte[] CODE = {0x13, 0, 0, 0, 0x6f, 0, 0, 0}; // nop; j .
  private static final byte[] DATA = {1, 2, 3, 4, 5};

  @Test
  void placesEachLoadSegmentAtItsPhysicalAddressWithItsFileBytes() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .load(0x8000_1000L, DATA, 0x100, PF_R | PF_W)
            .build();

    ElfImage image = ElfLoader.parse(elf);

    assertEquals(
        List.of(
            new Segment(0x8000_0000L, 0x8000_0000L, CODE, CODE.length, true),
            new Segment(0x8000_1000L, 0x8000_1000L, DATA, 0x100, false)),
        image.segments());
    assertEquals(0x8000_0000L, image.entry());
  }

  @Test
  void bssOnlySegmentHasNoDataButKeepsItsMemorySize() throws Exception {
    byte[] elf = ElfBuilder.minimal().load(0x8010_0000L, new byte[0], 0x2000, PF_R | PF_W).build();

    Segment bss = ElfLoader.parse(elf).segments().get(1);

    assertEquals(0, bss.data().length);
    assertEquals(0x2000, bss.memorySize());
  }

  @Test
  void loadsAtPhysicalAddressWhenVirtualAddressDiffers() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .entry(0xffff_ffff_8000_0004L)
            .load(0x8020_0000L, 0xffff_ffff_8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .build();

    ElfImage image = ElfLoader.parse(elf);

    Segment text = image.segments().get(0);
    assertEquals(0x8020_0000L, text.physicalAddress());
    assertEquals(0xffff_ffff_8000_0000L, text.virtualAddress());
    assertEquals(
        0x8020_0004L, image.entry(), "entry moves with its executable segment, as in QEMU");
  }

  @Test
  void entryStaysVirtualWhenOnlyADataSegmentIsRelocated() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .entry(0x8010_0000L)
            .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .load(0x8000_0008L, 0x8010_0000L, DATA, DATA.length, PF_R | PF_W)
            .build();

    assertEquals(0x8010_0000L, ElfLoader.parse(elf).entry());
  }

  @Test
  void skipsNonLoadHeadersAndEmptyLoadSegments() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .note(new byte[] {9, 9, 9, 9})
            .load(0x9000_0000L, new byte[0], 0, PF_R)
            .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .build();

    List<Segment> segments = ElfLoader.parse(elf).segments();

    assertEquals(1, segments.size());
    assertEquals(0x8000_0000L, segments.get(0).physicalAddress());
  }

  @Test
  void keepsProgramHeaderOrderAndReportsLowestAddressAsLoadAddress() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .load(0x8000_2000L, DATA, DATA.length, PF_R | PF_W)
            .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .build();

    ElfImage image = ElfLoader.parse(elf);

    assertEquals(0x8000_2000L, image.segments().get(0).physicalAddress());
    assertEquals(0x8000_0000L, image.loadAddress());
  }

  @Test
  void acceptsSegmentsThatTouchWithoutOverlapping() throws Exception {
    byte[] elf =
        new ElfBuilder()
            .load(0x8000_0000L, CODE, 0x1000, PF_R | PF_X)
            .load(0x8000_1000L, DATA, DATA.length, PF_R | PF_W)
            .build();

    assertEquals(2, ElfLoader.parse(elf).segments().size());
  }

  @Test
  void findsHtifSymbolsByName() throws Exception {
    byte[] elf =
        ElfBuilder.minimal()
            .global("tohost", 0x8000_1000L)
            .global("fromhost", 0x8000_1040L)
            .build();

    ElfImage image = ElfLoader.parse(elf);

    assertEquals(OptionalLong.of(0x8000_1000L), image.symbol("tohost"));
    assertEquals(OptionalLong.of(0x8000_1040L), image.symbol("fromhost"));
    assertEquals(OptionalLong.empty(), image.symbol("begin_signature"));
  }

  @Test
  void globalSymbolWinsOverLocalOfTheSameName() throws Exception {
    byte[] elf =
        ElfBuilder.minimal()
            .local("counter", 0x1111)
            .global("counter", 0x2222)
            .local("counter", 0x3333)
            .build();

    assertEquals(OptionalLong.of(0x2222), ElfLoader.parse(elf).symbol("counter"));
  }

  @Test
  void weakSymbolWinsOverLocalOfTheSameName() throws Exception {
    byte[] elf =
        ElfBuilder.minimal()
            .local("handler", 0x1111)
            .symbol("handler", 0x2222, ElfBuilder.STB_WEAK, ElfBuilder.STT_FUNC, 1)
            .build();

    assertEquals(OptionalLong.of(0x2222), ElfLoader.parse(elf).symbol("handler"));
  }

  @Test
  void leavesOutUndefinedSectionFileAndUnnamedSymbolsButKeepsAbsoluteOnes() throws Exception {
    byte[] elf =
        ElfBuilder.minimal()
            .symbol(
                "missing", 0, ElfBuilder.STB_GLOBAL, ElfBuilder.STT_NOTYPE, ElfBuilder.SHN_UNDEF)
            .symbol(".text", 0x8000_0000L, ElfBuilder.STB_LOCAL, ElfBuilder.STT_SECTION, 1)
            .symbol("start.S", 0, ElfBuilder.STB_LOCAL, ElfBuilder.STT_FILE, ElfBuilder.SHN_ABS)
            .symbol("", 0x1234, ElfBuilder.STB_LOCAL, ElfBuilder.STT_NOTYPE, 1)
            .symbol(
                "__stack_size",
                0x1000,
                ElfBuilder.STB_GLOBAL,
                ElfBuilder.STT_NOTYPE,
                ElfBuilder.SHN_ABS)
            .build();

    assertEquals(Map.of("__stack_size", 0x1000L), ElfLoader.parse(elf).symbols());
  }

  @Test
  void strippedImageHasNoSymbols() throws Exception {
    assertTrue(ElfLoader.parse(ElfBuilder.minimal().build()).symbols().isEmpty());
  }

  @Test
  void emptySymbolTableGivesNoSymbols() throws Exception {
    assertTrue(ElfLoader.parse(ElfBuilder.minimal().symbolTable().build()).symbols().isEmpty());
  }

  @Test
  void readsSectionCountFromSectionZeroWhenHeaderCountIsZero() throws Exception {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0x8000_1000L).build();
    ElfBuilder.put64(elf, ElfBuilder.sectionHeader(elf, 0) + ElfBuilder.SH_SIZE, 3);
    ElfBuilder.put16(elf, ElfBuilder.E_SHNUM, 0);

    assertEquals(OptionalLong.of(0x8000_1000L), ElfLoader.parse(elf).symbol("tohost"));
  }

  @Test
  void readFromFileMatchesParse(@TempDir Path dir) throws Exception {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0x8000_1000L).build();
    Path file = Files.write(dir.resolve("prog.elf"), elf);

    assertEquals(ElfLoader.parse(elf), ElfLoader.read(file));
  }

  @Test
  void imageIsImmutable() throws Exception {
    ElfImage image = ElfLoader.parse(ElfBuilder.minimal().global("tohost", 1).build());

    assertThrows(UnsupportedOperationException.class, () -> image.segments().clear());
    assertThrows(UnsupportedOperationException.class, () -> image.symbols().clear());
  }

  @Test
  void symbolsIterateInNameOrderSoEveryRunSeesTheSameOrder() throws Exception {
    byte[] elf = ElfBuilder.minimal().global("zeta", 3).global("alpha", 1).global("mid", 2).build();

    assertEquals(
        List.of("alpha", "mid", "zeta"), List.copyOf(ElfLoader.parse(elf).symbols().keySet()));
  }

  @Test
  void imageCannotBeBuiltFromOverlappingOrNoSegments() {
    Segment low = new Segment(0x8000_0000L, 0x8000_0000L, CODE, 0x1000, true);
    Segment high = new Segment(0x8000_0fffL, 0x8000_0fffL, DATA, DATA.length, false);

    assertThrows(
        IllegalArgumentException.class, () -> new ElfImage(0, List.of(low, high), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new ElfImage(0, List.of(), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new RawImage(0, List.of(high, low)));
  }

  @Test
  void segmentsCompareByContent() {
    Segment a = new Segment(0x8000_0000L, 0x8000_0000L, new byte[] {1, 2}, 2, true);
    Segment b = new Segment(0x8000_0000L, 0x8000_0000L, new byte[] {1, 2}, 2, true);
    Segment c = new Segment(0x8000_0000L, 0x8000_0000L, new byte[] {1, 3}, 2, true);

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.equals(c));
    assertArrayEquals(new byte[] {1, 2}, a.data());
  }

  @Test
  void segmentRejectsDataLargerThanItsMemorySize() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Segment(0x8000_0000L, 0x8000_0000L, new byte[8], 4, false));
    assertTrue(e.getMessage().contains("smaller than the data"), e.getMessage());
  }
}
