package org.crtrmotion.vm.loader;

import static org.crtrmotion.vm.loader.ElfBytes.hex;

import java.util.HexFormat;

/** The fields of an Elf64_Ehdr the loader uses, after every check that can fail on them. */
record ElfHeader(
    long entry,
    long programHeaderOffset,
    int programHeaderCount,
    long sectionHeaderOffset,
    int sectionHeaderEntrySize,
    int sectionHeaderCount) {

  static final int SIZE = 64;
  static final int PROGRAM_HEADER_SIZE = 56;
  static final int ET_EXEC = 2;
  static final int ET_DYN = 3;
  private static final int ELFCLASS64 = 2;
  private static final int ELFDATA2LSB = 1;
  private static final int EV_CURRENT = 1;
  private static final int PN_XNUM = 0xffff;
  // Boot images have a handful of segments; the cap keeps a corrupt count from costing time.
  static final int MAX_PROGRAM_HEADERS = 1024;

  static ElfHeader parse(ElfBytes in) throws ImageFormatException {
    checkIdentification(in);
    int type = in.u16(16);
    int machine = in.u16(18);
    long version = in.u32(20);
    if (machine != ElfNames.EM_RISCV) {
      throw new ImageFormatException(
          "machine "
              + machine
              + " ("
              + ElfNames.machine(machine)
              + ") is not RISC-V ("
              + ElfNames.EM_RISCV
              + ")");
    }
    if (version != EV_CURRENT) {
      throw new ImageFormatException(
          "ELF header version (e_version) " + version + " is not " + EV_CURRENT + " (EV_CURRENT)");
    }
    checkType(type);
    ElfHeader header =
        new ElfHeader(in.u64(24), in.u64(32), in.u16(56), in.u64(40), in.u16(58), in.u16(60));
    header.checkProgramHeaderTable(in, in.u16(54));
    return header;
  }

  private static void checkIdentification(ElfBytes in) throws ImageFormatException {
    int length = in.length();
    if (length < 4 || in.u8(0) != 0x7f || in.u8(1) != 'E' || in.u8(2) != 'L' || in.u8(3) != 'F') {
      throw new ImageFormatException(
          length == 0
              ? "not an ELF file: the file is empty"
              : "not an ELF file: magic is " + leadingBytes(in, 4) + ", need 7f 45 4c 46");
    }
    if (length < 6) {
      throw truncated(length);
    }
    int elfClass = in.u8(4);
    if (elfClass != ELFCLASS64) {
      String name = elfClass == 1 ? "32-bit" : "invalid";
      throw new ImageFormatException(
          "ELF class "
              + elfClass
              + " ("
              + name
              + ") is not supported: crtr runs RV64 images (class 2, 64-bit)");
    }
    int encoding = in.u8(5);
    if (encoding != ELFDATA2LSB) {
      String name = encoding == 2 ? "big-endian" : "invalid";
      throw new ImageFormatException(
          "ELF data encoding "
              + encoding
              + " ("
              + name
              + ") is not supported: RISC-V images are little-endian (1)");
    }
    if (length < SIZE) {
      throw truncated(length);
    }
    if (in.u8(6) != EV_CURRENT) {
      throw new ImageFormatException(
          "ELF identification version (e_ident[EI_VERSION]) "
              + in.u8(6)
              + " is not "
              + EV_CURRENT
              + " (EV_CURRENT)");
    }
  }

  // ET_EXEC only: crtr copies segments to their link addresses and applies no relocations, so
  // a position-independent image (ET_DYN, linked near address 0) would land on the boot ROM.
  private static void checkType(int type) throws ImageFormatException {
    if (type == ET_EXEC) {
      return;
    }
    String advice =
        type == ET_DYN
            ? ": crtr places segments at their link addresses and applies no relocations; link with"
                  + " -static -no-pie"
            : ": crtr loads executables (ET_EXEC, 2)";
    throw new ImageFormatException(
        "ELF type " + type + " (" + ElfNames.type(type) + ") is not an executable" + advice);
  }

  private void checkProgramHeaderTable(ElfBytes in, int entrySize) throws ImageFormatException {
    if (programHeaderCount == PN_XNUM) {
      throw new ImageFormatException(
          "extended program header numbering (e_phnum 0xffff) is not supported");
    }
    if (programHeaderCount == 0) {
      throw new ImageFormatException("no program headers (e_phnum 0): nothing to load");
    }
    if (programHeaderCount > MAX_PROGRAM_HEADERS) {
      throw new ImageFormatException(
          "e_phnum "
              + programHeaderCount
              + " exceeds the limit of "
              + MAX_PROGRAM_HEADERS
              + " program headers");
    }
    if (entrySize != PROGRAM_HEADER_SIZE) {
      throw new ImageFormatException(
          "program header entry size (e_phentsize) "
              + entrySize
              + " is not "
              + PROGRAM_HEADER_SIZE
              + " (Elf64_Phdr)");
    }
    long tableSize = (long) programHeaderCount * PROGRAM_HEADER_SIZE;
    if (!in.contains(programHeaderOffset, tableSize)) {
      throw new ImageFormatException(
          "program header table extends past end of file (offset "
              + hex(programHeaderOffset)
              + ", "
              + programHeaderCount
              + " entries of "
              + PROGRAM_HEADER_SIZE
              + " bytes, file is "
              + hex(in.length())
              + " bytes)");
    }
  }

  private static ImageFormatException truncated(int length) {
    return new ImageFormatException("truncated ELF header: " + length + " bytes, need " + SIZE);
  }

  private static String leadingBytes(ElfBytes in, int count) {
    byte[] lead = new byte[Math.min(count, in.length())];
    for (int i = 0; i < lead.length; i++) {
      lead[i] = (byte) in.u8(i);
    }
    return HexFormat.ofDelimiter(" ").formatHex(lead);
  }
}
