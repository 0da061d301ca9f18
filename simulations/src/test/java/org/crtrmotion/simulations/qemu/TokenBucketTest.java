package org.crtrmotion.simulations.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long RATE = 1_000_000; // bytes per second
  private static final long CAPACITY = 10_000;

  @Test
  void sendingTakesAtLeastTheBytesBeyondTheBurstDividedByTheRate() throws Exception {
    FakeTicker clock = new FakeTicker();
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, clock);
    long sent = 0;
    while (sent < 5_000_000) {
      sent += bucket.take(4096);
    }
    double minimum = (sent - CAPACITY) / (double) RATE;
    assertTrue(clock.seconds() >= minimum, clock.seconds() + " s < " + minimum + " s");
  }

  @Test
  void aSaturatedBucketCarriesTheFullRateAndNoLess() throws Exception {
    FakeTicker clock = new FakeTicker();
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, clock);
    long sent = 0;
    while (sent < 5_000_000) {
      sent += bucket.take(4096);
    }
    // Waits are rounded up to whole nanoseconds per take: at most one per grant beyond the ideal.
    double ideal = (sent - CAPACITY) / (double) RATE;
    assertTrue(clock.seconds() <= ideal + 0.001, clock.seconds() + " s > " + ideal + " s");
  }

  @Test
  void waitsThatOvershootStillCarryTheFullRate() throws Exception {
    // A loaded host wakes late: every wait lasts three times what was asked.
    FakeTicker late =
        new FakeTicker() {
          @Override
          public void sleepNanos(long n) {
            super.sleepNanos(3 * n);
          }
        };
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, late);
    long sent = 0;
    while (sent < 5_000_000) {
      sent += bucket.take(4096);
    }
    double ideal = (sent - CAPACITY) / (double) RATE;
    // Late wake-ups cost at most the one last wait, not a share of every wait.
    assertTrue(late.seconds() <= ideal + 3 * CAPACITY / (double) RATE, late.seconds() + " s");
  }

  @Test
  void aFullBucketGrantsItsBurstWithoutWaiting() throws Exception {
    FakeTicker clock = new FakeTicker();
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, clock);
    assertEquals(CAPACITY, bucket.take(50_000));
    assertEquals(0, clock.nanoTime());
  }

  @Test
  void noGrantExceedsTheCapacity() throws Exception {
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, new FakeTicker());
    for (int i = 0; i < 10; i++) {
      assertEquals(CAPACITY, bucket.take(Integer.MAX_VALUE));
    }
  }

  @Test
  void aLongIdleSpellRefillsOnlyUpToTheCapacity() throws Exception {
    FakeTicker clock = new FakeTicker();
    TokenBucket bucket = new TokenBucket(RATE, CAPACITY, clock);
    bucket.take((int) CAPACITY);
    clock.sleepNanos(3_600_000_000_000L); // an hour idle
    long before = clock.nanoTime();
    long sent = bucket.take((int) CAPACITY) + bucket.take((int) CAPACITY);
    assertEquals(2 * CAPACITY, sent);
    assertEquals(CAPACITY * 1_000_000_000L / RATE, clock.nanoTime() - before);
  }

  @Test
  void aRateThatIsNotPositiveIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, new FakeTicker()));
    assertTrue(e.getMessage().contains("bytesPerSecond"), e.getMessage());
  }
}
