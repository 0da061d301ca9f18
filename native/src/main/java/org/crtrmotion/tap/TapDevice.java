package org.crtrmotion.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A Linux TAP interface opened through {@code /dev/net/tun} ({@code TUNSETIFF} with {@code IFF_TAP
 * | IFF_NO_PI}): whole Ethernet frames (no FCS, no packet-information header) in and out. The
 * interface exists while this is open, unless it was made persistent beforehand (say by {@code ip
 * tuntap add}). It is created in the network namespace of the thread that opens it.
 *
 * <p>One thread reads ({@link #read} waits for a frame), any thread writes. The descriptor is
 * non-blocking and the reader waits in {@code poll} on it and on a wake-up pipe, so that {@link
 * #close} can end a read in progress: a blocked {@code read(2)} would keep the descriptor alive.
 */
public final class TapDevice implements AutoCloseable {
  public static final String CLONE_DEVICE = "/dev/net/tun";
  static final int IFNAMSIZ = 16; // including the terminating NUL
  private static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final int IFREQ_BYTES = 40;
  private static final int MAX_FRAME = 65536;

  private static final LibC C = LibC.INSTANCE;

  private final String name;
  private final int fd;
  private final int wakeRead;
  private final int wakeWrite;
  private final Pointer pollFds;
  private final byte[] buffer = new byte[MAX_FRAME];
  private final ReentrantLock reading = new ReentrantLock();
  private final ReentrantLock writing = new ReentrantLock();
  private volatile boolean closed;

  private TapDevice(String name, int fd, int wakeRead, int wakeWrite) {
    this.name = name;
    this.fd = fd;
    this.wakeRead = wakeRead;
    this.wakeWrite = wakeWrite;
    pollFds = Memory.allocateDirect(Runtime.getRuntime(C), 16);
    pollFds.putInt(0, fd);
    pollFds.putShort(4, LibC.POLLIN);
    pollFds.putInt(8, wakeRead);
    pollFds.putShort(12, LibC.POLLIN);
  }

  /**
   * Opens (creating if needed) the TAP interface {@code name}. The name may hold one {@code %d} for
   * the kernel to number it; {@link #name()} says what it became.
   */
  public static TapDevice open(String name) throws IOException {
    byte[] ifreq = ifreq(name);
    int fd = C.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw openError(name, LibC.errno());
    }
    if (C.ioctl(fd, TUNSETIFF, ifreq) < 0) {
      int errno = LibC.errno();
      C.close(fd);
      throw setIffError(name, errno);
    }
    int[] pipe = new int[2];
    if (C.pipe2(pipe, LibC.O_NONBLOCK | LibC.O_CLOEXEC) < 0) {
      int errno = LibC.errno();
      C.close(fd);
      throw new IOException(
          "TAP device '" + name + "': no wake-up pipe for its reader: " + LibC.describe(errno));
    }
    return new TapDevice(nameIn(ifreq), fd, pipe[0], pipe[1]);
  }

  /** The interface's name as the kernel gave it. */
  public String name() {
    return name;
  }

  /**
   * Waits for the next frame the host sent into the interface.
   *
   * @return the frame, or null once the device is closed
   */
  public byte[] read() throws IOException {
    reading.lock();
    try {
      while (!closed) {
        long n = C.read(fd, buffer, buffer.length);
        if (n >= 0) {
          byte[] frame = new byte[(int) n];
          System.arraycopy(buffer, 0, frame, 0, frame.length);
          return frame;
        }
        int errno = LibC.errno();
        if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
          throw new IOException("reading TAP device '" + name + "': " + LibC.describe(errno));
        }
        awaitReadable();
      }
      return null;
    } finally {
      reading.unlock();
    }
  }

  private void awaitReadable() throws IOException {
    pollFds.putShort(6, (short) 0);
    pollFds.putShort(14, (short) 0);
    if (C.poll(pollFds, 2, -1) < 0) {
      int errno = LibC.errno();
      if (errno != LibC.EINTR) {
        throw new IOException("waiting on TAP device '" + name + "': " + LibC.describe(errno));
      }
    }
  }

  /** Sends one whole Ethernet frame out of the interface to the host. */
  public void write(byte[] frame) throws IOException {
    writing.lock();
    try {
      if (closed) {
        throw new IOException("TAP device '" + name + "' is closed");
      }
      long n = C.write(fd, frame, frame.length);
      if (n < 0) {
        int errno = LibC.errno();
        throw new IOException(
            "writing a "
                + frame.length
                + "-byte frame to TAP device '"
                + name
                + "': "
                + LibC.describe(errno));
      }
    } finally {
      writing.unlock();
    }
  }

  /** Ends a read in progress (it returns null) and closes the descriptors. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    C.write(wakeWrite, new byte[] {1}, 1);
    reading.lock();
    writing.lock();
    try {
      C.close(fd);
      C.close(wakeRead);
      C.close(wakeWrite);
    } finally {
      writing.unlock();
      reading.unlock();
    }
  }

  static byte[] ifreq(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("TAP device name is empty");
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= IFNAMSIZ) {
      throw new IllegalArgumentException(
          "TAP device name '"
              + name
              + "' is too long: "
              + bytes.length
              + " bytes, Linux allows "
              + (IFNAMSIZ - 1));
    }
    if (name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c == ':')) {
      throw new IllegalArgumentException(
          "TAP device name '"
              + name
              + "' is not an interface name (no '/', ':', spaces, '.' or '..')");
    }
    byte[] ifreq = new byte[IFREQ_BYTES];
    System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
    short flags = IFF_TAP | IFF_NO_PI;
    ifreq[IFNAMSIZ] = (byte) flags; // ifr_flags, little endian, right after ifr_name
    ifreq[IFNAMSIZ + 1] = (byte) (flags >> 8);
    return ifreq;
  }

  private static String nameIn(byte[] ifreq) {
    int n = 0;
    while (n < IFNAMSIZ && ifreq[n] != 0) {
      n++;
    }
    return new String(ifreq, 0, n, StandardCharsets.UTF_8);
  }

  static IOException openError(String name, int errno) {
    String why =
        switch (errno) {
          case LibC.EACCES, LibC.EPERM ->
              "no permission (creating a TAP needs root or CAP_NET_ADMIN)";
          case LibC.ENOENT, LibC.ENODEV, LibC.ENXIO -> "no such device (is the tun module loaded?)";
          default -> "cannot open it";
        };
    return new IOException(
        "TAP device '" + name + "': " + CLONE_DEVICE + ": " + why + ": " + LibC.describe(errno));
  }

  private static IOException setIffError(String name, int errno) {
    String why =
        switch (errno) {
          case LibC.EPERM, LibC.EACCES ->
              "no permission to create or attach it (needs CAP_NET_ADMIN)";
          case LibC.EBUSY -> "it is already open elsewhere";
          case LibC.EINVAL -> "an interface of another kind has that name, or the name is invalid";
          default -> "TUNSETIFF failed";
        };
    return new IOException("TAP device '" + name + "': " + why + ": " + LibC.describe(errno));
  }
}
