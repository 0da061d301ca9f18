package org.crtrmotion.vm.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.board.virtio.DiskImage;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.board.virtio.VirtioBlk;
import org.crtrmotion.vm.board.virtio.VirtioMmio;
import org.crtrmotion.vm.checkpoint.proto.End;
import org.crtrmotion.vm.checkpoint.proto.Frame;
import org.crtrmotion.vm.checkpoint.proto.Header;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.checkpoint.proto.Page;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.memory.GuestMemory;

/**
 * Reads what {@link CheckpointWriter} writes, straight into a machine, page batch by page batch.
 * Anything it cannot accept is a {@link CheckpointFormatException} that names the problem; only
 * failures of the stream itself are IOExceptions.
 */
public final class CheckpointReader {
  static final int HEADER_CAP = 1 << 10;
  // The state carries the disk overlays (4 KiB per written block): room for 16 Ki blocks.
  static final int STATE_CAP = 64 << 20;
  // A state without disk overlays (CPU, devices, the UART's FIFO) is a few KiB.
  static final int STATE_CAP_WITHOUT_DISKS = 1 << 20;
  // An overlay block in the state: 4 KiB and its index and field tags.
  private static final int OVERLAY_BLOCK_BYTES = DiskImage.BLOCK + 32;
  static final int BATCH_CAP = CheckpointWriter.PAGES_PER_BATCH * (GuestMemory.PAGE_SIZE + 16) + 64;

  private CheckpointReader() {}

  /**
   * Builds a machine from a full checkpoint stream.
   *
   * @param plan what a guest-requested reset reloads, or null (see {@link Machine#restore})
   */
  public static Machine restore(InputStream in, BootPlan plan, Uart16550.Output console)
      throws IOException, CheckpointFormatException {
    return restore(in, plan, console, VirtioAttachments.none());
  }

  /** As {@link #restore(InputStream, BootPlan, Uart16550.Output)}, with the virtio devices. */
  public static Machine restore(
      InputStream in, BootPlan plan, Uart16550.Output console, VirtioAttachments devices)
      throws IOException, CheckpointFormatException {
    Header header = readHeader(in);
    if (header.getSinceGeneration() != 0) {
      throw new CheckpointFormatException(
          "an incremental checkpoint (since generation "
              + header.getSinceGeneration()
              + ") applies onto a restored machine, it does not build one");
    }
    MachineState state = readState(in, header, stateCap(disksOf(devices)));
    Machine m = Machine.restoreState(state, plan, console, devices);
    readPages(in, m.board().ram, false);
    return m;
  }

  /** Applies an incremental checkpoint stream onto a machine restored earlier. */
  public static void applyIncremental(InputStream in, Machine target)
      throws IOException, CheckpointFormatException {
    Header header = readHeader(in);
    if (header.getSinceGeneration() == 0) {
      throw new CheckpointFormatException(
          "a full checkpoint builds a machine (restore); it does not apply onto one");
    }
    if (header.getRamBytes() != target.board().ram.size()) {
      throw new CheckpointFormatException(
          String.format(
              "checkpoint refused: the header's ram_bytes %d is not this machine's %d",
              header.getRamBytes(), target.board().ram.size()));
    }
    MachineState state = readState(in, header, stateCap(disksOf(target)));
    target.loadState(state);
    readPages(in, target.board().ram, true);
  }

  /**
   * As {@link #restore(InputStream, BootPlan, Uart16550.Output, VirtioAttachments)}, from a file:
   * knowing its length, the reader refuses a frame that announces more than the rest of the file
   * before reading it.
   */
  public static Machine restore(
      Path file, BootPlan plan, Uart16550.Output console, VirtioAttachments devices)
      throws IOException, CheckpointFormatException {
    try (InputStream in =
        new FileInput(new BufferedInputStream(Files.newInputStream(file)), Files.size(file))) {
      return restore(in, plan, console, devices);
    }
  }

  private static List<DiskImage> disksOf(VirtioAttachments devices) {
    List<DiskImage> disks = new ArrayList<>();
    for (VirtioAttachments.Attachment a : devices.list()) {
      if (a instanceof VirtioAttachments.Disk d) {
        disks.add(d.image());
      }
    }
    return disks;
  }

  private static List<DiskImage> disksOf(Machine m) {
    List<DiskImage> disks = new ArrayList<>();
    for (VirtioMmio slot : m.board().virtio) {
      if (slot.device() instanceof VirtioBlk blk) {
        disks.add(blk.disk());
      }
    }
    return disks;
  }

  /**
   * The largest state frame the machine could have: its CPU and devices, and at most every block of
   * every disk written (the stream's own cap bounds that in turn).
   */
  static int stateCap(List<DiskImage> disks) {
    long cap = STATE_CAP_WITHOUT_DISKS;
    for (DiskImage d : disks) {
      cap += (d.bytes() + DiskImage.BLOCK - 1) / DiskImage.BLOCK * OVERLAY_BLOCK_BYTES;
    }
    return (int) Math.min(cap, STATE_CAP);
  }

