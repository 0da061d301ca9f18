package org.crtrmotion.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;

/**
 * Every encoded frame of one stream from the moment the producer offers it until the receiver
 * acknowledges it, so that a dropped connection can resume from the receiver's next expected frame.
 * Frames stay in memory up to {@link Options#memoryBytes}; the rest spill to files in {@link
 * Options#spillDirectory} up to {@link Options#diskBudgetBytes}. Past {@link Options#highWater} of
 * the disk budget the log raises its {@link Throttle} (the lever for slowing the VM) and lowers it
 * again under {@link Options#lowWater}; when nothing more fits, {@link #offer} returns a stage that
 * completes only once acknowledgements made room. No frame is ever dropped.
 *
 * <p>Frames go to memory whenever the memory bound allows, else to the spill, so a frame may sit in
 * memory while an older one waits on disk: reads go by sequence number through an index of where
 * each held frame lives. A spill file is deleted as soon as every frame in it is acknowledged.
 *
 * <p>Thread-safe: the producer offers, the connection's stage reads and the acknowledgements arrive
 * on different threads. Futures and listeners are completed outside the lock.
 */
public final class OutboundLog implements AutoCloseable {
  /**
   * How much the log may hold.
   *
   * @param memoryBytes wire bytes of frames kept in memory at most
   * @param spillDirectory where spill files go; created if missing
   * @param diskBudgetBytes bytes of spill files at most, headers included
   * @param spillFileBytes size at which a spill file is closed and the next one started: a file is
   *     deleted only when all of it is acknowledged, so smaller files give space back sooner
   * @param highWater fraction of the disk budget at which the throttle is raised
   * @param lowWater fraction of the disk budget under which it is lowered again
   */
  public record Options(
      long memoryBytes,
      Path spillDirectory,
      long diskBudgetBytes,
      long spillFileBytes,
      double highWater,
      double lowWater) {
    public Options {
      Objects.requireNonNull(spillDirectory, "spillDirectory");
      if (memoryBytes < 0 || diskBudgetBytes < 0) {
        throw new IllegalArgumentException(
            "memory bound and disk budget must not be negative: "
                + memoryBytes
                + ", "
                + diskBudgetBytes);
      }
      if (spillFileBytes <= SpillFile.FILE_HEADER_BYTES) {
        throw new IllegalArgumentException("spill files must be larger than their header");
      }
      if (!(0 < lowWater && lowWater < highWater && highWater <= 1)) {
        throw new IllegalArgumentException(
            "water marks must satisfy 0 < low < high <= 1: low "
                + lowWater
                + ", high "
                + highWater);
      }
    }

    /**
     * Spill files of an eighth of the budget (at least 1 MiB); throttle at 75 %, lowered at 25 %.
     */
    public static Options of(long memoryBytes, Path spillDirectory, long diskBudgetBytes) {
      return new Options(
          memoryBytes,
          spillDirectory,
          diskBudgetBytes,
          Math.max(1 << 20, diskBudgetBytes / 8),
          0.75,
          0.25);
    }
  }

  /** The throttle signal: whether the VM should be slowed, and why it changed last. */
  public record Throttle(boolean raised, String reason) {}

  /**
   * The log's counters at one moment.
   *
   * @param nextSequence the sequence number the next offered frame must carry
   * @param acknowledgedSequence every frame before this one is acknowledged
   * @param servedSequence one past the highest frame a connection has taken from the log
   * @param heldBytes wire bytes of the frames not acknowledged yet, in memory or spilled
   */
  public record Stats(
      long nextSequence,
      long acknowledgedSequence,
      long servedSequence,
      long heldBytes,
      long memoryFrames,
      long memoryBytes,
      long memoryHighWaterBytes,
      long spillFrames,
      long spillBytes,
      long spillFiles,
      long spillHighWaterBytes,
      long framesSpilled,
      long framesAcknowledged,
      boolean throttled,
      long throttleEpisodes,
      boolean offerWaiting) {
    /** Frames the receiver has not acknowledged yet, sent or not. */
    public long heldFrames() {
      return nextSequence - acknowledgedSequence;
    }

    /** Frames served to a connection and not acknowledged: in flight or in the receiver's hands. */
    public long backlogFrames() {
      return Math.max(0, servedSequence - acknowledgedSequence);
    }
  }

  /** Where one held frame lives. */
  private sealed interface Entry permits InMemory, Spilled {}

  private record InMemory(ByteString frame) implements Entry {}

  private record Spilled(SpillFile file, long offset, int length) implements Entry {}

