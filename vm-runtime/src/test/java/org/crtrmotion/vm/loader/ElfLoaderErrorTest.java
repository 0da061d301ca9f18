package org.crtrmotion.vm.loader;

import static org.crtrmotion.vm.loader.ElfBuilder.PF_R;
import static org.crtrmotion.vm.loader.ElfBuilder.PF_W;
import static org.crtrmotion.vm.loader.ElfBuilder.PF_X;
import static org.crtrmotion.vm.loader.ElfBuilder.programHeader;
import static org.crtrmotion.vm.loader.ElfBuilder.put16;
import static org.crtrmotion.vm.loader.ElfBuilder.put32;
import static org.crtrmotion.vm.loader.ElfBuilder.put64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can be refused, each with a message that names the problem and its place. */
class ElfLoaderErrorTest {
  private static final byte[] CODE = {0x6f, 0, 0, 0};

  private static String rejection(byte[] elf) {
    return assertThrows(ImageFormatException.class, () -> ElfLoader.parse(elf)).getMessage();
  }

  private static void assertMentions(String message, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(
          message.contains(fragment), () -> "'" + message + "' should mention '" + fragment + "'");
    }
  }

  private static byte[] minimal() {
    return ElfBuilder.minimal().build();
  }

  // --- identification ---

  @Test
  void windowsExecutableIsNotAnElfFileAndTheMessageShowsItsMagic() {
    byte[] mz = {0x4d, 0x5a, (byte) 0x90, 0x00, 0x03, 0, 0, 0};
    assertEquals("not an ELF file: magic is 4d 5a 90 00, need 7f 45 4c 46", rejection(mz));
  }

  @Test
  void emptyFileIsNotAnElfFile() {
    assertEquals("not an ELF file: the file is empty", rejection(new byte[0]));
  }

  @Test
  void fileShorterThanTheMagicShowsWhatItHas() {
    assertEquals(
        "not an ELF file: magic is 7f 45, need 7f 45 4c 46", rejection(new byte[] {0x7f, 0x45}));
  }

  @Test
  void headerCutShortSaysHowManyBytesThereAreAndHowManyAreNeeded() {
    byte[] cut = Arrays.copyOf(minimal(), 20);
    assertEquals("truncated ELF header: 20 bytes, need 64", rejection(cut));
  }

  @Test
  void thirtyTwoBitClassIsRefusedBecauseTheMachineIsRv64() {
    byte[] elf = minimal();
    elf[ElfBuilder.E_IDENT_CLASS] = 1;
    assertEquals(
        "ELF class 1 (32-bit) is not supported: crtr runs RV64 images (class 2, 64-bit)",
        rejection(elf));
  }

  @Test
  void thirtyTwoBitClassIsNamedEvenWhenTheFileIsShorterThanA64BitHeader() {
    byte[] elf = Arrays.copyOf(minimal(), 52);
    elf[ElfBuilder.E_IDENT_CLASS] = 1;
    assertMentions(rejection(elf), "ELF class 1 (32-bit)");
  }

  @Test
  void invalidClassIsNamedInvalid() {
    byte[] elf = minimal();
    elf[ElfBuilder.E_IDENT_CLASS] = 0;
    assertMentions(rejection(elf), "ELF class 0 (invalid)");
  }

  @Test
  void bigEndianImageIsRefused() {
    byte[] elf = minimal();
    elf[ElfBuilder.E_IDENT_DATA] = 2;
    assertMentions(rejection(elf), "data encoding 2 (big-endian)", "little-endian");
  }

  @Test
  void wrongIdentificationVersionIsRefused() {
    byte[] elf = minimal();
    elf[ElfBuilder.E_IDENT_VERSION] = 0;
    assertMentions(rejection(elf), "e_ident[EI_VERSION]) 0 is not 1");
  }

  @Test
  void wrongHeaderVersionIsRefused() {
    byte[] elf = minimal();
    put32(elf, ElfBuilder.E_VERSION, 7);
    assertMentions(rejection(elf), "(e_version) 7 is not 1");
  }

  @Test
  void x86ImageIsNotRiscV() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_MACHINE, 62);
    assertEquals("machine 62 (x86-64) is not RISC-V (243)", rejection(elf));
  }

  @Test
  void unknownMachineIsNumberedAndCalledUnknown() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_MACHINE, 9999);
    assertEquals("machine 9999 (unknown) is not RISC-V (243)", rejection(elf));
  }

  // --- type ---

  @Test
  void relocatableObjectIsNotAnExecutable() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_TYPE, 1);
    assertMentions(rejection(elf), "ELF type 1 (ET_REL, relocatable object) is not an executable");
  }

  @Test
  void positionIndependentImageIsRefusedWithAdviceToLinkItStatically() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_TYPE, 3);
    assertMentions(rejection(elf), "ELF type 3 (ET_DYN", "no relocations", "-no-pie");
  }

  @Test
  void coreDumpIsNotAnExecutable() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_TYPE, 4);
    assertMentions(rejection(elf), "ELF type 4 (ET_CORE, core dump) is not an executable");
  }

  // --- program header table ---

  @Test
  void imageWithoutProgramHeadersHasNothingToLoad() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_PHNUM, 0);
    assertMentions(rejection(elf), "no program headers (e_phnum 0)");
  }

  @Test
  void extendedProgramHeaderNumberingIsRefused() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_PHNUM, 0xffff);
    assertMentions(rejection(elf), "extended program header numbering");
  }

  @Test
  void absurdProgramHeaderCountIsCapped() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_PHNUM, 5000);
    assertMentions(rejection(elf), "e_phnum 5000 exceeds the limit of 1024");
  }

  @Test
  void programHeaderEntrySizeMustBeThatOfElf64Phdr() {
    byte[] elf = minimal();
    put16(elf, ElfBuilder.E_PHENTSIZE, 32);
    assertMentions(rejection(elf), "(e_phentsize) 32 is not 56");
  }

  @Test
  void programHeaderTableOutsideTheFileIsRefused() {
    byte[] elf = minimal();
    put64(elf, ElfBuilder.E_PHOFF, 0x10000);
    assertMentions(
        rejection(elf),
        "program header table extends past end of file",
        "offset 0x10000",
        "file is 0x" + Integer.toHexString(elf.length) + " bytes");
  }

  @Test
  void programHeaderTableOffsetThatWrapsIsRefused() {
    byte[] elf = minimal();
    put64(elf, ElfBuilder.E_PHOFF, -8);
    assertMentions(rejection(elf), "program header table extends past end of file");
  }

  // --- segments ---

  @Test
  void segmentDataPastEndOfFileNamesTheHeaderItsRangeAndTheFileSize() {
    byte[] elf =
        new ElfBuilder()
            .note(new byte[4])
            .note(new byte[4])
            .note(new byte[4])
            .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
            .build();
    put64(elf, programHeader(3) + ElfBuilder.P_OFFSET, 0x300);
    put64(elf, programHeader(3) + ElfBuilder.P_FILESZ, 0x2000);
    put64(elf, programHeader(3) + ElfBuilder.P_MEMSZ, 0x2000);
    assertEquals(
        "program header 3 extends past end of file (offset 0x300, size 0x2000, file is 0x"
            + Integer.toHexString(elf.length)
            + " bytes)",
        rejection(elf));
  }

  @Test
  void segmentWhoseOffsetPlusSizeWrapsIsPastEndOfFile() {
    byte[] elf = minimal();
    put64(elf, programHeader(0) + ElfBuilder.P_OFFSET, 0xffff_ffff_ffff_ff00L);
    put64(elf, programHeader(0) + ElfBuilder.P_FILESZ, 0x200);
    put64(elf, programHeader(0) + ElfBuilder.P_MEMSZ, 0x200);
    assertMentions(
        rejection(elf), "program header 0 extends past end of file", "offset 0xffffffffffffff00");
  }

  @Test
  void segmentSmallerInMemoryThanInTheFileIsRefused() {
    byte[] elf = minimal();
    put64(elf, programHeader(0) + ElfBuilder.P_MEMSZ, 2);
    assertEquals(
        "program header 0: memory size (p_memsz 0x2) is smaller than file size (p_filesz 0x4)",
        rejection(elf));
  }

  @Test
  void absurdSegmentMemorySizeIsCapped() {
    byte[] elf = minimal();
    put64(elf, programHeader(0) + ElfBuilder.P_MEMSZ, 1L << 40);
    assertMentions(
        rejection(elf), "program header 0: memory size (p_memsz 0x10000000000) exceeds the limit");
  }

  @Test
  void segmentThatWrapsPastTheTopOfTheAddressSpaceIsRefused() {
    byte[] elf = minimal();
    put64(elf, programHeader(0) + ElfBuilder.P_PADDR, 0xffff_ffff_ffff_f000L);
    put64(elf, programHeader(0) + ElfBuilder.P_MEMSZ, 0x2000);
    assertMentions(
        rejection(elf), "program header 0: physical range 0xfffffffffffff000 + 0x2000 wraps");
  }

  @Test
  void segmentEndingExactlyAtTheTopOfTheAddressSpaceIsAccepted() throws Exception {
    byte[] elf = new ElfBuilder().load(0xffff_ffff_ffff_f000L, CODE, 0x1000, PF_R | PF_X).build();
    assertEquals(0x1000, ElfLoader.parse(elf).segments().get(0).memorySize());
  }

  @Test
  void overlappingSegmentsNameBothHeadersAndTheirRanges() {
    byte[] elf =
        new ElfBuilder()
            .load(0x8000_0000L, CODE, 0x2000, PF_R | PF_X)
            .load(0x8000_1000L, CODE, 0x2000, PF_R | PF_W)
            .build();
    assertEquals(
        "program headers 0 and 1 overlap in physical memory: "
            + "[0x80000000, 0x80002000) and [0x80001000, 0x80003000)",
        rejection(elf));
  }

  @Test
  void overlapIsFoundWhateverTheProgramHeaderOrder() {
    byte[] elf =
        new ElfBuilder()
            .load(0x8000_4000L, CODE, 0x1000, PF_R | PF_W)
            .load(0x8000_3000L, CODE, 0x10, PF_R | PF_W)
            .load(0x8000_0000L, CODE, 0x4001, PF_R | PF_X)
            .build();
    assertMentions(rejection(elf), "program headers 1 and 2 overlap", "[0x80000000, 0x80004001)");
  }

  @Test
  void imageWithoutLoadSegmentsHasNothingToLoad() {
    byte[] elf =
        new ElfBuilder().note(new byte[8]).load(0x8000_0000L, new byte[0], 0, PF_R).build();
    assertMentions(rejection(elf), "no loadable segments", "2 program headers");
  }

  // --- sections and symbols ---

  @Test
  void sectionHeaderEntrySizeMustBeThatOfElf64Shdr() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put16(elf, ElfBuilder.E_SHENTSIZE, 40);
    assertMentions(rejection(elf), "(e_shentsize) 40 is not 64");
  }

  @Test
  void sectionHeaderTableOutsideTheFileIsRefused() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put64(elf, ElfBuilder.E_SHOFF, elf.length - 64);
    assertMentions(
        rejection(elf), "section header table extends past end of file", "3 entries of 64 bytes");
  }

  @Test
  void symbolTablePastEndOfFileNamesItsSection() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put64(elf, ElfBuilder.sectionHeader(elf, 1) + ElfBuilder.SH_SIZE, 0x10_0000);
    assertMentions(
        rejection(elf), "section header 1 (SHT_SYMTAB) extends past end of file", "size 0x100000");
  }

  @Test
  void stringTablePastEndOfFileNamesItsSection() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put64(elf, ElfBuilder.sectionHeader(elf, 2) + ElfBuilder.SH_OFFSET, 0x10_0000);
    assertMentions(
        rejection(elf),
        "section header 2 (SHT_STRTAB) extends past end of file",
        "offset 0x100000");
  }

  @Test
  void symbolEntrySizeMustBeThatOfElf64Sym() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put64(elf, ElfBuilder.sectionHeader(elf, 1) + ElfBuilder.SH_ENTSIZE, 16);
    assertMentions(
        rejection(elf),
        "section header 1 (SHT_SYMTAB): symbol entry size (sh_entsize) 16 is not 24");
  }

  @Test
  void symbolTableSizeMustBeWholeEntries() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put64(elf, ElfBuilder.sectionHeader(elf, 1) + ElfBuilder.SH_SIZE, 40);
    assertMentions(rejection(elf), "size 0x28 is not a multiple of the symbol entry size 24");
  }

  @Test
  void symbolTableLinkedToAMissingSectionIsRefused() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put32(elf, ElfBuilder.sectionHeader(elf, 1) + ElfBuilder.SH_LINK, 40);
    assertMentions(
        rejection(elf), "links to string table section 40, but sections are numbered 1 to 2");
  }

  @Test
  void symbolTableLinkedToANonStringSectionIsRefused() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put32(elf, ElfBuilder.sectionHeader(elf, 2) + ElfBuilder.SH_TYPE, 1);
    assertMentions(rejection(elf), "links to section 2 of type 1, which is not a string table");
  }

  @Test
  void symbolNameOutsideItsStringTableIsRefused() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    put32(elf, ElfBuilder.symbolEntry(elf, 1) + ElfBuilder.ST_NAME, 0x999);
    assertMentions(rejection(elf), "symbol 1 name offset 0x999 is outside its string table");
  }

  @Test
  void symbolNameWithoutTerminatingNulIsRefused() {
    byte[] elf = ElfBuilder.minimal().global("tohost", 0).build();
    long strtab = ElfBuilder.sectionHeader(elf, 2);
    put64(elf, strtab + ElfBuilder.SH_SIZE, 1 + 3); // cut "tohost\0" to "toh"
    assertMentions(rejection(elf), "symbol 1 name runs past the end of its string table");
  }

  @Test
  void readNamesTheFileInItsMessage(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("kernel.img"), new byte[] {0x4d, 0x5a, (byte) 0x90, 0});
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> ElfLoader.read(file));
    assertEquals(
        file + ": not an ELF file: magic is 4d 5a 90 00, need 7f 45 4c 46", e.getMessage());
  }
}
