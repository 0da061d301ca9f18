package org.crtrmotion.vm.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small, well-formed ELF64 little-endian RISC-V executables byte by byte, so each error test
 * can break exactly one field of an otherwise valid file.
 *
 * <p>Layout: ELF header, program headers, segment data, then (with symbols) .strtab, .symtab and
 * the section header table [null, .symtab, .strtab].
 */
final class ElfBuilder {
  static final int PT_LOAD = 1;
  static final int PT_NOTE = 4;
  static final int PF_X = 1;
  static final int PF_W = 2;
  static final int PF_R = 4;
  static final int STB_LOCAL = 0;
  static final int STB_GLOBAL = 1;
  static final int STB_WEAK = 2;
  static final int STT_NOTYPE = 0;
  static final int STT_OBJECT = 1;
  static final int STT_FUNC = 2;
  static final int STT_SECTION = 3;
  static final int STT_FILE = 4;
  static final int SHN_UNDEF = 0;
  static final int SHN_ABS = 0xfff1;

  // Offsets of Elf64_Ehdr fields, for tests that patch one of them.
  static final int E_IDENT_CLASS = 4;
  static final int E_IDENT_DATA = 5;
  static final int E_IDENT_VERSION = 6;
  static final int E_TYPE = 16;
  static final int E_MACHINE = 18;
  static final int E_VERSION = 20;
  static final int E_ENTRY = 24;
  static final int E_PHOFF = 32;
  static final int E_SHOFF = 40;
  static final int E_PHENTSIZE = 54;
  static final int E_PHNUM = 56;
  static final int E_SHENTSIZE = 58;
  static final int E_SHNUM = 60;
  // Offsets inside an Elf64_Phdr.
  static final int P_TYPE = 0;
  static final int P_OFFSET = 8;
  static final int P_PADDR = 24;
  static final int P_FILESZ = 32;
  static final int P_MEMSZ = 40;
  // Offsets inside an Elf64_Shdr.
  static final int SH_TYPE = 4;
  static final int SH_OFFSET = 24;
  static final int SH_SIZE = 32;
  static final int SH_LINK = 40;
  static final int SH_ENTSIZE = 56;
  // Offsets inside an Elf64_Sym.
  static final int ST_NAME = 0;

  static final int SYMTAB_SECTION = 1;
  static final int STRTAB_SECTION = 2;

  private record ProgramHeader(
      int type, int flags, long vaddr, long paddr, byte[] data, long memsz) {}

  private record Symbol(String name, long value, int bind, int type, int shndx) {}

  private long entry = 0x8000_0000L;
  private final List<ProgramHeader> programHeaders = new ArrayList<>();
  private final List<Symbol> symbols = new ArrayList<>();
  private boolean symbolTable;

  ElfBuilder entry(long address) {
    entry = address;
    return this;
  }

  /** A PT_LOAD with equal physical and virtual addresses. */
  ElfBuilder load(long address, byte[] data, long memsz, int flags) {
    return load(address, address, data, memsz, flags);
  }

  ElfBuilder load(long paddr, long vaddr, byte[] data, long memsz, int flags) {
    programHeaders.add(new ProgramHeader(PT_LOAD, flags, vaddr, paddr, data, memsz));
    return this;
  }

  ElfBuilder note(byte[] data) {
    programHeaders.add(new ProgramHeader(PT_NOTE, PF_R, 0, 0, data, data.length));
    return this;
  }

  /** Adds a symbol table even when no symbol is added (a table with only the null entry). */
  ElfBuilder symbolTable() {
    symbolTable = true;
    return this;
  }

  ElfBuilder symbol(String name, long value, int bind, int type, int shndx) {
    symbolTable = true;
    symbols.add(new Symbol(name, value, bind, type, shndx));
    return this;
  }

  ElfBuilder global(String name, long value) {
    return symbol(name, value, STB_GLOBAL, STT_OBJECT, 1);
  }

  ElfBuilder local(String name, long value) {
    return symbol(name, value, STB_LOCAL, STT_OBJECT, 1);
  }

  /** A minimal valid image: one executable segment at 0x8000_0000 holding {@code j .}. */
  static ElfBuilder minimal() {
    return new ElfBuilder().load(0x8000_0000L, new byte[] {0x6f, 0, 0, 0}, 4, PF_R | PF_X);
  }

  byte[] build() {
    int phoff = 64;
    long dataStart = align(phoff + 56L * programHeaders.size(), 8);
    ByteBuffer out =
        ByteBuffer.allocate(Math.toIntExact(totalSize(dataStart))).order(ByteOrder.LITTLE_ENDIAN);
    long cursor = dataStart;
    List<Long> dataOffsets = new ArrayList<>();
    for (ProgramHeader p : programHeaders) {
      dataOffsets.add(cursor);
      out.put(Math.toIntExact(cursor), p.data());
      cursor = align(cursor + p.data().length, 8);
    }
    long shoff = 0;
    if (symbolTable) {
      shoff = writeSymbols(out, cursor);
    }
    writeHeader(out, phoff, shoff);
    for (int i = 0; i < programHeaders.size(); i++) {
      writeProgramHeader(out, phoff + 56 * i, programHeaders.get(i), dataOffsets.get(i));
    }
    return out.array();
  }

