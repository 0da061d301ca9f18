package org.crtrmotion.vm.machine;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.util.OptionalLong;
import org.crtrmotion.vm.board.BootRom;
import org.crtrmotion.vm.board.Htif;
import org.crtrmotion.vm.board.PowerControl;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.board.VirtBoard;
import org.crtrmotion.vm.board.fdt.VirtDeviceTree;
import org.crtrmotion.vm.board.virtio.PacketOutput;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.board.virtio.VirtioMmio;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointFormatException;
import org.crtrmotion.vm.checkpoint.proto.ClockState;
import org.crtrmotion.vm.checkpoint.proto.HtifState;
import org.crtrmotion.vm.checkpoint.proto.MachineFacts;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.cpu.Causes;
import org.crtrmotion.vm.cpu.CsrFile;
import org.crtrmotion.vm.cpu.Hart;
import org.crtrmotion.vm.cpu.Interpreter;
import org.crtrmotion.vm.input.InputFeed;
import org.crtrmotion.vm.input.InputObserver;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.HostClock;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.time.VirtualClock;

/**
 * A bootable virtual machine: the virt board with an image loaded and a device tree placed as QEMU
 * places them, and the run loop that turns everything the guest does into a {@link RunResult}.
 */
public final class Machine {
  private final MachineConfig config;
  private final BootPlan plan;
  private final Uart16550.Output console;
  private final VirtioAttachments devices; // what the virtio slots hold, with their host handles
  private final GuestOutput output = new GuestOutput();
  private VirtBoard board;
  private long fdtAddress;
  private long instructionsBeforeReset; // retired before the last guest-requested reset
  private volatile RunResult outcome; // set by the board's power control, read by the run loop
  private volatile boolean resetRequested; // the guest asked the board for a reset
  private volatile boolean idling; // the run thread sleeps (or is about to) for a WFI
  private boolean resumeIdle; // a pause ended a WFI sleep: the next run goes back to sleep first
  private long runLimit = Long.MAX_VALUE; // the instruction count the run in progress stops at

  private Machine(
      MachineConfig config, BootPlan plan, Uart16550.Output console, VirtioAttachments devices) {
    this.config = config;
    this.plan = plan;
    this.console = console;
    this.devices = devices;
  }

  /** Builds the machine and loads the image; fails when the image does not fit the board. */
  public static Machine boot(MachineConfig config, BootImage image, Uart16550.Output console)
      throws BootException {
    return boot(config, new BootPlan.BareMetal(image), console);
  }

  /** Builds the machine and loads what the plan says; fails when something does not fit. */
  public static Machine boot(MachineConfig config, BootPlan plan, Uart16550.Output console)
      throws BootException {
    return boot(config, plan, console, VirtioAttachments.none());
  }

  /** As {@link #boot(MachineConfig, BootPlan, Uart16550.Output)}, with virtio devices plugged. */
  public static Machine boot(
      MachineConfig config, BootPlan plan, Uart16550.Output console, VirtioAttachments devices)
      throws BootException {
    Machine m = new Machine(config, plan, console, devices);
    m.powerOn();
    return m;
  }

  private void powerOn() throws BootException {
    board =
        new VirtBoard(
            MachineConfig.RAM_BASE,
            config.ramBytes(),
            config.timeMode(),
            config.instructionsPerTick(),
            output,
            new Power(),
            devices,
            output);
    GuestMemory ram = board.ram;
    byte[] initrd = plan.initrd();
    long initrdStart = initrd == null ? 0 : initrdAddress(plan.nextStage(), ram.size());
    long initrdEnd = initrd == null ? 0 : initrdStart + initrd.length;
    if (initrd != null && !ram.contains(initrdEnd - 1)) {
      throw new BootException(
          String.format(
              "the initrd (%d bytes at 0x%x) does not fit in RAM: give the machine more memory",
              initrd.length, initrdStart));
    }
    byte[] fdt =
        VirtDeviceTree.build(
            new VirtDeviceTree.Spec(
                ram.base(), ram.size(), config.bootargs(), initrdStart, initrdEnd));
    fdtAddress = VirtDeviceTree.fdtAddress(ram.base(), ram.size(), fdt.length);
    for (BootImage image : plan.images()) {
      for (BootImage.Segment s : image.segments()) {
        load(s, fdtAddress, fdt.length);
      }
    }
    if (initrd != null) {
      load(
          new BootImage.Segment(initrdStart, initrdStart, initrd, initrd.length, false),
          fdtAddress,
          fdt.length);
    }
    ram.write(fdtAddress, fdt, 0, fdt.length);
    board.bus.map(BootRom.BASE, new BootRom(plan.startAddress(), fdtAddress, plan.nextStage()));
    installHtif();
    ram.collectDirty(); // loading is not guest activity
    Hart hart = board.hart;
    // The state QEMU's reset vector leaves: a0 = hart id, a1 = device tree, a2 = fw_dynamic info.
    hart.setX(10, 0);
    hart.setX(11, fdtAddress);
    hart.setX(12, BootRom.FW_DYNAMIC_INFO);
    hart.setPc(plan.startAddress());
  }

