package org.crtrmotion.vm.input;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.crtrmotion.vm.trace.InputEvent;

/**
 * The inputs of a replay that is still arriving: a receiver appends the events of each segment as
 * it comes, with the instruction count the trace covers so far; the VM thread takes them. Bounded:
 * a batch that does not fit is refused until the replayer has taken enough, so a slow replayer
 * holds back the stream instead of filling memory ({@link #whenRoom()} says when to try again).
 *
 * <p>Coverage is the contract with the replayer: every event below {@link #coveredIcount()} has
 * been appended. The machine may therefore run to exactly that count and no further; {@link
 * StreamingReplay} does so. {@link #peek()} returns null when nothing is buffered, which is the end
 * of the trace only once {@link #isFinished()}: attach this feed with {@code goLiveAtEnd = false}.
 *
 * <p>Thread-safe between one appending thread and the VM thread. The VM thread takes events from a
 * batch it owns and locks only to move to the next batch.
 */
public final class GrowingFeed implements InputFeed {
  private final int maxBufferedEvents;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progressed = lock.newCondition();
  private final ArrayDeque<List<InputEvent>> batches = new ArrayDeque<>();
  private int bufferedEvents; // appended and not yet taken by the VM thread; under lock
  private long coveredIcount; // under lock
  private boolean finished; // under lock
  private Throwable failure; // why no more will arrive before the end; under lock
  private CompletableFuture<Void> room; // completed when the VM thread frees space; under lock
  private long lastEventIcount;

  // The VM thread's batch: it reads them without the lock and writes them under it.
  private List<InputEvent> current = List.of();
  private int next;

  /** A feed for a trace that starts at {@code startIcount}, buffering about {@code max} events. */
  public GrowingFeed(long startIcount, int maxBufferedEvents) {
    if (maxBufferedEvents < 1) {
      throw new IllegalArgumentException(
          "the feed must buffer at least 1 event, not " + maxBufferedEvents);
    }
    if (startIcount < 0) {
      throw new IllegalArgumentException("start instruction count " + startIcount + " < 0");
    }
    this.maxBufferedEvents = maxBufferedEvents;
    this.coveredIcount = startIcount;
    this.lastEventIcount = startIcount;
  }

