package org.crtrmotion.vm.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian views of byte arrays; HotSpot compiles these to plain (unaligned) loads and stores.
 */
public final class LittleEndian {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  public static long getLong(byte[] b, int offset) {
    return (long) LONG.get(b, offset);
  }

  public static int getInt(byte[] b, int offset) {
    return (int) INT.get(b, offset);
  }

  public static short getShort(byte[] b, int offset) {
    return (short) SHORT.get(b, offset);
  }

  public static void putLong(byte[] b, int offset, long v) {
    LONG.set(b, offset, v);
  }

  public static void putInt(byte[] b, int offset, int v) {
    INT.set(b, offset, v);
  }

  public static void putShort(byte[] b, int offset, short v) {
    SHORT.set(b, offset, v);
  }
}
