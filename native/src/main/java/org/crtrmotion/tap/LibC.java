package org.crtrmotion.tap;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few libc calls the host-side bindings need, through jnr-ffi. Linux only. */
public interface LibC {
  int O_RDWR = 0x2;
  int O_RDONLY = 0x0;
  int O_NONBLOCK = 0x800;
  int O_CLOEXEC = 0x80000;
  short POLLIN = 0x1;
  int EPERM = 1;
  int ENOENT = 2;
  int EINTR = 4;
  int ENXIO = 6;
  int EAGAIN = 11;
  int EACCES = 13;
  int EBUSY = 16;
  int ENODEV = 19;
  int EINVAL = 22;
  int CLONE_NEWNET = 0x40000000;

  LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

  int open(String path, int flags);

  int ioctl(int fd, long request, @In @Out byte[] arg);

  @ssize_t
  long read(int fd, @Out byte[] buf, @size_t long count);

  @ssize_t
  long write(int fd, @In byte[] buf, @size_t long count);

  int close(int fd);

  int poll(Pointer fds, long nfds, int timeoutMillis);

  int pipe2(@Out int[] fds, int flags);

  int setns(int fd, int nstype);

  String strerror(int errnum);

  int geteuid();

  /** The errno of the last call made on this thread. */
  static int errno() {
    return Runtime.getRuntime(INSTANCE).getLastError();
  }

  /** The C library's text for {@code errno}, as {@code perror} would print it. */
  static String describe(int errno) {
    return INSTANCE.strerror(errno) + " (errno " + errno + ")";
  }
}