  /**
   * Where QEMU 7.2 puts an initrd: far enough past the kernel that the kernel's own unpacking will
   * not clobber it, half of RAM but at most 128 MiB.
   */
  static long initrdAddress(long kernelAddress, long ramBytes) {
    return kernelAddress + Math.min(ramBytes / 2, 128L << 20);
  }

  private void load(BootImage.Segment s, long fdtAddress, int fdtSize) throws BootException {
    GuestMemory ram = board.ram;
    long start = s.physicalAddress();
    long end = start + s.memorySize();
    if (!ram.contains(start) || !ram.contains(end - 1)) {
      throw new BootException(
          String.format(
              "the image's segment at 0x%x..0x%x lies outside RAM 0x%x..0x%x: link it for the"
                  + " virt board (RAM at 0x80000000) or give the machine more memory",
              start, end, ram.base(), ram.base() + ram.size()));
    }
    if (start < fdtAddress + fdtSize && fdtAddress < end) {
      throw new BootException(
          String.format(
              "the image's segment at 0x%x..0x%x overlaps the device tree at 0x%x: give the"
                  + " machine more memory",
              start, end, fdtAddress));
    }
    ram.write(start, s.data(), 0, s.data().length);
    ram.fillZero(start + s.data().length, s.memorySize() - s.data().length);
  }

  private void installHtif() {
    if (!(plan instanceof BootPlan.BareMetal) || !(plan.images().get(0) instanceof ElfImage)) {
      return;
    }
    ElfImage elf = (ElfImage) plan.images().get(0);
    OptionalLong tohost = elf.symbol("tohost");
    if (tohost.isPresent() && board.ram.contains(tohost.getAsLong())) {
      long fromhost = elf.symbol("fromhost").orElse(0);
      board.mmu.setStoreWatcher(
          new Htif(
              board.ram,
              tohost.getAsLong(),
              board.ram.contains(fromhost) ? fromhost : 0,
              output,
              new Power()));
    }
  }

  /**
   * Runs the guest until it powers off, halts, or {@code maxInstructions} (0 = no limit) retire.
   */
  public RunResult run(long maxInstructions) {
    long limit = maxInstructions <= 0 ? Long.MAX_VALUE : maxInstructions;
    runLimit = limit;
    if (resumeIdle) {
      // The guest never saw the pause: its WFI sleeps on as if the run had not been cut.
      resumeIdle = false;
      RunResult cut = idleOrHalt();
      if (cut != null) {
        return cut;
      }
    }
    while (true) {
      Interpreter cpu = board.interpreter;
      long remaining = limit - instructionsRetired();
      if (remaining <= 0) {
        return limitReached(limit);
      }
      long end =
          remaining > Long.MAX_VALUE - board.hart.instret()
              ? Long.MAX_VALUE
              : board.hart.instret() + remaining;
      int exit;
      try {
        exit = cpu.run(end);
      } catch (RuntimeException e) {
        // A defect of ours, not the guest's: end the run cleanly and say where it happened.
        return result(
            StopReason.INTERNAL_ERROR,
            0,
            String.format(
                "internal error of the machine at pc 0x%x after %d instructions: %s",
                board.hart.pc(), instructionsRetired(), e));
      }
      if (resetRequested) {
        resetAfterGuestRequest();
        continue;
      }
      RunResult done = outcome;
      if (done != null) {
        return result(done.reason(), done.exitCode(), done.detail());
      }
      if (exit == Interpreter.EXIT_STUCK) {
        return result(StopReason.STUCK, 0, cpu.stuckReason());
      }
      if (exit == Interpreter.EXIT_BUDGET) {
        return limitReached(limit);
      }
      if (exit == Interpreter.EXIT_PAUSE) {
        return paused();
      }
      if (exit == Interpreter.EXIT_WFI) {
        RunResult cut = idleOrHalt();
        if (cut != null) {
          return cut;
        }
      }
    }
  }

