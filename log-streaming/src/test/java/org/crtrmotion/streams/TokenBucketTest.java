package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.crtrmotion.streams.TokenBucket.Reservation;
import org.junit.jupiter.api.Test;

/**
 * Explicit numbers. {@link #wait} takes a new element's place in line and asks once; asking again
 * for the same place is {@code delayNanos(place, ...)}, as a stage does while its element waits.
 */
class TokenBucketTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** The wait of a new element of {@code bytes}, in line from {@code now}. */
  private static long wait(TokenBucket bucket, long rate, long now, long bytes) {
    return bucket.delayNanos(bucket.reserve(rate, now, bytes), rate, now);
  }

  @Test
  void aFullBucketLetsTheBurstGoAtOnceThenPacesAtTheRate() {
    TokenBucket bucket = new TokenBucket(1000, 0);

    assertEquals(0, wait(bucket, 1000, 0, 600));
    assertEquals(0, wait(bucket, 1000, 0, 400));
    // Empty: 500 bytes at 1000 B/s take half a second to earn.
    Reservation next = bucket.reserve(1000, 0, 500);
    assertEquals(500 * MS, bucket.delayNanos(next, 1000, 0));
    assertEquals(100 * MS, bucket.delayNanos(next, 1000, 400 * MS));
    assertEquals(0, bucket.delayNanos(next, 1000, 500 * MS));
  }

  @Test
  void aFrameLargerThanTheBurstGoesOnAFullBucketAndIsPaidForAfterwards() {
    TokenBucket bucket = new TokenBucket(1000, 0);

    assertEquals(0, wait(bucket, 1000, 0, 3000));
    // 2000 bytes of debt plus the next 1000: three seconds.
    Reservation next = bucket.reserve(1000, 0, 1000);
    assertEquals(3 * SECOND, bucket.delayNanos(next, 1000, 0));
    assertEquals(0, bucket.delayNanos(next, 1000, 3 * SECOND));
  }

  @Test
  void aRateChangedWhileAnElementWaitsAppliesToItsNextQuestion() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1000, 0, 1000));
    Reservation second = bucket.reserve(1000, 0, 1000);
    assertEquals(1 * SECOND, bucket.delayNanos(second, 1000, 0));

    // Raised tenfold while the element waits: it asks again and waits a tenth as long.
    assertEquals(100 * MS, bucket.delayNanos(second, 10_000, 0));
    assertEquals(0, bucket.delayNanos(second, 10_000, 100 * MS));

    // Lowered to 100 B/s: the next kilobyte needs ten seconds.
    Reservation third = bucket.reserve(100, 100 * MS, 1000);
    assertEquals(10 * SECOND, bucket.delayNanos(third, 100, 100 * MS));
    assertEquals(5 * SECOND, bucket.delayNanos(third, 100, 5100 * MS));
    assertEquals(0, bucket.delayNanos(third, 100, 10_100 * MS));
  }

  @Test
  void unlimitedNeverWaitsAndACapSetAfterItStartsFromAFullBucket() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, wait(bucket, 0, 0, 1 << 20));
    }

    assertEquals(0, wait(bucket, 1000, 0, 1000));
    assertEquals(1 * SECOND, wait(bucket, 1000, 0, 1000));
  }

  @Test
  void anElementWaitingWhenTheCapIsLiftedGoesAtOnce() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1000, 0, 1000));
    Reservation waiting = bucket.reserve(1000, 0, 1000);
    assertEquals(1 * SECOND, bucket.delayNanos(waiting, 1000, 0));

    assertEquals(0, bucket.delayNanos(waiting, BandwidthCap.UNLIMITED, 0));
  }

  @Test
  void anIdleSpellFillsTheBucketOnlyToTheBurst() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1000, 0, 1000));

    long aYearLater = 365L * 24 * 3600 * SECOND;
    assertEquals(0, wait(bucket, 1000, aYearLater, 1000));
    assertEquals(1 * SECOND, wait(bucket, 1000, aYearLater, 1000));
  }

  @Test
  void atAHighRateTheBucketHoldsAFiftiethOfASecondSoThatTimerTicksDoNotLoseBandwidth() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(20_000, bucket.capacityBytes(1_000_000));
    assertEquals(1000, bucket.capacityBytes(1000));

    wait(bucket, 1_000_000, 0, 0);
    assertEquals(0, wait(bucket, 1_000_000, 1 * SECOND, 20_000));
    // Empty again: 10 ms of the rate buys 10,000 bytes.
    assertEquals(10 * MS, wait(bucket, 1_000_000, 1 * SECOND, 10_000));
  }

  @Test
  void aLoweredCapCutsWhatTheBucketHeldAtTheHigherRate() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1_000_000, 1 * SECOND, 0)); // 20,000 bytes saved up

    assertEquals(0, wait(bucket, 1000, 1 * SECOND, 1000));
    assertEquals(1 * SECOND, wait(bucket, 1000, 1 * SECOND, 1000));
  }

  @Test
  void waitsRoundUpSoThatAskingAgainWhenTheyAreOverAlwaysLetsTheElementGo() {
    TokenBucket bucket = new TokenBucket(1, 0);
    assertEquals(0, wait(bucket, 3, 0, 1));
    // A third of a second is 333,333,333.3 ns: rounded up, never down.
    Reservation next = bucket.reserve(3, 0, 1);
    assertEquals(333_333_334L, bucket.delayNanos(next, 3, 0));
    assertEquals(0, bucket.delayNanos(next, 3, 333_333_334L));
  }

  @Test
  void twoStreamsOnOneBucketTogetherGetTheRateNotEachOfThem() {
    // Two streams of 1000-byte frames at 1000 B/s: one frame a second between them.
    TokenBucket bucket = new TokenBucket(1000, 0);
    Reservation a0 = bucket.reserve(1000, 0, 1000);
    Reservation b0 = bucket.reserve(1000, 0, 1000);
    assertEquals(0, bucket.delayNanos(a0, 1000, 0)); // the burst
    assertEquals(1 * SECOND, bucket.delayNanos(b0, 1000, 0));

    Reservation a1 = bucket.reserve(1000, 0, 1000); // a's next frame, behind b's
    assertEquals(2 * SECOND, bucket.delayNanos(a1, 1000, 0));
    assertEquals(0, bucket.delayNanos(b0, 1000, 1 * SECOND));
    Reservation b1 = bucket.reserve(1000, 1 * SECOND, 1000);
    assertEquals(1 * SECOND, bucket.delayNanos(a1, 1000, 1 * SECOND));
    assertEquals(2 * SECOND, bucket.delayNanos(b1, 1000, 1 * SECOND));
    assertEquals(0, bucket.delayNanos(a1, 1000, 2 * SECOND));
    assertEquals(0, bucket.delayNanos(b1, 1000, 3 * SECOND));
  }

  @Test
  void aStreamOfSmallFramesDoesNotOvertakeALargeFrameThatReservedFirst() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1000, 0, 1000));
    Reservation large = bucket.reserve(1000, 0, 1000);
    Reservation small = bucket.reserve(1000, 0, 10);

    // After half a second 500 bytes are earned: enough for the small frame alone, but it is
    // second in line, so it waits for the large one's kilobyte and then its own ten bytes.
    assertEquals(500 * MS, bucket.delayNanos(large, 1000, 500 * MS));
    assertEquals(510 * MS, bucket.delayNanos(small, 1000, 500 * MS));
    assertEquals(0, bucket.delayNanos(large, 1000, 1 * SECOND));
    assertEquals(0, bucket.delayNanos(small, 1000, 1010 * MS));
  }

  @Test
  void aRateRaisedWhileTwoStreamsWaitShortensBothWaits() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, wait(bucket, 1000, 0, 1000));
    Reservation a = bucket.reserve(1000, 0, 1000);
    Reservation b = bucket.reserve(1000, 0, 1000);
    assertEquals(1 * SECOND, bucket.delayNanos(a, 1000, 0));
    assertEquals(2 * SECOND, bucket.delayNanos(b, 1000, 0));

    assertEquals(500 * MS, bucket.delayNanos(a, 2000, 0));
    assertEquals(1 * SECOND, bucket.delayNanos(b, 2000, 0));
  }

  @Test
  void negativeRatesAndSizesAreRefused() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertThrows(IllegalArgumentException.class, () -> bucket.reserve(-1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> bucket.reserve(10, 0, -1));
    Reservation place = bucket.reserve(10, 0, 10);
    assertThrows(IllegalArgumentException.class, () -> bucket.delayNanos(place, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 0));
  }
}
