package org.crtrmotion.vm.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.loader.ImageFormatException;
import org.crtrmotion.vm.machine.BootException;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;

/** The bundled guests, booted with their console captured, and checkpoints through bytes. */
final class GuestRuns {
  private GuestRuns() {}

  /** A booted guest and what it printed so far. */
  record Guest(Machine machine, ByteArrayOutputStream console) {
    String output() {
      return console.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  static Guest boot(String image, MachineConfig config)
      throws IOException, ImageFormatException, BootException {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Path elf = Path.of("../native/guests/images/" + image);
    return new Guest(Machine.boot(config, ElfLoader.read(elf), console::write), console);
  }

  static Guest boot(String image) throws IOException, ImageFormatException, BootException {
    return boot(image, MachineConfig.defaults().withRamBytes(32L << 20));
  }

  static byte[] bytes(Checkpoint c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointWriter.write(c, out);
    return out.toByteArray();
  }

  /** Restores a stream without a boot plan, its console captured. */
  static Guest restore(byte[] stream) throws IOException, CheckpointFormatException {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Machine m = CheckpointReader.restore(new ByteArrayInputStream(stream), null, console::write);
    return new Guest(m, console);
  }
}
