package org.crtrmotion.vm.input;

import java.util.function.LongSupplier;
import org.crtrmotion.vm.cpu.Causes;
import org.crtrmotion.vm.time.GuestClock;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.InputEvent;

/**
 * The time boundary of the machine. Live, it passes the real clock through and shows every
 * non-deterministic observation of it to a recorder: each time value the guest reads, and each
 * instant the timer line changed because host time passed mtimecmp. Replaying, it takes both from
 * the trace at their exact instruction counts instead, never looking at the host, so the guest
 * takes the same path; an idle hart jumps straight to its recorded wake-up. At the end of the trace
 * it can go live, with guest time continuing from the last value the guest saw.
 *
 * <p>In virtual time nothing here is an input (time is a function of the instruction count), so
 * nothing is recorded.
 */
public final class TraceClock implements GuestClock {
  private GuestClock live; // the real clock, or what replay switches to when it goes live
  private final LongSupplier instret;
  private final LongSupplier traps;
  private InputObserver observer; // the recorder, or null
  private InputFeed feed; // replay's inputs, or null when live
  private boolean goLiveAtEnd;
  private boolean level; // the timer line as last reported
  private long lastRead; // the last time the guest saw, to keep it monotonic across going live
  private String divergence; // why replay could not follow the trace, or null
  private Runnable onDivergence = () -> {};
  private final java.util.concurrent.ConcurrentLinkedQueue<Integer> hostConsole =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private java.util.function.IntPredicate console = b -> false; // the UART: false when full
  private final PacketPort[] ports = new PacketPort[256]; // network devices by index, or null
  private int[] connected = new int[0]; // the indices in use, so the hot path skips the rest
  private final Object arrivals = new Object(); // host input arrived: an idle hart may wake
  private boolean arrived;

  public TraceClock(GuestClock live, LongSupplier instret, LongSupplier traps) {
    this.live = live;
    this.instret = instret;
    this.traps = traps;
  }

  /** The clock behind the boundary: the virtual or host clock the machine was built with. */
  public GuestClock source() {
    return live;
  }

  /** Where console input goes: the UART's receiver, which answers false when its FIFO is full. */
  public void connectConsole(java.util.function.IntPredicate receiver) {
    this.console = receiver;
  }

  /** A network device whose received frames are inputs, under index {@code device} (0 to 255). */
  public void connectPackets(int device, PacketPort port) {
    if (ports[device] == null) {
      connected = java.util.Arrays.copyOf(connected, connected.length + 1);
      connected[connected.length - 1] = device;
    }
    ports[device] = port;
  }

  /** Whether any network device is connected. */
  public boolean hasPacketPorts() {
    return connected.length > 0;
  }

  /** Host input arrived for the guest (a backend calls it from any thread). */
  public void signalArrival() {
    synchronized (arrivals) {
      arrived = true;
      arrivals.notifyAll();
    }
    live.wake();
  }

  /**
   * Live, for a hart idle with no timer that only host input can wake: waits until input arrives or
   * {@link #wake()} is called.
   */
  public void awaitArrival() throws InterruptedException {
    synchronized (arrivals) {
      while (!arrived) {
        arrivals.wait();
      }
      arrived = false;
    }
  }

  /** Replaying: whether the trace still has inputs, so an idle guest resumed in the recording. */
  public boolean inputsRemain() {
    return feed != null && feed.peek() != null;
  }

  /**
   * Bytes typed on the host for the guest's console; callable from any thread. They reach the UART
   * between instructions, as its FIFO has room, and each is an input a recorder sees.
   */
  public void offerConsole(byte[] bytes) {
    for (byte b : bytes) {
      hostConsole.add(b & 0xff);
    }
    signalArrival();
  }

  /**
   * Between instructions: hands the UART the console bytes waiting on the host (live) or the ones
   * the trace has at this very point (replay).
   */
  public void deliverBetweenInstructions() {
    if (feed == null) {
      Integer b;
      while ((b = hostConsole.peek()) != null && console.test(b)) {
        hostConsole.poll();
        if (observer != null) {
          observer.consoleInput(instret.getAsLong(), traps.getAsLong(), b);
        }
      }
      deliverHostPackets();
      return;
    }
    long at = instret.getAsLong();
    long t = traps.getAsLong();
    InputEvent in = feed.peek();
    while (in != null && in.instructionCount() == at) {
      if (in.kind() == EventKind.CONSOLE_INPUT && in.traps() == t) {
        console.test(feed.next().consoleByte());
      } else if (in.kind() == EventKind.PACKET
          && in.packetAfterTraps(t)
          && ports[in.packetDevice()] != null) {
        ports[in.packetDevice()].receive(feed.next().bytes());
      } else {
        break;
      }
      in = feed.peek();
    }
    endOfTraceCheck();
  }

  /** Live: frames waiting on the host go to devices with a buffer posted, each one recorded. */
  private void deliverHostPackets() {
    for (int device : connected) {
      PacketPort port = ports[device];
      byte[] frame;
      while (port.canReceive() && (frame = port.pollHost()) != null) {
        port.receive(frame);
        if (observer != null) {
          observer.packet(instret.getAsLong(), traps.getAsLong(), device, frame);
        }
      }
    }
  }

  /** From now on, every input is also shown to {@code observer} (null stops recording). */
  public void record(InputObserver observer) {
    this.observer = observer;
  }