  private static Header readHeader(InputStream in) throws IOException, CheckpointFormatException {
    byte[] prefix = in.readNBytes(CheckpointWriter.MAGIC.length + 1);
    if (prefix.length < CheckpointWriter.MAGIC.length
        || !Arrays.equals(
            prefix,
            0,
            CheckpointWriter.MAGIC.length,
            CheckpointWriter.MAGIC,
            0,
            CheckpointWriter.MAGIC.length)) {
      throw new CheckpointFormatException(
          "not a crtr checkpoint: wrong magic (the stream does not start with CRTRCKP)");
    }
    if (prefix.length < CheckpointWriter.MAGIC.length + 1) {
      throw Frames.truncated("format version");
    }
    int version = prefix[CheckpointWriter.MAGIC.length] & 0xff;
    checkVersion(version);
    Header h = parse(Frames.read(in, HEADER_CAP, "header"), "header", Header::parseFrom);
    checkVersion(h.getFormatVersion());
    if (h.getFormatVersion() != version) {
      throw new CheckpointFormatException(
          String.format(
              "corrupt checkpoint: the prefix says format version %d, the header %d",
              version, h.getFormatVersion()));
    }
    checkRam(h);
    return h;
  }

  /** Before anything is sized from the header's RAM: the machine is built from it. */
  private static void checkRam(Header h) throws CheckpointFormatException {
    if (h.getRamBase() != MachineConfig.RAM_BASE) {
      throw new CheckpointFormatException(
          String.format(
              "corrupt checkpoint: the header's ram_base 0x%x is not the board's 0x%x",
              h.getRamBase(), MachineConfig.RAM_BASE));
    }
    if (!MachineConfig.isRamSize(h.getRamBytes())) {
      throw new CheckpointFormatException(
          String.format(
              "corrupt checkpoint: the header's ram_bytes %s is not a RAM size a machine may have"
                  + " (whole 4 KiB pages, %d to %d bytes)",
              Long.toUnsignedString(h.getRamBytes()),
              MachineConfig.MIN_RAM_BYTES,
              MachineConfig.MAX_RAM_BYTES));
    }
  }

  private static void checkVersion(int version) throws CheckpointFormatException {
    if (version < Checkpoint.OLDEST_READABLE_VERSION || version > Checkpoint.FORMAT_VERSION) {
      throw new CheckpointFormatException(
          "checkpoint format version "
              + version
              + " is not supported: this reader reads versions "
              + Checkpoint.OLDEST_READABLE_VERSION
              + " to "
              + Checkpoint.FORMAT_VERSION);
    }
  }

  private static MachineState readState(InputStream in, Header header, int cap)
      throws IOException, CheckpointFormatException {
    MachineState s =
        parse(Frames.read(in, cap, "machine state"), "machine state", MachineState::parseFrom);
    if (s.getMachine().getRamBase() != header.getRamBase()
        || s.getMachine().getRamBytes() != header.getRamBytes()) {
      throw new CheckpointFormatException(
          "corrupt checkpoint: the header and the machine state disagree on RAM");
    }
    return s;
  }

  private static void readPages(InputStream in, GuestMemory ram, boolean incremental)
      throws IOException, CheckpointFormatException {
    BitSet seen = new BitSet(ram.pageCount());
    long pages = 0;
    long batches = 0;
    while (true) {
      Frame f = parse(Frames.read(in, BATCH_CAP, "page batch"), "page batch", Frame::parseFrom);
      if (f.hasEnd()) {
        checkEnd(f.getEnd(), pages, batches);
        ram.collectDirty(); // restoring is not guest activity
        return;
      }
      if (!f.hasPages()) {
        throw new CheckpointFormatException(
            "corrupt checkpoint: a frame that is neither pages nor end");
      }
      batches++;
      for (Page p : f.getPages().getPagesList()) {
        applyPage(ram, p, seen, incremental);
        pages++;
      }
    }
  }

  private static void applyPage(GuestMemory ram, Page p, BitSet seen, boolean incremental)
      throws CheckpointFormatException {
    int index = p.getIndex();
    if (index < 0 || index >= ram.pageCount()) {
      throw new CheckpointFormatException(
          "corrupt checkpoint: page index "
              + Integer.toUnsignedString(index)
              + " is out of range (RAM has "
              + ram.pageCount()
              + " pages)");
    }
    if (seen.get(index)) {
      throw new CheckpointFormatException("corrupt checkpoint: page " + index + " is duplicated");
    }
    seen.set(index);
    int length = p.getData().size();
    if (length == 0 && incremental) {
      ram.applyPage(index, null);
    } else if (length == GuestMemory.PAGE_SIZE) {
      ram.applyPage(index, p.getData().toByteArray());
    } else {
      throw new CheckpointFormatException(
          "corrupt checkpoint: page " + index + " has " + length + " bytes, not 4096");
    }
  }

  private static void checkEnd(End end, long pages, long batches) throws CheckpointFormatException {
    if (end.getPageCount() != pages || end.getBatchCount() != batches) {
      throw new CheckpointFormatException(
          String.format(
              "corrupt checkpoint: the end says %d pages in %d batches, the stream had %d in %d",
              end.getPageCount(), end.getBatchCount(), pages, batches));
    }
  }

  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  private static <T> T parse(byte[] bytes, String what, Parser<T> parser)
      throws CheckpointFormatException {
    try {
      return parser.parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointFormatException(
          "corrupt checkpoint: the " + what + " does not parse: " + e.getMessage(), e);
    }
  }
}
