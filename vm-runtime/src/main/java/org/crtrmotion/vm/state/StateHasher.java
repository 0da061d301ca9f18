package org.crtrmotion.vm.state;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * Feeds state into XXH3-128. Components hash themselves field by field in a fixed order, each
 * section introduced by a tag so that state moving between components cannot collide.
 */
public final class StateHasher {
  private final HashStream128 stream = Hashing.xxh3_128().hashStream();

  /** Starts a component's section. */
  public StateHasher section(String name) {
    stream.putString(name);
    return this;
  }

  public StateHasher putLong(long v) {
    stream.putLong(v);
    return this;
  }

  public StateHasher putLongs(long[] v) {
    stream.putLongArray(v);
    return this;
  }

  public StateHasher putInt(int v) {
    stream.putInt(v);
    return this;
  }

  public StateHasher putInts(int[] v) {
    stream.putIntArray(v);
    return this;
  }

  public StateHasher putBoolean(boolean v) {
    stream.putBoolean(v);
    return this;
  }

  public StateHasher putBooleans(boolean[] v) {
    stream.putBooleanArray(v);
    return this;
  }

  public StateHasher putBytes(byte[] v, int offset, int length) {
    stream.putBytes(v, offset, length);
    return this;
  }

  public StateDigest digest() {
    HashValue128 v = stream.get();
    return new StateDigest(v.getMostSignificantBits(), v.getLeastSignificantBits());
  }
}