  /** Takes time from {@code feed} from now on; at its end, goes live or stays replaying. */
  public void replay(InputFeed feed, boolean goLiveAtEnd) {
    this.feed = feed;
    this.goLiveAtEnd = goLiveAtEnd;
  }

  public boolean replaying() {
    return feed != null;
  }

  /**
   * Goes live now if the trace is at its end and was to go live there. A replica told to go live
   * while asleep in WFI looks here before sleeping on: no instruction runs first to take the look.
   */
  public void goLiveIfAtEnd() {
    endOfTraceCheck();
  }

  /**
   * Replaying a trace that is still arriving, with no input at hand and no going live at its end:
   * an idle guest must wait for the replayer to bring more trace (or to find it has caught up).
   */
  public boolean awaitsMoreTrace() {
    return feed != null && !goLiveAtEnd && feed.mayGrow() && feed.peek() == null;
  }

  /** Called when replay finds the guest asking for an input the trace does not have there. */
  public void onDivergence(Runnable action) {
    this.onDivergence = action;
  }

  /** Why the replay diverged, or null. */
  public String divergence() {
    return divergence;
  }

  /** Whether time itself comes from the trace: a replay of host time (virtual time is computed). */
  private boolean replayingTime() {
    return feed != null && live.mode() == TimeMode.HOST;
  }

  private boolean recordingHostTime() {
    return observer != null && live.mode() == TimeMode.HOST;
  }

  @Override
  public long read() {
    if (!replayingTime()) {
      long t = live.now();
      if (recordingHostTime()) {
        observer.timeRead(instret.getAsLong(), t);
      }
      lastRead = t;
      return t;
    }
    InputEvent in = expect(EventKind.TIME_READ);
    if (in != null) {
      lastRead = in.value();
    }
    endOfTraceCheck();
    return lastRead;
  }

  @Override
  public boolean reached(long mtimecmp, boolean duringInstruction) {
    if (!replayingTime()) {
      long t = live.now();
      boolean now = Long.compareUnsigned(t, mtimecmp) >= 0;
      if (now != level && recordingHostTime()) {
        observer.timerLine(instret.getAsLong(), traps.getAsLong(), now, duringInstruction);
      }
      level = now;
      return now;
    }
    long at = instret.getAsLong();
    InputEvent in = feed.peek();
    while (in != null
        && in.kind() == EventKind.IRQ_LINE
        && in.line() == Causes.IRQ_M_TIMER
        && in.instructionCount() == at
        && in.duringInstruction() == duringInstruction
        && (duringInstruction || in.traps() == traps.getAsLong())) {
      level = feed.next().level();
      if (level) {
        lastRead = Math.max(lastRead, mtimecmp); // the line rose because time got there
      }
      in = feed.peek();
    }
    endOfTraceCheck();
    if (in != null && in.instructionCount() < at) {
      diverge(in, at);
    }
    return level;
  }

  @Override
  public long now() {
    return replayingTime() ? lastRead : live.now();
  }

  @Override
  public void set(long mtime) {
    live.set(mtime);
    lastRead = mtime;
  }

  @Override
  public long instructionsUntil(long mtime) {
    return replayingTime()
        ? instructionsUntilNextInput()
        : Math.min(live.instructionsUntil(mtime), instructionsUntilNextInput());
  }

  /** Replaying, how far the next recorded input is: the interpreter must stop there. */
  private long instructionsUntilNextInput() {
    InputEvent in = feed == null ? null : feed.peek();
    return in == null ? Long.MAX_VALUE : Math.max(0, in.instructionCount() - instret.getAsLong());
  }

  @Override
  public long instructionsUntilTimerChange(long mtimecmp, boolean raised) {
    // Replaying, the line changes exactly where the trace says, whatever the deadline.
    return replayingTime()
        ? instructionsUntilNextInput()
        : Math.min(
            live.instructionsUntilTimerChange(mtimecmp, raised), instructionsUntilNextInput());
  }

  @Override
  public void idleUntil(long mtime) throws InterruptedException {
    if (!replayingTime()) {
      live.idleUntil(mtime);
    }
    // Replaying, the wake-up is the next recorded timer event, at this very instruction count.
  }

  @Override
  public void wake() {
    synchronized (arrivals) {
      arrived = true;
      arrivals.notifyAll();
    }
    live.wake();
  }

  @Override
  public TimeMode mode() {
    return live.mode();
  }

  private InputEvent expect(EventKind kind) {
    long at = instret.getAsLong();
    InputEvent in = feed.peek();
    if (in == null || in.kind() != kind || in.instructionCount() != at) {
      diverge(in, at);
      return null;
    }
    return feed.next();
  }

  private void diverge(InputEvent expected, long at) {
    if (divergence == null) {
      divergence =
          expected == null
              ? "replay diverged at instruction "
                  + at
                  + ": the guest read the clock after the last recorded input"
              : "replay diverged at instruction "
                  + at
                  + ": the trace has "
                  + expected.kind()
                  + " at instruction "
                  + expected.instructionCount();
      onDivergence.run();
    }
  }

  private void endOfTraceCheck() {
    if (feed != null && feed.peek() == null && goLiveAtEnd) {
      goLive();
    }
  }

  /** Attaches the host clock again, continuing from the last time the guest saw. */
  private void goLive() {
    feed = null;
    if (live.now() < lastRead) {
      live.set(lastRead);
    }
  }
}
