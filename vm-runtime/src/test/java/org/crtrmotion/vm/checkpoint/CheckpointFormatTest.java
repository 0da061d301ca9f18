package org.crtrmotion.vm.checkpoint;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.checkpoint.proto.End;
import org.crtrmotion.vm.checkpoint.proto.Frame;
import org.crtrmotion.vm.checkpoint.proto.Header;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.checkpoint.proto.Page;
import org.crtrmotion.vm.checkpoint.proto.PageBatch;
import org.crtrmotion.vm.checkpoint.proto.TimeMode;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.state.StateDigest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {
  private static final long BASE = MachineConfig.RAM_BASE;

  private Machine machine;
  private Checkpoint checkpoint;
  private byte[] stream;

  /** A tiny guest in 4 MiB that counts in a register and stores the count: a small checkpoint. */
  @BeforeEach
  void takeASmallCheckpoint() throws Exception {
    int[] words = {auipc(5, 0x10), addi(6, 6, 1), sd(6, 5, 0), jal(0, -8)};
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    ElfImage image =
        new ElfImage(
            BASE, List.of(new BootImage.Segment(BASE, BASE, b.array(), 0x1000, true)), Map.of());
    machine = Machine.boot(MachineConfig.defaults().withRamBytes(4L << 20), image, x -> {});
    machine.run(1000);
    checkpoint = machine.checkpoint();
    stream = GuestRuns.bytes(checkpoint);
  }

  private static Machine read(byte[] bytes) throws IOException, CheckpointFormatException {
    return CheckpointReader.restore(new ByteArrayInputStream(bytes), null, x -> {});
  }

  private static String refusal(byte[] bytes) {
    return assertThrows(CheckpointFormatException.class, () -> read(bytes)).getMessage();
  }

  @Test
  void aStreamRestoresToTheDigestOfTheCheckpointInstant() throws Exception {
    StateDigest expected = machine.board().digest();
    machine.run(5000);
    assertEquals(expected, read(stream).board().digest());
  }

  @Test
  void wrongMagicIsRefused() {
    byte[] bad = stream.clone();
    bad[0] = 'X';
    assertTrue(refusal(bad).contains("wrong magic"), refusal(bad));
    assertTrue(refusal(new byte[0]).contains("wrong magic"));
  }

  @Test
  void anotherFormatVersionIsRefused() {
    byte[] bad = stream.clone();
    bad[7] = 3;
    assertEquals(
        "checkpoint format version 3 is not supported: this reader reads versions 1 to 2",
        refusal(bad));
  }

  /** Format 1 differs only in never carrying overlay deltas: its streams are still read. */
  @Test
  void aStreamOfFormatVersion1IsStillRead() throws Exception {
    StateDigest expected = machine.board().digest();
    assertEquals(Checkpoint.FORMAT_VERSION, stream[7]);
    assertEquals(expected, read(asVersion1(stream)).board().digest());
  }

  @Test
  void aPrefixAndHeaderOfDifferentVersionsAreRefused() throws Exception {
    byte[] bad = asVersion1(stream);
    bad[7] = 2;
    assertTrue(refusal(bad).contains("prefix says format version 2, the header 1"), refusal(bad));
  }

  // ---------------------------------------------------------------- hostile sizes

  @Test
  void aHeaderAnnouncingMoreRamThanAnyMachineHasIsRefusedBeforeTheState() throws Exception {
    Header huge = header().toBuilder().setRamBytes(1L << 40).build();
    String why = refusal(prefixAndHeader(huge).toByteArray()); // no state follows: not read
    assertTrue(why.contains("ram_bytes 1099511627776"), why);
    assertTrue(why.contains("68719476736"), why);
  }

  @Test
  void aHeaderAnnouncingRamOfNoWholePagesIsRefused() throws Exception {
    Header odd = header().toBuilder().setRamBytes((4L << 20) + 1).build();
    String why = refusal(prefixAndHeader(odd).toByteArray());
    assertTrue(why.contains("ram_bytes 4194305"), why);
  }

  @Test
  void aHeaderPlacingRamElsewhereThanTheBoardIsRefused() throws Exception {
    String why = refusal(prefixAndHeader(header().toBuilder().setRamBase(0).build()).toByteArray());
    assertTrue(why.contains("ram_base 0x0"), why);
  }

  /** Without disks a state is a few KiB: a frame announcing 32 MiB is refused before reading. */
  @Test
  void aStateFrameLargerThanTheAttachedDevicesAllowIsRefusedBeforeItIsRead() throws Exception {
    ByteArrayOutputStream out = prefixAndHeader(header());
    varint(out, 32 << 20);
    out.write(new byte[16]);
    String why = refusal(out.toByteArray());
    assertTrue(why.contains("machine state is said to be 33554432 bytes"), why);
    assertTrue(why.contains("1048576"), why);
  }

  @Test
  void aFrameLongerThanWhatRemainsOfTheFileIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = prefixAndHeader(header());
    varint(out, 900 << 10);
    out.write(new byte[10]);
    Path file = dir.resolve("cut.ckpt");
    Files.write(file, out.toByteArray());
    CheckpointFormatException e =
        assertThrows(
            CheckpointFormatException.class,
            () -> CheckpointReader.restore(file, null, x -> {}, VirtioAttachments.none()));
    assertTrue(e.getMessage().contains("921600 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("only 10 remain in the file"), e.getMessage());
  }

  @Test
  void aCheckpointFileRestoresToTheDigestOfItsInstant(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("small.ckpt");
    Files.write(file, stream);
    Machine m = CheckpointReader.restore(file, null, x -> {}, VirtioAttachments.none());
    assertEquals(machine.board().digest(), m.board().digest());
  }

  private static ByteArrayOutputStream prefixAndHeader(Header header) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(CheckpointWriter.MAGIC);
    out.write(header.getFormatVersion());
    Frames.write(out, header.toByteArray());
    return out;
  }

  private static void varint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  /** The stream with version 1 in its prefix and header, its frames otherwise unchanged. */
  private static byte[] asVersion1(byte[] stream) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(stream, 8, stream.length - 8);
    Header h = Header.parseFrom(Frames.read(in, 1 << 10, "header"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(CheckpointWriter.MAGIC);
    out.write(1);
    Frames.write(out, h.toBuilder().setFormatVersion(1).build().toByteArray());
    out.write(in.readAllBytes());
    return out.toByteArray();
  }

  @Test
  void aHeaderOfAnotherVersionIsRefusedEvenBehindTheRightPrefix() throws Exception {
    Header h = header().toBuilder().setFormatVersion(7).build();
    byte[] bad = craft(h, checkpoint.state(), List.of());
    assertTrue(refusal(bad).contains("version 7"), refusal(bad));
  }

  @Test
  void aChecksumMismatchIsNamed() {
    byte[] bad = stream.clone();
    bad[bad.length / 2] ^= 0x10;
    assertTrue(refusal(bad).contains("checksum mismatch"), refusal(bad));
  }

  @Test
  void aTruncatedStreamIsNamed() {
    byte[] bad = Arrays.copyOf(stream, stream.length - 100);
    assertTrue(refusal(bad).startsWith("truncated checkpoint"), refusal(bad));
  }

  @Test
  void aPageIndexOutOfRangeIsNamed() throws Exception {
    byte[] bad = craft(header(), checkpoint.state(), List.of(page(256), page(1 << 20)));
    assertEquals(
        "corrupt checkpoint: page index 1048576 is out of range (RAM has 1024 pages)",
        refusal(bad));
  }

  @Test
  void aDuplicatedPageIsNamed() throws Exception {
    byte[] bad = craft(header(), checkpoint.state(), List.of(page(3), page(3)));
    assertEquals("corrupt checkpoint: page 3 is duplicated", refusal(bad));
  }

  @Test
  void aPageOfTheWrongSizeIsNamed() throws Exception {
    Page small = Page.newBuilder().setIndex(1).setData(ByteString.copyFrom(new byte[100])).build();
    byte[] bad = craft(header(), checkpoint.state(), List.of(small));
    assertTrue(refusal(bad).contains("100 bytes, not 4096"), refusal(bad));
  }

  @Test
  void anEndThatDisagreesWithThePagesIsNamed() throws Exception {
    ByteArrayOutputStream out = prefixHeaderState(header(), checkpoint.state());
    Frames.write(
        out, Frame.newBuilder().setEnd(End.newBuilder().setPageCount(5)).build().toByteArray());
    assertTrue(refusal(out.toByteArray()).contains("the end says 5 pages"));
  }

  @Test
  void aStateThatPassesItsChecksumButNoMachineCouldHaveIsRefused() throws Exception {
    MachineState noTime =
        checkpoint.state().toBuilder()
            .setMachine(
                checkpoint.state().getMachine().toBuilder()
                    .setTimeMode(TimeMode.TIME_MODE_UNSPECIFIED))
            .build();
    assertTrue(refusal(craft(header(), noTime, List.of())).contains("unknown time mode"));
    MachineState badPriv =
        checkpoint.state().toBuilder()
            .setHart(checkpoint.state().getHart().toBuilder().setPriv(2))
            .build();
    assertTrue(refusal(craft(header(), badPriv, List.of())).contains("privilege 2"));
  }

  @Test
  void anIncrementalStreamDoesNotBuildAMachineNorAFullOneApplyOntoOne() throws Exception {
    byte[] incremental =
        craft(header().toBuilder().setSinceGeneration(2).build(), checkpoint.state(), List.of());
    assertTrue(refusal(incremental).contains("incremental"));
    CheckpointFormatException e =
        assertThrows(
            CheckpointFormatException.class,
            () -> CheckpointReader.applyIncremental(new ByteArrayInputStream(stream), machine));
    assertTrue(e.getMessage().contains("full checkpoint"));
  }

  /** Every prefix of the stream is refused, as truncated or as a wrong magic. */
  @Test
  void everyTruncationIsRefusedWithAFormatException() {
    for (int length = 0; length < stream.length; length++) {
      byte[] cut = Arrays.copyOf(stream, length);
      assertThrows(CheckpointFormatException.class, () -> read(cut), "length " + length);
    }
  }

  /** A flipped bit or a random byte anywhere: a format exception, never another exception. */
  @Test
  void everyFlippedByteIsRefusedWithAFormatException() {
    Random random = new Random(42);
    for (int i = 0; i < stream.length; i++) {
      byte[] bad = stream.clone();
      bad[i] ^= (byte) (1 << (i & 7));
      assertThrows(CheckpointFormatException.class, () -> read(bad), "bit flip at " + i);
      byte[] replaced = stream.clone();
      replaced[i] = (byte) (replaced[i] ^ (1 + random.nextInt(255)));
      assertThrows(CheckpointFormatException.class, () -> read(replaced), "byte at " + i);
    }
  }

  private Header header() {
    return Header.newBuilder()
        .setFormatVersion(1)
        .setRamBase(BASE)
        .setRamBytes(4L << 20)
        .setGeneration(checkpoint.generation())
        .build();
  }

  private static Page page(int index) {
    return Page.newBuilder().setIndex(index).setData(ByteString.copyFrom(new byte[4096])).build();
  }

  private static ByteArrayOutputStream prefixHeaderState(Header header, MachineState state)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(CheckpointWriter.MAGIC);
    out.write(1);
    Frames.write(out, header.toByteArray());
    Frames.write(out, state.toByteArray());
    return out;
  }

  /** A stream with valid checksums around whatever content a test needs. */
  private static byte[] craft(Header header, MachineState state, List<Page> pages)
      throws IOException {
    ByteArrayOutputStream out = prefixHeaderState(header, state);
    if (!pages.isEmpty()) {
      PageBatch batch = PageBatch.newBuilder().addAllPages(pages).build();
      Frames.write(out, Frame.newBuilder().setPages(batch).build().toByteArray());
    }
    End end =
        End.newBuilder().setPageCount(pages.size()).setBatchCount(pages.isEmpty() ? 0 : 1).build();
    Frames.write(out, Frame.newBuilder().setEnd(end).build().toByteArray());
    return out.toByteArray();
  }
}
