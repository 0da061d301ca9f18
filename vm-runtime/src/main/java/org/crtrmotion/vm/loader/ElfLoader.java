package org.crtrmotion.vm.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Parses little-endian RV64 executables (ET_EXEC) into {@link ElfImage}s the way QEMU 7.2's {@code
 * load_elf} places them: every PT_LOAD at its {@code p_paddr}, zero-filled from {@code p_filesz} to
 * {@code p_memsz}.
 *
 * <p>Stricter than QEMU where QEMU would go on to fail later or load garbage: overlapping segments,
 * a segment larger in the file than in memory, and ranges outside the file are rejected here with
 * the program header's number in the message.
 */
public final class ElfLoader {

  private ElfLoader() {}

  public static ElfImage parse(byte[] bytes) throws ImageFormatException {
    ElfBytes in = new ElfBytes(bytes);
    ElfHeader header = ElfHeader.parse(in);
    List<ElfSegments.Loaded> loaded = ElfSegments.read(in, header);
    Map<String, Long> symbols = ElfSymbols.read(in, header);
    long entry = ElfSegments.physicalEntry(header.entry(), loaded);
    return new ElfImage(entry, loaded.stream().map(ElfSegments.Loaded::segment).toList(), symbols);
  }

  public static ElfImage read(Path file) throws IOException, ImageFormatException {
    byte[] bytes = ImageFiles.readAll(file);
    try {
      return parse(bytes);
    } catch (ImageFormatException e) {
      throw new ImageFormatException(file + ": " + e.getMessage(), e);
    }
  }
}
