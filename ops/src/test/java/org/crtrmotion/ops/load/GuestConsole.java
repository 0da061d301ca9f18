package org.crtrmotion.ops.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.vm.board.Uart16550;

/** A guest's console captured, with a probe that opens once a given text has appeared. */
final class GuestConsole implements Uart16550.Output {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final String awaited;
  private final CountDownLatch seen = new CountDownLatch(1);

  GuestConsole(String awaited) {
    this.awaited = awaited;
  }

  @Override
  public synchronized void write(int b) {
    bytes.write(b);
    if (seen.getCount() > 0 && text().contains(awaited)) {
      seen.countDown();
    }
  }

  synchronized String text() {
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  /** Waits for the text; the bound only guards against a guest that never prints it. */
  boolean await(long seconds) throws InterruptedException {
    return seen.await(seconds, TimeUnit.SECONDS);
  }
}
