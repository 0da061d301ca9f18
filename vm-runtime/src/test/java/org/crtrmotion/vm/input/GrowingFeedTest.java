package org.crtrmotion.vm.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.crtrmotion.vm.trace.InputEvent;
import org.junit.jupiter.api.Test;

class GrowingFeedTest {
  private static List<InputEvent> reads(long... icounts) {
    InputEvent[] out = new InputEvent[icounts.length];
    for (int i = 0; i < icounts.length; i++) {
      out[i] = InputEvent.timeRead(icounts[i], 1000 + i);
    }
    return List.of(out);
  }

  @Test
  void eventsComeOutInOrderAcrossBatchesAndAnEmptyFeedPeeksNull() {
    GrowingFeed feed = new GrowingFeed(100, 16);
    assertNull(feed.peek());
    assertTrue(feed.tryAppend(reads(100, 105), 110, false));
    assertTrue(feed.tryAppend(reads(110, 110, 120), 130, false));

    long[] seen = new long[5];
    for (int i = 0; i < 5; i++) {
      seen[i] = feed.next().instructionCount();
    }
    assertEquals(
        List.of(100L, 105L, 110L, 110L, 120L), java.util.Arrays.stream(seen).boxed().toList());
    assertNull(feed.peek());
    assertEquals(130, feed.coveredIcount());
    assertFalse(feed.isFinished());
  }

  @Test
  void aBatchThatDoesNotFitIsRefusedUntilTheReplayerTakesAnEvent() {
    GrowingFeed feed = new GrowingFeed(0, 3);
    assertTrue(feed.tryAppend(reads(1, 2), 3, false));
    assertFalse(feed.tryAppend(reads(3, 4), 5, false));
    CompletableFuture<Void> room = feed.whenRoom();
    assertEquals(3, feed.coveredIcount(), "a refused batch claims no coverage");
    assertFalse(room.isDone());

    feed.next();

    assertTrue(room.isDone());
    assertTrue(feed.tryAppend(reads(3, 4), 5, false));
    assertEquals(3, feed.bufferedEvents());
  }

  @Test
  void aBatchLargerThanTheBoundStillFitsAnEmptyFeed() {
    GrowingFeed feed = new GrowingFeed(0, 2);
    assertTrue(feed.tryAppend(reads(1, 2, 3, 4), 5, false));
    assertEquals(4, feed.bufferedEvents());
  }

  @Test
  void aFullFeedTakesTheNextBatchWhenItsEventsWaitAtTheCoverage() {
    // Events at exactly the coverage cannot be replayed until coverage grows: refusing the batch
    // that grows it would leave the replayer and the stream waiting for each other.
    GrowingFeed feed = new GrowingFeed(0, 3);
    assertTrue(feed.tryAppend(reads(1, 5, 5), 5, false));
    feed.next();
    assertTrue(feed.whenRoom().isDone());
    assertTrue(feed.tryAppend(reads(5, 6, 7), 8, false));
    assertEquals(5, feed.bufferedEvents());
  }

  @Test
  void coverageGoingBackwardsIsRefusedNamingBothCounts() {
    GrowingFeed feed = new GrowingFeed(0, 8);
    feed.tryAppend(reads(), 50, false);
    var e = assertThrows(IllegalArgumentException.class, () -> feed.tryAppend(reads(), 40, false));
    assertTrue(e.getMessage().contains("40 after 50"), e.getMessage());
  }

  @Test
  void anEventBelowTheCoverageAlreadyClaimedIsRefused() {
    GrowingFeed feed = new GrowingFeed(0, 8);
    feed.tryAppend(reads(10), 50, false);
    var e =
        assertThrows(IllegalArgumentException.class, () -> feed.tryAppend(reads(49), 60, false));
    assertTrue(e.getMessage().contains("TIME_READ at instruction 49"), e.getMessage());
  }

  @Test
  void anEventPastItsBatchsCoverageIsRefused() {
    GrowingFeed feed = new GrowingFeed(0, 8);
    var e =
        assertThrows(IllegalArgumentException.class, () -> feed.tryAppend(reads(61), 60, false));
    assertTrue(e.getMessage().contains("past its batch's coverage 60"), e.getMessage());
  }

  @Test
  void nothingIsAcceptedAfterTheEnd() {
    GrowingFeed feed = new GrowingFeed(0, 8);
    feed.tryAppend(reads(1), 10, true);
    assertThrows(IllegalStateException.class, () -> feed.tryAppend(reads(), 20, false));
  }

  @Test
  void aWaiterReturnsTheCoverageAndWhetherTheTraceEnded() throws Exception {
    GrowingFeed feed = new GrowingFeed(0, 8);
    feed.tryAppend(reads(1), 10, false);
    assertEquals(new GrowingFeed.Coverage(10, false), feed.awaitCoverageBeyond(9));
    feed.tryAppend(reads(), 10, true);
    assertEquals(new GrowingFeed.Coverage(10, true), feed.awaitCoverageBeyond(10));
  }

  @Test
  void aFailedStreamWakesTheWaiterWithTheReason() throws Exception {
    GrowingFeed feed = new GrowingFeed(0, 8);
    CompletableFuture<Throwable> seen =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                feed.awaitCoverageBeyond(0);
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    feed.fail(new RuntimeException("frame 7 is corrupt"));
    Throwable t = seen.get();
    assertTrue(t instanceof IllegalStateException, String.valueOf(t));
    assertTrue(t.getMessage().contains("frame 7 is corrupt"), t.getMessage());
  }

  @Test
  void aFailedFeedTakesNothingMore() {
    GrowingFeed feed = new GrowingFeed(0, 8);
    feed.fail(new RuntimeException("connection lost"));
    var e = assertThrows(IllegalStateException.class, () -> feed.tryAppend(reads(1), 10, false));
    assertTrue(e.getMessage().contains("connection lost"), e.getMessage());
  }
}
