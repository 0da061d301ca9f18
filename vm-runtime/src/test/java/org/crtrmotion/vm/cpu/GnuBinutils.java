package org.crtrmotion.vm.cpu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the GNU RISC-V assembler and disassembler over many instruction words at once, so that tests
 * can use binutils as an independent decoder. One assembler and one disassembler process per batch
 * keeps a 49152-parcel sweep well under a second.
 */
final class GnuBinutils {

  static final String ASSEMBLER = "riscv64-unknown-elf-as";
  static final String DISASSEMBLER = "riscv64-unknown-elf-objdump";

  // The object's arch attribute tells objdump which extensions exist, so RV32-only and
  // non-GC encodings (Zcb, Zcmp, ...) are judged exactly as on our RV64GC hart.
  private static final String ARCH = "rv64gc";
  private static final long TIMEOUT_SECONDS = 60;

  private static final Pattern LINE =
      Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]+)\\s*\\t([^\\t]+?)\\s*(?:\\t(.*))?$");
  private static final Pattern ADDRESS_OPERAND = Pattern.compile("^([0-9a-f]+) <[^>]*>$");

  /**
   * One disassembled instruction. Branch and jump targets are rewritten from absolute addresses to
   * {@code pc+N} / {@code pc-N}, so that instructions at different addresses compare equal.
   */
  record Instruction(long address, int bits, String mnemonic, List<String> operands) {

    /** objdump prints words it cannot decode as data ({@code .2byte}, {@code .4byte}). */
    boolean decoded() {
      return !mnemonic.startsWith(".");
    }

    String text() {
      return operands.isEmpty() ? mnemonic : mnemonic + " " + String.join(",", operands);
    }
  }

  private GnuBinutils() {}

  static boolean available() {
    return onPath(ASSEMBLER) && onPath(DISASSEMBLER);
  }

  /**
   * Assembles {@code words} back to back (16-bit parcels take 2 bytes, 32-bit words 4) and
   * disassembles them with {@code -M no-aliases,numeric}, so mnemonics are the real ones ({@code
   * c.addi x0,0}, not {@code nop}) and registers are {@code xN}/{@code fN}.
   */
  static List<Instruction> disassemble(int[] words, Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path source = workDir.resolve("words.s");
    Path object = workDir.resolve("words.o");
    Path listing = workDir.resolve("words.dis");
    // .insn rather than .2byte/.incbin: data directives get data mapping symbols, and objdump
    // would dump them as data instead of decoding them.
    StringBuilder asm = new StringBuilder(words.length * 20).append("\t.text\n");
    for (int word : words) {
      asm.append("\t.insn 0x").append(Integer.toHexString(word)).append('\n');
    }
    Files.writeString(source, asm, StandardCharsets.US_ASCII);
    run(workDir, null, ASSEMBLER, "-march=" + ARCH, "-o", object.toString(), source.toString());
    run(workDir, listing, DISASSEMBLER, "-d", "-M", "no-aliases,numeric", object.toString());

    List<Instruction> instructions = new ArrayList<>(words.length);
    for (String line : Files.readAllLines(listing, StandardCharsets.US_ASCII)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        instructions.add(parse(m));
      }
    }
    checkAligned(words, instructions);
    return instructions;
  }

  private static Instruction parse(Matcher m) {
    long address = Long.parseUnsignedLong(m.group(1), 16);
    int bits = Integer.parseUnsignedInt(m.group(2), 16);
    String operandText = m.group(4) == null ? "" : m.group(4);
    // objdump tracks values that lui/auipc put in registers and appends the address a later
    // load or store would touch as "# 14088 <.text+0x14088>"; that is commentary, not an operand.
    int comment = operandText.indexOf(" # ");
    if (comment >= 0) {
      operandText = operandText.substring(0, comment);
    }
    List<String> operands = new ArrayList<>();
    if (!operandText.isEmpty()) {
      for (String operand : operandText.split(",")) {
        operands.add(pcRelative(operand.trim(), address));
      }
    }
    return new Instruction(address, bits, m.group(3), List.copyOf(operands));
  }

  private static String pcRelative(String operand, long address) {
    Matcher m = ADDRESS_OPERAND.matcher(operand);
    if (!m.matches()) {
      return operand;
    }
    long offset = Long.parseUnsignedLong(m.group(1), 16) - address;
    return offset < 0 ? "pc" + offset : "pc+" + offset;
  }

  /** A lost or misread line would silently pair a parcel with its neighbour's disassembly. */
  private static void checkAligned(int[] words, List<Instruction> instructions) {
    if (instructions.size() != words.length) {
      throw new IllegalStateException(
          "objdump listed " + instructions.size() + " instructions for " + words.length + " words");
    }
    long address = 0;
    for (int i = 0; i < words.length; i++) {
      Instruction insn = instructions.get(i);
      if (insn.address() != address || insn.bits() != words[i]) {
        throw new IllegalStateException(
            String.format(
                "objdump listed %08x at %x where %08x at %x was assembled",
                insn.bits(), insn.address(), words[i], address));
      }
      address += (words[i] & 0b11) == 0b11 ? 4 : 2;
    }
  }

  private static void run(Path workDir, Path stdout, String... command)
      throws IOException, InterruptedException {
    Path log = workDir.resolve(command[0] + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    if (stdout != null) {
      builder.redirectOutput(stdout.toFile()).redirectError(log.toFile());
    } else {
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
    }
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command[0] + " did not finish in " + TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + process.exitValue()
              + ":\n"
              + Files.readString(log));
    }
  }

  private static boolean onPath(String executable) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .map(dir -> Path.of(dir, executable))
            .anyMatch(Files::isExecutable);
  }
}
