package org.crtrmotion.actors.devices;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;

/**
 * A VM's devices opened on this node: what the machine is booted or restored with, and the host
 * handles (disk files, network ports) to close when the VM's thread ends. Closing twice is
 * harmless.
 */
public final class AttachedDevices implements AutoCloseable {
  private final VirtioAttachments attachments;
  private final List<AutoCloseable> handles;
  private boolean closed;

  AttachedDevices(VirtioAttachments attachments, List<AutoCloseable> handles) {
    this.attachments = attachments;
    this.handles = new ArrayList<>(handles);
  }

  /** Devices opened by the caller, who closes their handles (tests, one-system engines). */
  public static AttachedDevices of(VirtioAttachments attachments) {
    return new AttachedDevices(attachments, List.of());
  }

  /** No devices. */
  public static AttachedDevices none() {
    return new AttachedDevices(VirtioAttachments.none(), List.of());
  }

  public VirtioAttachments attachments() {
    return attachments;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable h : handles) {
      try {
        h.close();
      } catch (Exception e) {
        // a handle that fails to close holds nothing the VM still needs: close the others
      }
    }
  }
}
