package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.streams.proto.StreamsProto.PageBatch;
import org.crtrmotion.streams.proto.StreamsProto.ZeroRun;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  private static byte[] page(int fill) {
    byte[] p = new byte[4096];
    java.util.Arrays.fill(p, (byte) fill);
    return p;
  }

  @Test
  void zeroPagesTravelAsIndexRunsNotBytes() {
    List<byte[]> pages = new ArrayList<>();
    pages.add(page(0));
    pages.add(page(0));
    pages.add(page(9));
    pages.add(page(0));
    for (int i = 0; i < 60; i++) {
      pages.add(page(0));
    }
    FramePayload payload = Payloads.pages(100, pages);

    PageBatch batch = Payloads.pagesOf(payload);
    assertEquals(1, batch.getPagesCount());
    assertEquals(102, batch.getPages(0).getIndex());
    assertArrayEquals(page(9), batch.getPages(0).getData().toByteArray());
    assertEquals(
        List.of(
            ZeroRun.newBuilder().setFirstIndex(100).setCount(2).build(),
            ZeroRun.newBuilder().setFirstIndex(103).setCount(61).build()),
        batch.getZeroRunsList());
    assertTrue(payload.bytes().length < 4096 + 64, "payload " + payload.bytes().length);
  }

  @Test
  void checkpointChunkKeepsItsOffsetAndBytes() {
    FramePayload payload = Payloads.checkpointChunk(8192, new byte[] {1, 2, 3});

    assertEquals(8192, Payloads.checkpointChunkOf(payload).getOffset());
    assertArrayEquals(
        new byte[] {1, 2, 3}, Payloads.checkpointChunkOf(payload).getData().toByteArray());
  }

  @Test
  void readingAPayloadAsTheWrongKindIsRefused() {
    FramePayload end = Payloads.end(3);

    assertThrows(IllegalArgumentException.class, () -> Payloads.traceSegmentsOf(end));
  }
}
