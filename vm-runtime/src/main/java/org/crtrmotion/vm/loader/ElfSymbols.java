package org.crtrmotion.vm.loader;

import static org.crtrmotion.vm.loader.ElfBytes.hex;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the defined symbols of the {@code SHT_SYMTAB} section. The machine needs a few of them by
 * name ({@code tohost}/{@code fromhost} of the HTIF convention riscv-tests use), so a malformed
 * table is an error rather than silently empty.
 */
final class ElfSymbols {
  private static final int SECTION_HEADER_SIZE = 64;
  private static final int SYMBOL_SIZE = 24;
  private static final long SHT_SYMTAB = 2;
  private static final long SHT_STRTAB = 3;
  private static final int SHN_UNDEF = 0;
  private static final int STT_SECTION = 3;
  private static final int STT_FILE = 4;
  private static final int STB_LOCAL = 0;
  // A large vmlinux has a few hundred thousand symbols; more than this is a corrupt size.
  static final long MAX_SYMBOLS = 1L << 22;

  private final ElfBytes in;

  private ElfSymbols(ElfBytes in) {
    this.in = in;
  }

  static Map<String, Long> read(ElfBytes in, ElfHeader header) throws ImageFormatException {
    return new ElfSymbols(in).read(header);
  }

  private Map<String, Long> read(ElfHeader header) throws ImageFormatException {
    long tableOffset = header.sectionHeaderOffset();
    if (tableOffset == 0) {
      return Map.of(); // no section headers: a stripped image
    }
    if (header.sectionHeaderEntrySize() != SECTION_HEADER_SIZE) {
      throw new ImageFormatException(
          "section header entry size (e_shentsize) "
              + header.sectionHeaderEntrySize()
              + " is not "
              + SECTION_HEADER_SIZE
              + " (Elf64_Shdr)");
    }
    long count = sectionCount(header);
    if (!in.contains(tableOffset, count * SECTION_HEADER_SIZE)) {
      throw new ImageFormatException(
          "section header table extends past end of file (offset "
              + hex(tableOffset)
              + ", "
              + count
              + " entries of "
              + SECTION_HEADER_SIZE
              + " bytes, file is "
              + hex(in.length())
              + " bytes)");
    }
    for (int i = 0; i < count; i++) {
      Section section = section(tableOffset, i);
      if (section.type() == SHT_SYMTAB) {
        return symbols(section, tableOffset, count);
      }
    }
    return Map.of();
  }

  // With 0xff00 sections or more, e_shnum is 0 and the real count is section 0's sh_size.
  private long sectionCount(ElfHeader header) throws ImageFormatException {
    if (header.sectionHeaderCount() != 0) {
      return header.sectionHeaderCount();
    }
    if (!in.contains(header.sectionHeaderOffset(), SECTION_HEADER_SIZE)) {
      throw new ImageFormatException(
          "section header 0 extends past end of file (offset "
              + hex(header.sectionHeaderOffset())
              + ", file is "
              + hex(in.length())
              + " bytes)");
    }
    long count = section(header.sectionHeaderOffset(), 0).size();
    if (Long.compareUnsigned(count, in.length() / SECTION_HEADER_SIZE) > 0) {
      throw new ImageFormatException(
          "section count "
              + Long.toUnsignedString(count)
              + " (from section header 0) cannot fit in a file of "
              + hex(in.length())
              + " bytes");
    }
    return count;
  }

  private Map<String, Long> symbols(Section symtab, long tableOffset, long count)
      throws ImageFormatException {
    String where = "section header " + symtab.index() + " (SHT_SYMTAB)";
    requireInFile(where, symtab);
    if (symtab.entrySize() != SYMBOL_SIZE) {
      throw new ImageFormatException(
          where
              + ": symbol entry size (sh_entsize) "
              + symtab.entrySize()
              + " is not "
              + SYMBOL_SIZE
              + " (Elf64_Sym)");
    }
    if (symtab.size() % SYMBOL_SIZE != 0) {
      throw new ImageFormatException(
          where
              + ": size "
              + hex(symtab.size())
              + " is not a multiple of the symbol entry size "
              + SYMBOL_SIZE);
    }
    long symbolCount = symtab.size() / SYMBOL_SIZE;
    if (symbolCount > MAX_SYMBOLS) {
      throw new ImageFormatException(
          where + ": " + symbolCount + " symbols exceed the limit of " + MAX_SYMBOLS);
    }
    Section strtab = linkedStringTable(symtab, where, tableOffset, count);
    Map<String, Long> global = new HashMap<>();
    Map<String, Long> local = new HashMap<>();
    for (int i = 1; i < symbolCount; i++) { // entry 0 is the reserved null symbol
      long at = symtab.offset() + (long) i * SYMBOL_SIZE;
      int info = in.u8(at + 4);
      int type = info & 0xf;
      long nameOffset = in.u32(at);
      if (in.u16(at + 6) == SHN_UNDEF
          || type == STT_SECTION
          || type == STT_FILE
          || nameOffset == 0) {
        continue;
      }
      String name = name(strtab, nameOffset, i, where);
      long value = in.u64(at + 8);
      (info >> 4 == STB_LOCAL ? local : global).putIfAbsent(name, value);
    }
    local.putAll(global);
    return local;
  }

  private Section linkedStringTable(Section symtab, String where, long tableOffset, long count)
      throws ImageFormatException {
    long link = symtab.link();
    if (link == 0 || link >= count) {
      throw new ImageFormatException(
          where
              + " links to string table section "
              + link
              + ", but sections are numbered 1 to "
              + (count - 1));
    }
    Section strtab = section(tableOffset, (int) link);
    if (strtab.type() != SHT_STRTAB) {
      throw new ImageFormatException(
          where
              + " links to section "
              + link
              + " of type "
              + strtab.type()
              + ", which is not a string table (SHT_STRTAB, 3)");
    }
    requireInFile("section header " + link + " (SHT_STRTAB)", strtab);
    return strtab;
  }

  private String name(Section strtab, long nameOffset, int symbol, String where)
      throws ImageFormatException {
    if (Long.compareUnsigned(nameOffset, strtab.size()) >= 0) {
      throw new ImageFormatException(
          where
              + ": symbol "
              + symbol
              + " name offset "
              + hex(nameOffset)
              + " is outside its string table ("
              + hex(strtab.size())
              + " bytes)");
    }
    long start = strtab.offset() + nameOffset;
    int nul = in.nulFrom(start, strtab.offset() + strtab.size());
    if (nul < 0) {
      throw new ImageFormatException(
          where
              + ": symbol "
              + symbol
              + " name runs past the end of its string table (no terminating NUL)");
    }
    return in.utf8((int) start, nul);
  }

  private void requireInFile(String where, Section section) throws ImageFormatException {
    if (!in.contains(section.offset(), section.size())) {
      throw new ImageFormatException(
          where
              + " extends past end of file (offset "
              + hex(section.offset())
              + ", size "
              + hex(section.size())
              + ", file is "
              + hex(in.length())
              + " bytes)");
    }
  }

  private Section section(long tableOffset, int index) {
    long at = tableOffset + (long) index * SECTION_HEADER_SIZE;
    return new Section(
        index, in.u32(at + 4), in.u64(at + 24), in.u64(at + 32), in.u32(at + 40), in.u64(at + 56));
  }

  private record Section(int index, long type, long offset, long size, long link, long entrySize) {}
}