  private long totalSize(long dataStart) {
    long size = dataStart;
    for (ProgramHeader p : programHeaders) {
      size = align(size + p.data().length, 8);
    }
    if (symbolTable) {
      size = align(size + stringTable().length, 8) + 24L * (symbols.size() + 1) + 64 * 3;
    }
    return size;
  }

  private void writeHeader(ByteBuffer out, int phoff, long shoff) {
    out.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    out.putShort(E_TYPE, (short) 2);
    out.putShort(E_MACHINE, (short) 243);
    out.putInt(E_VERSION, 1);
    out.putLong(E_ENTRY, entry);
    out.putLong(E_PHOFF, phoff);
    out.putLong(E_SHOFF, shoff);
    out.putInt(48, 0x5); // e_flags: RVC, double-float ABI
    out.putShort(52, (short) 64);
    out.putShort(E_PHENTSIZE, (short) 56);
    out.putShort(E_PHNUM, (short) programHeaders.size());
    out.putShort(E_SHENTSIZE, (short) (symbolTable ? 64 : 0));
    out.putShort(E_SHNUM, (short) (symbolTable ? 3 : 0));
    out.putShort(62, (short) 0);
  }

  private static void writeProgramHeader(ByteBuffer out, int at, ProgramHeader p, long offset) {
    out.putInt(at + P_TYPE, p.type());
    out.putInt(at + 4, p.flags());
    out.putLong(at + P_OFFSET, offset);
    out.putLong(at + 16, p.vaddr());
    out.putLong(at + P_PADDR, p.paddr());
    out.putLong(at + P_FILESZ, p.data().length);
    out.putLong(at + P_MEMSZ, p.memsz());
    out.putLong(at + 48, 8);
  }

  /** Writes .strtab, .symtab and the section headers from {@code at}; returns e_shoff. */
  private long writeSymbols(ByteBuffer out, long at) {
    byte[] strtab = stringTable();
    long strtabOffset = at;
    out.put(Math.toIntExact(strtabOffset), strtab);
    long symtabOffset = align(strtabOffset + strtab.length, 8);
    int nameOffset = 1;
    for (int i = 0; i < symbols.size(); i++) {
      Symbol s = symbols.get(i);
      int sym = Math.toIntExact(symtabOffset + 24L * (i + 1));
      out.putInt(sym + ST_NAME, s.name().isEmpty() ? 0 : nameOffset);
      out.put(sym + 4, (byte) (s.bind() << 4 | s.type()));
      out.putShort(sym + 6, (short) s.shndx());
      out.putLong(sym + 8, s.value());
      nameOffset += s.name().isEmpty() ? 0 : utf8(s.name()).length + 1;
    }
    long symtabSize = 24L * (symbols.size() + 1);
    long shoff = symtabOffset + symtabSize;
    writeSection(
        out, shoff + 64L * SYMTAB_SECTION, 2, symtabOffset, symtabSize, STRTAB_SECTION, 24);
    writeSection(out, shoff + 64L * STRTAB_SECTION, 3, strtabOffset, strtab.length, 0, 0);
    return shoff;
  }

  private static void writeSection(
      ByteBuffer out, long at, int type, long offset, long size, int link, long entsize) {
    int base = Math.toIntExact(at);
    out.putInt(base + SH_TYPE, type);
    out.putLong(base + SH_OFFSET, offset);
    out.putLong(base + SH_SIZE, size);
    out.putInt(base + SH_LINK, link);
    out.putLong(base + SH_ENTSIZE, entsize);
  }

  private byte[] stringTable() {
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    table.write(0);
    for (Symbol s : symbols) {
      if (!s.name().isEmpty()) {
        table.writeBytes(utf8(s.name()));
        table.write(0);
      }
    }
    return table.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long align(long value, long alignment) {
    return (value + alignment - 1) & -alignment;
  }

  // Helpers for tests that corrupt one field of a built image.

  static int programHeader(int index) {
    return 64 + 56 * index;
  }

  static long u64(byte[] elf, int at) {
    return ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
  }

  static void put16(byte[] elf, int at, int value) {
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
  }

  static void put32(byte[] elf, long at, long value) {
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(at), (int) value);
  }

  static void put64(byte[] elf, long at, long value) {
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putLong(Math.toIntExact(at), value);
  }

  /** File offset of section header {@code index} in a built image with symbols. */
  static long sectionHeader(byte[] elf, int index) {
    return u64(elf, E_SHOFF) + 64L * index;
  }

  /** File offset of symbol {@code index} (0 is the null symbol) in a built image. */
  static long symbolEntry(byte[] elf, int index) {
    return u64(elf, Math.toIntExact(sectionHeader(elf, SYMTAB_SECTION) + SH_OFFSET)) + 24L * index;
  }
}
