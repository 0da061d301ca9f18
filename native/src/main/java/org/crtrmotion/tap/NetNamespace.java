package org.crtrmotion.tap;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code in a named network namespace (one {@code ip netns add} made, bound at {@code
 * /run/netns/NAME}). A network namespace belongs to a thread, and sockets and TAP devices stay in
 * the namespace they were created in whichever thread uses them later; so the code runs on a fresh
 * thread that enters the namespace and then ends, and what it opened can be used from anywhere.
 */
public final class NetNamespace {
  private NetNamespace() {}

  /** Calls {@code body} on a new thread inside namespace {@code name} and returns its result. */
  public static <T> T callIn(String name, Callable<T> body) throws Exception {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("network namespace name '" + name + "' is not a name");
    }
    String path = "/run/netns/" + name;
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              enter(name, path);
              return body.call();
            });
    Thread t = new Thread(task, "netns-" + name);
    t.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void enter(String name, String path) throws IOException {
    LibC c = LibC.INSTANCE;
    int fd = c.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new IOException(
          "network namespace '" + name + "': " + path + ": " + LibC.describe(LibC.errno()));
    }
    try {
      if (c.setns(fd, LibC.CLONE_NEWNET) < 0) {
        throw new IOException(
            "network namespace '" + name + "': setns: " + LibC.describe(LibC.errno()));
      }
    } finally {
      c.close(fd);
    }
  }
}
