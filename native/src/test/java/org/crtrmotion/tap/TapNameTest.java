package org.crtrmotion.tap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Names are checked before the kernel is asked and errors are worded without it: no privilege
 * needed.
 */
class TapNameTest {
  @Test
  void aNameOfSixteenBytesIsRefusedAsTooLong() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("crtr-tap-toolong"));
    assertTrue(e.getMessage().contains("'crtr-tap-toolong' is too long: 16 bytes"), e.getMessage());
  }

  @Test
  void aNameWithASlashIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("tap/0"));
    assertTrue(e.getMessage().contains("'tap/0' is not an interface name"), e.getMessage());
  }

  @Test
  void noPermissionOnTheCloneDeviceIsSaidWithTheDeviceAndErrnoText() {
    String m = TapDevice.openError("tap0", LibC.EACCES).getMessage();
    assertTrue(
        m.contains("'tap0'")
            && m.contains("/dev/net/tun")
            && m.contains("no permission")
            && m.contains("Permission denied (errno 13)"),
        m);
  }

  @Test
  void aMissingCloneDeviceIsSaidAsNoSuchDevice() {
    String m = TapDevice.openError("tap0", LibC.ENOENT).getMessage();
    assertTrue(m.contains("no such device") && m.contains("No such file or directory"), m);
  }

  @Test
  void aNamespaceThatDoesNotExistIsNamedInTheError() {
    Exception e =
        assertThrows(
            Exception.class, () -> NetNamespace.callIn("crtr-no-such-ns", () -> "unreachable"));
    assertTrue(e.getMessage().contains("'crtr-no-such-ns'"), e.getMessage());
  }
}
