package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** The client's bookkeeping against a scripted server in the test. */
class LoadClientTest {
  private static final int KEYS = 4;

  /** The right reply to a request. */
  private static byte[] answer(byte[] request, int length) {
    ByteBuffer in = ByteBuffer.wrap(request, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    long seq = in.getLong(4);
    byte[] key = KvMessages.key(seq, KEYS).getBytes();
    byte[] value = KvMessages.putValue(seq).getBytes();
    ByteBuffer out =
        ByteBuffer.allocate(14 + key.length + value.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) ((seq & 1) == 0 ? 'p' : 'g')).put((byte) 0).put(new byte[2]).putLong(seq);
    out.put((byte) key.length).put((byte) value.length).put(key).put(value);
    return out.array();
  }

  /** Answers each request {@code copies(seq)} times on a thread; returns the port. */
  private static int server(int requests, LongPredicate drop, boolean twice) throws Exception {
    DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (s) {
                for (int i = 0; i < requests; i++) {
                  DatagramPacket p = new DatagramPacket(new byte[256], 256);
                  s.receive(p);
                  long seq = ByteBuffer.wrap(p.getData()).order(ByteOrder.LITTLE_ENDIAN).getLong(4);
                  if (drop.test(seq)) {
                    continue;
                  }
                  byte[] a = answer(p.getData(), p.getLength());
                  for (int c = 0; c < (twice ? 2 : 1); c++) {
                    s.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                  }
                }
              } catch (java.io.IOException e) {
                // the test ends
              }
            });
    t.setDaemon(true);
    t.start();
    return s.getLocalPort();
  }

  private static LoadReport load(int port, int requests, long graceMillis) throws Exception {
    return new LoadClient(new InetSocketAddress("127.0.0.1", port), KEYS, System::nanoTime)
        .run(requests, 5000, graceMillis);
  }

  @Test
  void aServerAnsweringEverythingRightGivesACleanReport() throws Exception {
    LoadReport r = load(server(20, s -> false, false), 20, 10_000);
    assertTrue(r.clean(), r.text());
    assertEquals(20, r.replies());
    assertTrue(r.p50Millis() <= r.p99Millis() && r.p99Millis() <= r.maxMillis());
  }

  @Test
  void aRequestNeverAnsweredIsCountedLost() throws Exception {
    LoadReport r = load(server(10, s -> s == 3, false), 10, 300);
    assertEquals(1, r.lost());
    assertEquals(9, r.replies());
  }

  @Test
  void aSecondAnswerIsCountedDuplicated() throws Exception {
    LoadReport r = load(server(6, s -> false, true), 6, 10_000);
    assertEquals(0, r.lost());
    // Copies from one sender keep their order on loopback: the second copies of all but the last
    // request are taken before the last first reply, which ends the wait.
    assertTrue(r.duplicated() >= 5, r.text());
    assertEquals(0, r.wrong());
  }

  @Test
  void aWrongValueIsCaughtWithTheReason() {
    byte[] reply = answer(KvMessages.request(4, KEYS), KvMessages.request(4, KEYS).length);
    reply[reply.length - 1] = 'x';
    KvMessages.Reply r = KvMessages.parse(reply, reply.length);
    assertNotNull(KvMessages.check(r, KEYS));
    byte[] right = answer(KvMessages.request(5, KEYS), KvMessages.request(5, KEYS).length);
    assertNull(KvMessages.check(KvMessages.parse(right, right.length), KEYS));
  }
}
