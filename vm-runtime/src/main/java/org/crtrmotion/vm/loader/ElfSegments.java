package org.crtrmotion.vm.loader;

import static org.crtrmotion.vm.loader.ElfBytes.hex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.crtrmotion.vm.loader.BootImage.Segment;

/** Turns the PT_LOAD program headers into segments at their physical addresses. */
final class ElfSegments {
  private static final long PT_LOAD = 1;
  private static final long PF_X = 1;
  // Far above any RAM a guest gets, far below sizes that wrap: a bigger p_memsz is corruption.
  static final long MAX_SEGMENT_BYTES = 1L << 36;

  private ElfSegments() {}

  /** A PT_LOAD entry and where it sits in the program header table. */
  record Loaded(int index, Segment segment, long fileSize) {}

  static List<Loaded> read(ElfBytes in, ElfHeader header) throws ImageFormatException {
    List<Loaded> loaded = new ArrayList<>();
    for (int i = 0; i < header.programHeaderCount(); i++) {
      long at = header.programHeaderOffset() + (long) i * ElfHeader.PROGRAM_HEADER_SIZE;
      if (in.u32(at) == PT_LOAD) {
        Loaded segment = readLoad(in, i, at);
        if (segment != null) {
          loaded.add(segment);
        }
      }
    }
    if (loaded.isEmpty()) {
      throw new ImageFormatException(
          "no loadable segments: none of the "
              + header.programHeaderCount()
              + " program headers is a PT_LOAD with a non-zero memory size");
    }
    checkNoOverlap(loaded);
    return loaded;
  }

  /** QEMU's rule: an entry inside an executable segment moves with that segment's load offset. */
  static long physicalEntry(long entry, List<Loaded> loaded) {
    long physical = entry;
    for (Loaded l : loaded) {
      Segment s = l.segment();
      long offset = entry - s.virtualAddress();
      if (s.executable()
          && s.virtualAddress() != s.physicalAddress()
          && Long.compareUnsigned(entry, s.virtualAddress()) >= 0
          && Long.compareUnsigned(offset, l.fileSize()) < 0) {
        physical = s.physicalAddress() + offset;
      }
    }
    return physical;
  }

  private static Loaded readLoad(ElfBytes in, int index, long at) throws ImageFormatException {
    long flags = in.u32(at + 4);
    long offset = in.u64(at + 8);
    long virtualAddress = in.u64(at + 16);
    long physicalAddress = in.u64(at + 24);
    long fileSize = in.u64(at + 32);
    long memorySize = in.u64(at + 40);
    String where = "program header " + index;
    if (Long.compareUnsigned(memorySize, fileSize) < 0) {
      throw new ImageFormatException(
          where
              + ": memory size (p_memsz "
              + hex(memorySize)
              + ") is smaller than file size (p_filesz "
              + hex(fileSize)
              + ")");
    }
    if (Long.compareUnsigned(memorySize, MAX_SEGMENT_BYTES) > 0) {
      throw new ImageFormatException(
          where
              + ": memory size (p_memsz "
              + hex(memorySize)
              + ") exceeds the limit of "
              + hex(MAX_SEGMENT_BYTES)
              + " bytes");
    }
    if (fileSize != 0 && !in.contains(offset, fileSize)) {
      throw new ImageFormatException(
          where
              + " extends past end of file (offset "
              + hex(offset)
              + ", size "
              + hex(fileSize)
              + ", file is "
              + hex(in.length())
              + " bytes)");
    }
    if (memorySize == 0) {
      return null;
    }
    if (Long.compareUnsigned(physicalAddress + memorySize - 1, physicalAddress) < 0) {
      throw new ImageFormatException(
          where
              + ": physical range "
              + hex(physicalAddress)
              + " + "
              + hex(memorySize)
              + " wraps past the end of the address space");
    }
    byte[] data = fileSize == 0 ? new byte[0] : in.copy(offset, fileSize);
    Segment segment =
        new Segment(physicalAddress, virtualAddress, data, memorySize, (flags & PF_X) != 0);
    return new Loaded(index, segment, fileSize);
  }

  private static void checkNoOverlap(List<Loaded> loaded) throws ImageFormatException {
    List<Loaded> byAddress = new ArrayList<>(loaded);
    byAddress.sort(Comparator.comparing(l -> l.segment().physicalAddress(), Long::compareUnsigned));
    for (int i = 1; i < byAddress.size(); i++) {
      Loaded a = byAddress.get(i - 1);
      Loaded b = byAddress.get(i);
      if (a.segment().overlaps(b.segment())) {
        Loaded first = a.index() < b.index() ? a : b;
        Loaded second = first == a ? b : a;
        throw new ImageFormatException(
            "program headers "
                + first.index()
                + " and "
                + second.index()
                + " overlap in physical memory: "
                + range(first.segment())
                + " and "
                + range(second.segment()));
      }
    }
  }

  private static String range(Segment s) {
    return "[" + hex(s.physicalAddress()) + ", " + hex(s.physicalEnd()) + ")";
  }
}