  /**
   * Sleeps for a WFI; returns null to go on running, or why the run ends: nothing can ever wake the
   * guest, or a pause came (then the next run sleeps again before any instruction).
   */
  private RunResult idleOrHalt() {
    if (!board.hart.wfiWakeable() && !timerCanWake() && board.clock.awaitsMoreTrace()) {
      if (instructionsRetired() < runLimit) {
        // The replayer's limit is within the trace's coverage: the recorded guest went on past
        // this WFI (woken without an input, as a live wait may be), so the replay goes on too.
        return null;
      }
      // The recorded guest may still wait here for input the trace has not brought yet: end the
      // run so that the replayer waits for more; the next run sleeps on before any instruction.
      resumeIdle = true;
      return result(StopReason.PAUSED, 0, "waiting for more trace");
    }
    if (!idle()) {
      return result(
          StopReason.HALTED,
          0,
          String.format(
              "the guest waits in WFI with no interrupt that could wake it (pc 0x%x, mie 0x%x)",
              board.hart.pc(), board.hart.csrs().peek(CsrFile.MIE)));
    }
    RunResult done = outcome;
    if (done == null && board.interpreter.takePause()) {
      resumeIdle = true;
      return paused();
    }
    return null;
  }

  private RunResult paused() {
    return result(StopReason.PAUSED, 0, "pause requested");
  }

  private RunResult limitReached(long limit) {
    return result(StopReason.INSTRUCTION_LIMIT, 0, "instruction limit of " + limit + " reached");
  }

  private void resetAfterGuestRequest() {
    instructionsBeforeReset += board.hart.instret();
    resetRequested = false;
    try {
      powerOn();
    } catch (BootException e) {
      throw new IllegalStateException("the image that booted before no longer fits", e);
    }
  }

  /**
   * The hart sleeps in WFI: let time pass until the timer can wake it. Returns false when nothing
   * ever can.
   */
  private boolean idle() {
    Hart hart = board.hart;
    if (hart.wfiWakeable()) {
      return true;
    }
    idling = true; // before looking at the pause flag: see requestPause
    try {
      return board.interpreter.pausePending() || sleep();
    } finally {
      idling = false;
    }
  }

  /** Whether the timer is enabled and armed, so that it can end a WFI. */
  private boolean timerCanWake() {
    long mtie = 1L << Causes.IRQ_M_TIMER;
    return (board.hart.csrs().peek(CsrFile.MIE) & mtie) != 0 && board.clint.mtimecmp() != -1L;
  }

