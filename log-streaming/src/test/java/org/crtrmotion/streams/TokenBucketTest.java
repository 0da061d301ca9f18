package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstGoAtOnceThenPacesAtTheRate() {
    TokenBucket bucket = new TokenBucket(1000, 0);

    assertEquals(0, bucket.delayNanos(1000, 0, 600));
    assertEquals(0, bucket.delayNanos(1000, 0, 400));
    // Empty: 500 bytes at 1000 B/s take half a second to earn.
    assertEquals(500 * MS, bucket.delayNanos(1000, 0, 500));
    assertEquals(100 * MS, bucket.delayNanos(1000, 400 * MS, 500));
    assertEquals(0, bucket.delayNanos(1000, 500 * MS, 500));
  }

  @Test
  void aFrameLargerThanTheBurstGoesOnAFullBucketAndIsPaidForAfterwards() {
    TokenBucket bucket = new TokenBucket(1000, 0);

    assertEquals(0, bucket.delayNanos(1000, 0, 3000));
    // 2000 bytes of debt plus the next 1000: three seconds.
    assertEquals(3 * SECOND, bucket.delayNanos(1000, 0, 1000));
    assertEquals(0, bucket.delayNanos(1000, 3 * SECOND, 1000));
  }

  @Test
  void aRateChangedMidStreamAppliesToTheVeryNextDecision() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, bucket.delayNanos(1000, 0, 1000));
    assertEquals(1 * SECOND, bucket.delayNanos(1000, 0, 1000));

    // Raised tenfold while the element waits: it asks again and waits a tenth as long.
    assertEquals(100 * MS, bucket.delayNanos(10_000, 0, 1000));
    assertEquals(0, bucket.delayNanos(10_000, 100 * MS, 1000));

    // Lowered to 100 B/s: the next kilobyte needs ten seconds.
    assertEquals(10 * SECOND, bucket.delayNanos(100, 100 * MS, 1000));
    assertEquals(5 * SECOND, bucket.delayNanos(100, 5100 * MS, 1000));
    assertEquals(0, bucket.delayNanos(100, 10_100 * MS, 1000));
  }

  @Test
  void unlimitedNeverWaitsAndACapSetAfterItStartsFromAFullBucket() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, bucket.delayNanos(0, 0, 1 << 20));
    }

    assertEquals(0, bucket.delayNanos(1000, 0, 1000));
    assertEquals(1 * SECOND, bucket.delayNanos(1000, 0, 1000));
  }

  @Test
  void anIdleSpellFillsTheBucketOnlyToTheBurst() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, bucket.delayNanos(1000, 0, 1000));

    long aYearLater = 365L * 24 * 3600 * SECOND;
    assertEquals(0, bucket.delayNanos(1000, aYearLater, 1000));
    assertEquals(1 * SECOND, bucket.delayNanos(1000, aYearLater, 1000));
  }

  @Test
  void atAHighRateTheBucketHoldsAFiftiethOfASecondSoThatTimerTicksDoNotLoseBandwidth() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(20_000, bucket.capacityBytes(1_000_000));
    assertEquals(1000, bucket.capacityBytes(1000));

    bucket.delayNanos(1_000_000, 0, 0);
    assertEquals(0, bucket.delayNanos(1_000_000, 1 * SECOND, 20_000));
    // Empty again: 10 ms of the rate buys 10,000 bytes.
    assertEquals(10 * MS, bucket.delayNanos(1_000_000, 1 * SECOND, 10_000));
  }

  @Test
  void aLoweredCapCutsWhatTheBucketHeldAtTheHigherRate() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertEquals(0, bucket.delayNanos(1_000_000, 1 * SECOND, 0)); // 20,000 bytes saved up

    assertEquals(0, bucket.delayNanos(1000, 1 * SECOND, 1000));
    assertEquals(1 * SECOND, bucket.delayNanos(1000, 1 * SECOND, 1000));
  }

  @Test
  void waitsRoundUpSoThatAskingAgainWhenTheyAreOverAlwaysLetsTheElementGo() {
    TokenBucket bucket = new TokenBucket(1, 0);
    assertEquals(0, bucket.delayNanos(3, 0, 1));
    // A third of a second is 333,333,333.3 ns: rounded up, never down.
    assertEquals(333_333_334L, bucket.delayNanos(3, 0, 1));
    assertEquals(0, bucket.delayNanos(3, 333_333_334L, 1));
  }

  @Test
  void negativeRatesAndSizesAreRefused() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertThrows(IllegalArgumentException.class, () -> bucket.delayNanos(-1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> bucket.delayNanos(10, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 0));
  }
}