  /** A frame that did not fit, and its producer waiting for room. */
  private record Waiting(ByteString frame, CompletableFuture<Void> placed) {}

  /** A reader waiting for frame {@code sequence} to be offered. */
  private record Reader(long sequence, CompletableFuture<Void> available) {}

  private final String streamId;
  private final Options options;
  private final Ring<Entry> held = new Ring<>(); // frames [acknowledged, next)
  private final ArrayDeque<SpillFile> files = new ArrayDeque<>(); // oldest first
  private final List<Reader> readers = new ArrayList<>();
  private final List<Consumer<Throttle>> throttleListeners = new CopyOnWriteArrayList<>();

  private long next;
  private long acknowledged;
  private long served;
  private long endSequence = -1;
  private SpillFile writing; // the file new spilled frames go to, or null
  private int filesCreated;
  private long heldBytes;
  private long memoryFrames;
  private long memoryBytes;
  private long memoryHighWater;
  private long spillFrames;
  private long spillBytes;
  private long spillHighWater;
  private long framesSpilled;
  private long framesAcknowledged;
  private Throttle throttle = new Throttle(false, "not raised yet");
  private long throttleEpisodes;
  private Waiting waiting;
  private RuntimeException failure;
  private boolean closed;

  public OutboundLog(String streamId, Options options) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.options = Objects.requireNonNull(options, "options");
    try {
      Files.createDirectories(options.spillDirectory());
    } catch (IOException e) {
      throw new SpillException(
          "cannot create spill directory " + options.spillDirectory() + ": " + e.getMessage(), e);
    }
  }

  public String streamId() {
    return streamId;
  }

  public Options options() {
    return options;
  }

  /**
   * Takes the next frame of the stream (it must carry {@link Stats#nextSequence}). The stage is
   * complete when the frame is held; while memory and disk are full it stays pending until
   * acknowledgements free room, and the producer must wait for it before offering again. It fails
   * if the log has failed or is closed.
   */
  public CompletionStage<Void> offer(ByteString frame) {
    Objects.requireNonNull(frame, "frame");
    Notice notice = new Notice();
    CompletableFuture<Void> result;
    synchronized (this) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the log of stream '" + streamId + "' is closed"));
      }
      if (waiting != null) {
        throw new IllegalStateException(
            "stream '" + streamId + "': offer before the previous offer completed");
      }
      checkOffered(frame);
      if (place(frame)) {
        result = CompletableFuture.completedFuture(null);
      } else {
        result = new CompletableFuture<>();
        waiting = new Waiting(frame, result);
      }
      updateThrottle(notice);
      takeAvailableReaders(notice);
    }
    notice.deliver();
    return result;
  }

  private void checkOffered(ByteString frame) {
    FrameSequence header = FrameSequence.peek(frame);
    if (header.sequence() != next) {
      throw new IllegalArgumentException(
          "stream '"
              + streamId
              + "': offered frame "
              + header.sequence()
              + " where frame "
              + next
              + " comes next");
    }
    if (endSequence >= 0) {
      throw new IllegalArgumentException(
          "stream '" + streamId + "': frame " + next + " offered after END frame " + endSequence);
    }
    long record = SpillFile.recordBytes(frame.size()) + SpillFile.FILE_HEADER_BYTES;
    if (frame.size() > options.memoryBytes() && record > options.diskBudgetBytes()) {
      throw new IllegalArgumentException(
          "stream '"
              + streamId
              + "': frame "
              + next
              + " of "
              + frame.size()
              + " bytes fits neither the memory bound of "
              + options.memoryBytes()
              + " nor the disk budget of "
              + options.diskBudgetBytes()
              + " bytes");
    }
  }

  /** Holds the frame if it fits somewhere; false if it must wait for acknowledgements. */
  private boolean place(ByteString frame) {
    int size = frame.size();
    if (memoryBytes + size <= options.memoryBytes()) {
      held.addLast(new InMemory(frame));
      memoryFrames++;
      memoryBytes += size;
      memoryHighWater = Math.max(memoryHighWater, memoryBytes);
    } else if (!spill(frame)) {
      return false;
    }
    if (FrameSequence.peek(frame).isEnd()) {
      endSequence = next;
    }
    heldBytes += size;
    next++;
    return true;
  }

  private boolean spill(ByteString frame) {
    long record = SpillFile.recordBytes(frame.size());
    boolean roll =
        writing == null
            || (writing.sizeBytes() > SpillFile.FILE_HEADER_BYTES
                && writing.sizeBytes() + record > options.spillFileBytes());
    long needed = record + (roll ? SpillFile.FILE_HEADER_BYTES : 0);
    if (spillBytes + needed > options.diskBudgetBytes()) {
      return false;
    }
    if (roll) {
      writing =
          SpillFile.create(
              options
                  .spillDirectory()
                  .resolve(String.format("spill-%s-%06d.bin", safeName(), filesCreated++)));
      files.addLast(writing);
      spillBytes += writing.sizeBytes();
    }
    long offset = writing.append(next, frame);
    held.addLast(new Spilled(writing, offset, frame.size()));
    spillFrames++;
    framesSpilled++;
    spillBytes += record;
    spillHighWater = Math.max(spillHighWater, spillBytes);
    return true;
  }

  private String safeName() {
    return streamId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Frame {@code sequence}, from memory or read back from its spill file; null if it has not been
   * offered yet. A frame already acknowledged is gone: asking for it is an error.
   */
  public synchronized ByteString read(long sequence) {
    if (failure != null) {
      throw failure;
    }
    if (sequence < acknowledged) {
      throw new IllegalArgumentException(
          "stream '"
              + streamId
              + "': frame "
              + sequence
              + " was acknowledged and dropped; the log holds frames from "
              + acknowledged);
    }
    if (sequence >= next) {
      return null;
    }
    Entry entry = held.get((int) (sequence - acknowledged));
    if (entry instanceof InMemory m) {
      return m.frame();
    }
    Spilled s = (Spilled) entry;
    return s.file().read(s.offset(), sequence, s.length());
  }

  /**
   * Completes when frame {@code sequence} has been offered (at once if it has), or fails when the
   * log fails first.
   */
  public CompletionStage<Void> whenOffered(long sequence) {
    synchronized (this) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the log of stream '" + streamId + "' is closed"));
      }
      if (sequence < next) {
        return CompletableFuture.completedFuture(null);
      }
      Reader reader = new Reader(sequence, new CompletableFuture<>());
      readers.add(reader);
      return reader.available();
    }
  }

  /** Records that a connection took frame {@code sequence} from the log, for the backlog. */
  public synchronized void served(long sequence) {
    served = Math.max(served, sequence + 1);
  }

  /**
   * The receiver has taken in every frame before {@code nextSequence}: drops them, deletes spill
   * files that held only such frames, places a waiting offer if it now fits, and lowers the
   * throttle if the spill fell under the low-water mark. An older acknowledgement than one already
   * seen changes nothing.
   */
  public void acknowledge(long nextSequence) {
    Notice notice = new Notice();
    synchronized (this) {
      if (failure != null || closed || nextSequence <= acknowledged) {
        return;
      }
      if (nextSequence > next) {
        throw new IllegalArgumentException(
            "stream '"
                + streamId
                + "': acknowledgement up to frame "
                + nextSequence
                + " but only frames before "
                + next
                + " were offered");
      }
      while (acknowledged < nextSequence) {
        Entry entry = held.removeFirst();
        if (entry instanceof InMemory m) {
          memoryFrames--;
          memoryBytes -= m.frame().size();
          heldBytes -= m.frame().size();
        } else {
          spillFrames--;
          heldBytes -= ((Spilled) entry).length();
        }
        acknowledged++;
        framesAcknowledged++;
      }
      deleteAcknowledgedFiles();
      if (waiting != null && place(waiting.frame())) {
        notice.placed = waiting.placed();
        waiting = null;
        takeAvailableReaders(notice);
      }
      updateThrottle(notice);
    }
    notice.deliver();
  }

  private void deleteAcknowledgedFiles() {
    while (!files.isEmpty() && files.peekFirst().lastSequence() < acknowledged) {
      SpillFile file = files.removeFirst();
      if (file == writing) {
        writing = null;
      }
      spillBytes -= file.sizeBytes();
      file.delete();
    }
  }

  private void updateThrottle(Notice notice) {
    long high = (long) (options.diskBudgetBytes() * options.highWater());
    long low = (long) (options.diskBudgetBytes() * options.lowWater());
    if (!throttle.raised() && (spillBytes >= high || waiting != null)) {
      throttleEpisodes++;
      throttle =
          new Throttle(
              true,
              String.format(
                  "stream '%s': the receiver lags; spill holds %d of its %d-byte budget"
                      + " (high-water %d), frames %d to %d await acknowledgement%s",
                  streamId,
                  spillBytes,
                  options.diskBudgetBytes(),
                  high,
                  acknowledged,
                  next - 1,
                  waiting != null ? ", and the producer waits for room" : ""));
      notice.throttle = throttle;
    } else if (throttle.raised() && spillBytes <= low && waiting == null) {
      throttle =
          new Throttle(
              false,
              String.format(
                  "stream '%s': the receiver caught up; spill holds %d bytes, under the"
                      + " low-water mark %d",
                  streamId, spillBytes, low));
      notice.throttle = throttle;
    }
  }

  private void takeAvailableReaders(Notice notice) {
    for (Iterator<Reader> it = readers.iterator(); it.hasNext(); ) {
      Reader reader = it.next();
      if (reader.sequence() < next) {
        it.remove();
        notice.available.add(reader.available());
      }
    }
  }

  /** The throttle signal now. */
  public synchronized Throttle throttle() {
    return throttle;
  }

  /**
   * Calls {@code listener} on every change of the throttle signal, on the thread that caused it (an
   * offer or an acknowledgement), outside the log's lock.
   */
  public void onThrottle(Consumer<Throttle> listener) {
    throttleListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The sequence number of the END frame once offered, else -1. */
  public synchronized long endSequence() {
    return endSequence;
  }

  /** Whether the END frame has been offered and acknowledged: the stream is delivered. */
  public synchronized boolean isDelivered() {
    return endSequence >= 0 && acknowledged > endSequence;
  }

  public synchronized Stats stats() {
    return new Stats(
        next,
        acknowledged,
        served,
        heldBytes,
        memoryFrames,
        memoryBytes,
        memoryHighWater,
        spillFrames,
        spillBytes,
        files.size(),
        spillHighWater,
        framesSpilled,
        framesAcknowledged,
        throttle.raised(),
        throttleEpisodes,
        waiting != null);
  }

  /**
   * Fails the log: a waiting offer, readers waiting for frames and every later call fail with
   * {@code cause}; the spill files are deleted.
   */
  public void fail(RuntimeException cause) {
    Objects.requireNonNull(cause, "cause");
    List<CompletableFuture<?>> toFail = new ArrayList<>();
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = cause;
      if (waiting != null) {
        toFail.add(waiting.placed());
        waiting = null;
      }
      readers.forEach(r -> toFail.add(r.available()));
      readers.clear();
      release();
    }
    toFail.forEach(f -> f.completeExceptionally(cause));
  }

  /**
   * Drops everything held and deletes the spill files; later offers fail, and so do a waiting offer
   * and readers still waiting for a frame.
   */
  @Override
  public void close() {
    List<CompletableFuture<?>> toFail = new ArrayList<>();
    synchronized (this) {
      closed = true;
      if (waiting != null) {
        toFail.add(waiting.placed());
        waiting = null;
      }
      readers.forEach(r -> toFail.add(r.available()));
      readers.clear();
      release();
    }
    IllegalStateException closedNow =
        new IllegalStateException("the log of stream '" + streamId + "' is closed");
    toFail.forEach(f -> f.completeExceptionally(closedNow));
  }

  private void release() {
    held.clear();
    heldBytes = 0;
    memoryFrames = 0;
    memoryBytes = 0;
    spillFrames = 0;
    for (SpillFile file : files) {
      file.delete();
    }
    files.clear();
    writing = null;
    spillBytes = 0;
  }

  /** A queue with access by index: reads go by sequence number into the middle of the log. */
  private static final class Ring<T> {
    private Object[] items = new Object[64];
    private int head;
    private int size;

    void addLast(T item) {
      if (size == items.length) {
        Object[] grown = new Object[items.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = items[(head + i) % items.length];
        }
        items = grown;
        head = 0;
      }
      items[(head + size++) % items.length] = item;
    }

    @SuppressWarnings("unchecked")
    T removeFirst() {
      T item = (T) items[head];
      items[head] = null;
      head = (head + 1) % items.length;
      size--;
      return item;
    }

    @SuppressWarnings("unchecked")
    T get(int index) {
      return (T) items[(head + index) % items.length];
    }

    void clear() {
      java.util.Arrays.fill(items, null);
      head = 0;
      size = 0;
    }
  }

  /** What to tell, after the lock is released. */
  private final class Notice {
    final List<CompletableFuture<Void>> available = new ArrayList<>();
    CompletableFuture<Void> placed;
    Throttle throttle;

    void deliver() {
      if (placed != null) {
        placed.complete(null);
      }
      available.forEach(f -> f.complete(null));
      if (throttle != null) {
        throttleListeners.forEach(listener -> listener.accept(throttle));
      }
    }
  }
}
