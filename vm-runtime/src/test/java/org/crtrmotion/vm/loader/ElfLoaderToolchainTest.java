package org.crtrmotion.vm.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crtrmotion.vm.loader.BootImage.Segment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real images from the cross toolchain, checked against the toolchain's own view of them (readelf,
 * nm, objcopy). Skipped where the toolchain is not installed.
 */
class ElfLoaderToolchainTest {
  private static final String PREFIX = "riscv64-unknown-elf-";

  @TempDir Path dir;
  private Path elf;

  @BeforeEach
  void buildHtifProgram() throws Exception {
    HostTools.assumeInstalled(HostTools.GCC);
    Path source = HostTools.resource(getClass(), "htif.c", dir);
    elf = dir.resolve("htif.elf");
    HostTools.check(
        dir,
        HostTools.GCC,
        "-march=rv64gc",
        "-mabi=lp64d",
        "-mcmodel=medany",
        "-O2",
        "--specs=picolibc.specs",
        "--crt0=hosted",
        "-Wl,--defsym=__flash=0x80000000",
        "-Wl,--defsym=__flash_size=0x100000",
        "-Wl,--defsym=__ram=0x80100000",
        "-Wl,--defsym=__ram_size=0x100000",
        "-Wl,--defsym=__stack_size=0x1000",
        "-o",
        elf.toString(),
        source.toString());
  }

  @Test
  void entryMatchesReadelf() throws Exception {
    String header = HostTools.check(dir, PREFIX + "readelf", "-h", elf.toString()).stdout();
    Matcher entry = Pattern.compile("Entry point address:\\s+0x([0-9a-f]+)").matcher(header);
    assertTrue(entry.find(), header);

    assertEquals(Long.parseUnsignedLong(entry.group(1), 16), ElfLoader.read(elf).entry());
  }

  @Test
  void everyGlobalSymbolNmListsHasTheSameValue() throws Exception {
    ElfImage image = ElfLoader.read(elf);
    String listing =
        HostTools.check(dir, PREFIX + "nm", "-P", "--defined-only", elf.toString()).stdout();
    int globals = 0;
    for (String line : listing.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 3 && Character.isUpperCase(fields[1].charAt(0))) {
        globals++;
        long value = Long.parseUnsignedLong(fields[2], 16);
        assertEquals(OptionalLong.of(value), image.symbol(fields[0]), line);
      }
    }
    assertTrue(globals > 10, "nm listed only " + globals + " global symbols:\n" + listing);
    assertTrue(image.symbol("tohost").isPresent());
    assertTrue(image.symbol("fromhost").isPresent());
  }

  @Test
  void segmentBytesMatchObjcopyFlatBinaryAtLoadAddresses() throws Exception {
    Path flat = dir.resolve("htif.bin");
    HostTools.check(dir, PREFIX + "objcopy", "-O", "binary", elf.toString(), flat.toString());
    ElfImage image = ElfLoader.read(elf);

    assertArrayEquals(Files.readAllBytes(flat), flatten(image));
  }

  @Test
  void initialisedDataLoadsFromFlashWhileLinkedForRam() throws Exception {
    ElfImage image = ElfLoader.read(elf);

    Segment data =
        image.segments().stream()
            .filter(s -> s.data().length > 0 && !s.executable())
            .findFirst()
            .orElseThrow();
    assertNotEquals(data.physicalAddress(), data.virtualAddress());
    assertTrue(data.physicalAddress() < 0x8010_0000L, "loaded in the flash region");
    assertTrue(data.virtualAddress() >= 0x8010_0000L, "linked for the RAM region");
  }

  @Test
  void strippedImageLoadsTheSameSegmentsWithoutSymbols() throws Exception {
    Path stripped = dir.resolve("htif-stripped.elf");
    HostTools.check(dir, PREFIX + "strip", "-o", stripped.toString(), elf.toString());

    ElfImage full = ElfLoader.read(elf);
    ElfImage bare = ElfLoader.read(stripped);

    assertEquals(full.segments(), bare.segments());
    assertEquals(full.entry(), bare.entry());
    assertTrue(bare.symbols().isEmpty(), () -> bare.symbols().toString());
  }

  /**
   * What objcopy -O binary writes: file bytes at load addresses, lowest to highest, gaps zeroed.
   */
  private static byte[] flatten(ElfImage image) {
    long low = Long.MAX_VALUE;
    long high = 0;
    for (Segment s : image.segments()) {
      if (s.data().length > 0) {
        low = Math.min(low, s.physicalAddress());
        high = Math.max(high, s.physicalAddress() + s.data().length);
      }
    }
    byte[] flat = new byte[Math.toIntExact(high - low)];
    for (Segment s : image.segments()) {
      if (s.data().length == 0) {
        continue;
      }
      System.arraycopy(s.data(), 0, flat, (int) (s.physicalAddress() - low), s.data().length);
    }
    return flat;
  }
}