  private boolean sleep() {
    long deadline = board.clint.mtimecmp();
    if (!timerCanWake()) {
      return awaitHostInput();
    }
    try {
      board.clock.idleUntil(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requestStop();
    }
    return true;
  }

  /**
   * A hart idle with no timer armed: only host input (packets) can wake it. Live, waits for some;
   * replaying, goes on while the trace has inputs (the recorded guest resumed to take them).
   */
  private boolean awaitHostInput() {
    board.clock.goLiveIfAtEnd();
    if (board.clock.replaying()) {
      return board.clock.inputsRemain();
    }
    if (!board.clock.hasPacketPorts()) {
      return false;
    }
    try {
      board.clock.awaitArrival();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requestStop();
    }
    return true;
  }

  /**
   * Shows every non-deterministic input from now on to {@code recorder} (host-clock reads and
   * timer-line changes; in virtual time there are none). Call it between runs.
   */
  public void record(InputObserver recorder) {
    board.clock.record(recorder);
  }

  /**
   * Takes the machine's inputs from {@code trace} from now on, with host sources detached and the
   * guest's output suppressed (it still enters {@link #outputDigest()}); at the end of the trace
   * the machine goes live when {@code goLiveAtEnd}. Call it between runs, on a machine in the state
   * the trace starts from.
   */
  public void replay(InputFeed trace, boolean goLiveAtEnd) {
    board.clock.replay(trace, goLiveAtEnd);
    board.clock.onDivergence(
        () -> finishWith(new RunResult(StopReason.DIVERGED, 0, 0, board.clock.divergence())));
  }

  /** Console input for the guest, typed on the host; callable from any thread. */
  public void consoleInput(byte[] bytes) {
    board.clock.offerConsole(bytes);
  }

  /** The digest of the machine's architectural state; call it between runs. */
  public StateDigest digest() {
    return board.digest();
  }

  /**
   * A running digest of every byte the guest sent to its console since boot or since {@link
   * #restartOutputDigest()}, suppressed or not.
   */
  public long outputDigest() {
    return output.digest();
  }

  /** Starts the output digest afresh, as a recording does at its checkpoint. */
  public void restartOutputDigest() {
    output.restart();
  }

  private void finishWith(RunResult r) {
    if (outcome == null) {
      outcome = r;
    }
    board.interpreter.requestStop();
  }

  /**
   * The guest's output, console bytes and transmitted frames: counted into the output digest,
   * passed on unless replaying.
   */
  private final class GuestOutput implements Uart16550.Output, PacketOutput {
    private HashStream64 hash = Hashing.xxh3_64().hashStream();

    void restart() {
      hash = Hashing.xxh3_64().hashStream();
    }

    @Override
    public void write(int b) {
      hash.putByte((byte) b);
      if (!board.clock.replaying()) {
        console.write(b);
      }
    }

    /** A frame enters the digest with its device and length, so frame boundaries count. */
    @Override
    public void transmit(int device, byte[] frame) {
      hash.putInt(device).putInt(frame.length).putBytes(frame);
      if (!board.clock.replaying()) {
        VirtioAttachments.Nic nic = devices.nicInSlot(device);
        if (nic != null) {
          nic.backend().send(frame);
        }
      }
    }

    long digest() {
      return hash.getAsLong();
    }
  }

  /**
   * Asks a run in progress to return {@link StopReason#PAUSED} soon, at an instruction boundary;
   * callable from any thread. The machine may then {@link #run} again exactly as if the run had
   * ended there by its instruction limit: the guest sees nothing (a WFI sleep the pause cut short
   * goes on sleeping on the next run). A pause asked for while no run is in progress ends the next
   * run before its first instruction. A guest sleeping in WFI is woken for it.
   */
  public void requestPause() {
    board.interpreter.requestPause();
    // The run thread sets idling before it looks at the pause flag, we after setting it: either
    // it sees the pause or we see it idling and wake it. Waking only then keeps stray wake-ups
    // (which would end a later WFI sleep early) rare.
    if (idling) {
      board.clock.wake();
    }
  }

  /** Whether the run thread sleeps (or is about to) in a WFI; for tests' probes. */
  boolean sleepingInWfi() {
    return idling;
  }

  /** Asks a run in progress to stop soon; callable from any thread. */
  public void requestStop() {
    if (outcome == null) {
      outcome = new RunResult(StopReason.STOPPED, 0, 0, "stop requested");
    }
    board.interpreter.requestStop();
    board.clock.wake();
  }

  private RunResult result(StopReason reason, int exitCode, String detail) {
    return new RunResult(reason, exitCode, instructionsRetired(), detail);
  }

  public long instructionsRetired() {
    return instructionsBeforeReset + board.hart.instret();
  }

  public VirtBoard board() {
    return board;
  }

  public long fdtAddress() {
    return fdtAddress;
  }

  public BootPlan plan() {
    return plan;
  }

  /** The board's power control: the finisher and HTIF end runs through it. */
  private final class Power implements PowerControl {
    @Override
    public void powerOff(int exitCode) {
      finishWith(
          new RunResult(
              StopReason.POWER_OFF, exitCode, 0, "guest powered off with exit code " + exitCode));
    }

    @Override
    public void reset() {
      if (outcome == null) {
        resetRequested = true;
        board.interpreter.requestStop();
      }
    }

    @Override
    public void unsupported(String reason) {
      finishWith(new RunResult(StopReason.UNSUPPORTED, 0, 0, reason));
    }
  }

  // ---------------------------------------------------------------- checkpoint and restore

  /**
   * Takes a checkpoint of the whole machine. Call it between runs, on the thread that runs the
   * machine: the pause is the copy of CPU and device state and the sharing of memory (the caller
   * measures it: the machine reads no host time outside its host clock).
   */
  public Checkpoint checkpoint() {
    return checkpointSince(0);
  }

  /**
   * An incremental checkpoint: the state, and only the pages written since {@code generation} (that
   * of an earlier checkpoint), zero pages included.
   */
  public Checkpoint checkpointSince(int generation) {
    return checkpointSince(generation, generation);
  }

  /**
   * As {@link #checkpointSince(int)}, the pages written since {@code pagesSince} but the device
   * state's incremental parts (the disk overlay's blocks) since {@code stateSince}: a pre-copy
   * target holds pages from every round but device state only from the last state it was sent.
   */
  public Checkpoint checkpointSince(int pagesSince, int stateSince) {
    MachineState state = saveState(Math.max(0, stateSince));
    MemorySnapshot memory = board.ram.share(pagesSince);
    return new Checkpoint(state, memory, Math.max(0, pagesSince));
  }

  private MachineState saveState(int sinceGeneration) {
    MachineFacts.Builder facts =
        MachineFacts.newBuilder()
            .setRamBase(board.ram.base())
            .setRamBytes(board.ram.size())
            .setTimeMode(
                config.timeMode() == TimeMode.VIRTUAL
                    ? org.crtrmotion.vm.checkpoint.proto.TimeMode.TIME_MODE_VIRTUAL
                    : org.crtrmotion.vm.checkpoint.proto.TimeMode.TIME_MODE_HOST)
            .setInstructionsPerTick(config.instructionsPerTick())
            .setFdtAddress(fdtAddress)
            .setInstructionsBeforeReset(instructionsBeforeReset);
    if (config.bootargs() != null) {
      facts.setBootargs(config.bootargs());
    }
    MachineState.Builder s =
        MachineState.newBuilder()
            .setMachine(facts)
            .setHart(board.hart.save())
            .setClock(saveClock())
            .setClint(board.clint.save())
            .setPlic(board.plic.save())
            .setUart(board.uart.save())
            .setBootRom(((BootRom) board.bus.devices().get(board.bus.find(BootRom.BASE))).save());
    if (board.mmu.storeWatcher() instanceof Htif htif) {
      s.setHtif(htif.save());
    }
    for (VirtioMmio slot : board.virtio) {
      s.addVirtio(slot.save(sinceGeneration));
    }
    return s.build();
  }

  private ClockState saveClock() {
    if (board.clock.source() instanceof VirtualClock v) {
      return ClockState.newBuilder().setVirtual(v.save()).build();
    }
    return ClockState.newBuilder().setHost(((HostClock) board.clock.source()).save()).build();
  }

  /**
   * Builds a machine from a checkpoint, whose digest is the source's at the checkpoint instant.
   *
   * @param plan what a guest-requested reset reloads, or null: a reset then ends the run as
   *     unsupported
   */
  public static Machine restore(Checkpoint checkpoint, BootPlan plan, Uart16550.Output console)
      throws CheckpointFormatException {
    return restore(checkpoint, plan, console, VirtioAttachments.none());
  }

  /**
   * As {@link #restore(Checkpoint, BootPlan, Uart16550.Output)}, with the host handles of the
   * checkpoint's virtio devices: the same kinds in the same order, disks over the same base images.
   */
  public static Machine restore(
      Checkpoint checkpoint, BootPlan plan, Uart16550.Output console, VirtioAttachments devices)
      throws CheckpointFormatException {
    if (!checkpoint.isFull()) {
      throw new CheckpointFormatException(
          "an incremental checkpoint applies onto a restored machine (applyIncremental), it does"
              + " not build one");
    }
    Machine m = restoreState(checkpoint.state(), plan, console, devices);
    m.board.ram.applyPages(checkpoint.memory());
    m.board.ram.collectDirty(); // restoring is not guest activity
    return m;
  }

  /**
   * Brings a restored machine to an incremental checkpoint's instant: its CPU and device state, and
   * the pages written since the generation it is relative to.
   */
  public void applyIncremental(Checkpoint delta) throws CheckpointFormatException {
    loadState(delta.state());
    board.ram.applyPages(delta.memory());
    board.ram.collectDirty();
  }

  /**
   * A machine with the checkpoint's CPU and device state and all-zero memory, for a restore that
   * receives the pages afterwards ({@link org.crtrmotion.vm.checkpoint.CheckpointReader}).
   */
  public static Machine restoreState(MachineState state, BootPlan plan, Uart16550.Output console)
      throws CheckpointFormatException {
    return restoreState(state, plan, console, VirtioAttachments.none());
  }

  /** As {@link #restoreState(MachineState, BootPlan, Uart16550.Output)}, with virtio devices. */
  public static Machine restoreState(
      MachineState state, BootPlan plan, Uart16550.Output console, VirtioAttachments devices)
      throws CheckpointFormatException {
    MachineConfig config = StateChecks.config(state);
    Machine m = new Machine(config, plan, console, devices);
    PowerControl power = plan == null ? new PowerWithoutPlan(m.new Power()) : m.new Power();
    m.board =
        new VirtBoard(
            MachineConfig.RAM_BASE,
            config.ramBytes(),
            config.timeMode(),
            config.instructionsPerTick(),
            m.output,
            power,
            devices,
            m.output);
    m.loadState(state);
    m.board.bus.map(BootRom.BASE, BootRom.restore(state.getBootRom()));
    if (state.hasHtif()) {
      HtifState h = state.getHtif();
      m.board.mmu.setStoreWatcher(
          new Htif(m.board.ram, h.getTohost(), h.getFromhost(), m.output, power));
    }
    return m;
  }

  /** The CPU, clock, devices and counters of a state that fits this machine's board. */
  public void loadState(MachineState state) throws CheckpointFormatException {
    StateChecks.fits(state, board.ram, config);
    try {
      if (board.clock.source() instanceof VirtualClock v) {
        v.restore(state.getClock().getVirtual());
      } else {
        ((HostClock) board.clock.source()).restore(state.getClock().getHost());
      }
      board.hart.restore(state.getHart());
      board.clint.restore(state.getClint());
      board.plic.restore(state.getPlic());
      board.uart.restore(state.getUart());
      loadVirtio(state);
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException("checkpoint state refused: " + e.getMessage(), e);
    }
    fdtAddress = state.getMachine().getFdtAddress();
    instructionsBeforeReset = state.getMachine().getInstructionsBeforeReset();
    outcome = null;
  }

  private void loadVirtio(MachineState state) {
    if (state.getVirtioCount() != board.virtio.size()) {
      throw new IllegalArgumentException(
          "the checkpoint has "
              + state.getVirtioCount()
              + " virtio devices, this machine was given "
              + board.virtio.size());
    }
    for (int i = 0; i < board.virtio.size(); i++) {
      board.virtio.get(i).restore(state.getVirtio(i));
    }
  }

  /** A restored machine without its boot plan cannot reload the images on a guest reset. */
  private static final class PowerWithoutPlan implements PowerControl {
    private final PowerControl power;

    PowerWithoutPlan(PowerControl power) {
      this.power = power;
    }

    @Override
    public void powerOff(int exitCode) {
      power.powerOff(exitCode);
    }

    @Override
    public void reset() {
      power.unsupported(
          "the guest asked for a reset, but the machine was restored without its" + " boot images");
    }

    @Override
    public void unsupported(String reason) {
      power.unsupported(reason);
    }
  }
}