  /**
   * Appends a segment's events and raises the coverage to {@code coveredIcount}; {@code finished}
   * marks the trace's last segment. Returns false, appending nothing, when the batch does not fit
   * (a batch always fits an empty feed, however large). Throws when the batch contradicts what came
   * before: coverage going backwards, an event out of order or below the coverage already claimed,
   * anything after the end.
   */
  public boolean tryAppend(List<InputEvent> events, long coveredIcount, boolean finished) {
    Objects.requireNonNull(events, "events");
    lock.lock();
    try {
      check(events, coveredIcount);
      if (bufferedEvents + events.size() > maxBufferedEvents && replayerCanProceed()) {
        return false;
      }
      if (!events.isEmpty()) {
        batches.add(List.copyOf(events));
        bufferedEvents += events.size();
        lastEventIcount = events.get(events.size() - 1).instructionCount();
      }
      this.coveredIcount = coveredIcount;
      this.finished = finished;
      progressed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the replayer can still take an event without more coverage. When it cannot (everything
   * buffered sits at or past the coverage, or nothing is buffered), refusing a batch would leave
   * both sides waiting for each other, so the batch is taken whatever its size.
   */
  private boolean replayerCanProceed() {
    InputEvent first = next < current.size() ? current.get(next) : null;
    if (first == null && !batches.isEmpty()) {
      first = batches.peek().get(0);
    }
    return first != null && first.instructionCount() < coveredIcount;
  }

  private void check(List<InputEvent> events, long covered) {
    if (failure != null) {
      throw new IllegalStateException(
          "the feed was failed at instruction "
              + coveredIcount
              + " ("
              + failure.getMessage()
              + "): nothing more is taken",
          failure);
    }
    if (finished) {
      throw new IllegalStateException(
          "the trace already ended at instruction " + this.coveredIcount + ": nothing follows it");
    }
    if (covered < this.coveredIcount) {
      throw new IllegalArgumentException(
          "coverage goes backwards: instruction " + covered + " after " + this.coveredIcount);
    }
    long previous = lastEventIcount;
    for (InputEvent e : events) {
      long at = e.instructionCount();
      if (at < previous || at < this.coveredIcount) {
        throw new IllegalArgumentException(
            e.kind()
                + " at instruction "
                + at
                + " arrives after instruction "
                + Math.max(previous, this.coveredIcount)
                + " was covered or taken: events must come in instruction order");
      }
      if (at > covered) {
        throw new IllegalArgumentException(
            e.kind() + " at instruction " + at + " lies past its batch's coverage " + covered);
      }
      previous = at;
    }
  }

  /**
   * Completes once the VM thread has taken an event since the last refusal (at once if it can't).
   */
  public CompletableFuture<Void> whenRoom() {
    lock.lock();
    try {
      if (!replayerCanProceed() || failure != null) {
        return CompletableFuture.completedFuture(null);
      }
      if (room == null) {
        room = new CompletableFuture<>();
      }
      return room;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Says that nothing more will arrive: the trace stream failed. A replayer waiting for coverage is
   * woken and told why.
   */
  public void fail(Throwable cause) {
    lock.lock();
    try {
      if (!finished && failure == null) {
        failure = Objects.requireNonNull(cause, "cause");
      }
      progressed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How far the trace goes: every event below {@code icount} is here; {@code finished}: no more.
   */
  public record Coverage(long icount, boolean finished) {}

  /**
   * Waits until the trace covers more than {@code icount} or has ended, and returns the coverage.
   * Throws {@link IllegalStateException} when the stream failed first.
   */
  public Coverage awaitCoverageBeyond(long icount) throws InterruptedException {
    lock.lock();
    try {
      while (coveredIcount <= icount && !finished) {
        if (failure != null) {
          throw new IllegalStateException(
              "the trace stream failed at instruction "
                  + coveredIcount
                  + " before the trace ended: "
                  + failure.getMessage(),
              failure);
        }
        progressed.await();
      }
      return new Coverage(coveredIcount, finished);
    } finally {
      lock.unlock();
    }
  }

  /** Every event below this instruction count has been appended. */
  public long coveredIcount() {
    lock.lock();
    try {
      return coveredIcount;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the trace's last segment has been appended. */
  public boolean isFinished() {
    lock.lock();
    try {
      return finished;
    } finally {
      lock.unlock();
    }
  }

  /** Events appended and not yet taken by the VM thread. */
  public int bufferedEvents() {
    lock.lock();
    try {
      return bufferedEvents;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean mayGrow() {
    return true; // until its end the replayer waits for coverage; at its end it has caught up
  }

  @Override
  public InputEvent peek() {
    if (next < current.size() || advance()) {
      return current.get(next);
    }
    return null;
  }

  @Override
  public InputEvent next() {
    InputEvent e = peek();
    if (e == null) {
      throw new IllegalStateException("no input is buffered: peek() first");
    }
    CompletableFuture<Void> freed;
    lock.lock();
    try {
      next++;
      bufferedEvents--;
      freed = room;
      room = null;
    } finally {
      lock.unlock();
    }
    // Outside the lock: whatever waits for room (the receiving stream) must not run under it.
    if (freed != null) {
      freed.complete(null);
    }
    return e;
  }

  /** Moves to the next batch, if any. */
  private boolean advance() {
    lock.lock();
    try {
      List<InputEvent> batch = batches.poll();
      current = batch == null ? List.of() : batch;
      next = 0;
      return batch != null;
    } finally {
      lock.unlock();
    }
  }
}
