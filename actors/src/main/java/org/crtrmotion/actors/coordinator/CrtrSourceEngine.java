package org.crtrmotion.actors.coordinator;

import static java.util.concurrent.CompletableFuture.completedStage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.DowntimeModel;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.streams.BandwidthCap;
import org.crtrmotion.streams.CheckpointStreams;
import org.crtrmotion.streams.CheckpointTransfer;
import org.crtrmotion.streams.OutboundLog;
import org.crtrmotion.streams.ReliableSender;
import org.crtrmotion.streams.StreamMetrics;
import org.crtrmotion.streams.TraceStreams;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;

/**
 * CR/TR-Motion on the source: a checkpoint streamed while the guest runs and records, the trace
 * through a reliable sender (memory, then spill; acknowledged; resumed after a cut), both through a
 * {@link BandwidthCap} at {@code max-bandwidth}. A round measures the backlog (trace wire bytes not
 * yet acknowledged), the link rate, the lag (source's covered instruction count minus the target's
 * replayed one) and the target's replay rate, and predicts the downtime with {@link
 * DowntimeModel#crtrMillis}.
 */
final class CrtrSourceEngine implements SourceEngine {
  /** Trace segments the stream may leave waiting before the guest waits for it. */
  private static final int RECORDER_BUFFER_SEGMENTS = 8;

  private final ActorSystem<?> system;
  private final String migrationId;
  private final ActorRef<VmActor.Command> vm;
  private final MigrationParameters parameters;
  private final CoordinatorSettings settings;
  private final Consumer<String> onFailure;
  private final BandwidthCap cap;
  private final StreamMetrics metrics;

  private VmActor.RecordingStarted recording;
  private OutboundLog log;
  private ReliableSender sender;
  private Path spill;
  private long lastBytesSent;
  // Fault site: the next frame on the link is corrupted (armed at corruptTraceAtRound).
  private final java.util.concurrent.atomic.AtomicBoolean corruptNext =
      new java.util.concurrent.atomic.AtomicBoolean();
  // Fault site: the trace's control path, dropped while partitioned (null unless the fault is set).
  private final java.util.concurrent.atomic.AtomicBoolean partitioned =
      new java.util.concurrent.atomic.AtomicBoolean();
  private ActorRef<ByteString> gate;
  private volatile int throttlePercent;

  /**
   * @param onFailure told (from any thread) when a stream of the transfer fails, with the reason
   */
  CrtrSourceEngine(
      ActorSystem<?> system,
      String migrationId,
      ActorRef<VmActor.Command> vm,
      MigrationParameters parameters,
      CoordinatorSettings settings,
      Consumer<String> onFailure) {
    this.system = system;
    this.migrationId = migrationId;
    this.vm = vm;
    this.parameters = parameters;
    this.settings = settings;
    this.onFailure = onFailure;
    this.cap = new BandwidthCap(parameters.maxBandwidthBytesPerSecond());
    this.metrics = new StreamMetrics(cap);
  }

  String checkpointStream() {
    return migrationId + "/checkpoint";
  }

  String traceStream() {
    return migrationId + "/trace";
  }

  @Override
  public CompletionStage<MigrationProtocol.ToTarget> start() {
    return ask(r -> new VmActor.BeginRecording(RECORDER_BUFFER_SEGMENTS, r))
        .thenApply(
            reply -> {
              if (!(reply instanceof VmActor.RecordingStarted started)) {
                throw new IllegalStateException("the VM cannot record: " + describe(reply));
              }
              recording = started;
              return streams(started);
            });
  }

  private MigrationProtocol.ToTarget streams(VmActor.RecordingStarted started) {
    SourceRef<ByteString> checkpoint =
        CheckpointTransfer.frames(
                checkpointStream(),
                started.checkpoint(),
                CheckpointStreams.DEFAULT_CHUNK_BYTES,
                parameters.deadline())
            .via(cap.flow())
            .via(metrics.countSent())
            .runWith(StreamRefs.sourceRef(), system);
    try {
      spill = Files.createTempDirectory("crtr-spill-" + migrationId.replaceAll("[^\\w-]", "_"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the trace's spill directory", e);
    }
    log =
        new OutboundLog(
            traceStream(),
            OutboundLog.Options.of(settings.logMemoryBytes(), spill, settings.spillBudgetBytes()));
    metrics.watch(log);
    sender =
        ReliableSender.start(
            system,
            log,
            cap.flow().via(corruptWhenArmed()).via(metrics.countSent()),
            settings.resumeDeadline());
    sender
        .done()
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                onFailure.accept("the trace stream failed: " + failure.getMessage());
              }
            });
    started
        .trace()
        .source()
        .via(TraceStreams.encodeAsAvailable(traceStream(), 4))
        .runWith(sender.producer(), system);
    ActorRef<ByteString> endpoint = sender.endpoint();
    if (settings.faults().partitionTraceAtRound() > 0) {
      ActorRef<ByteString> target = endpoint;
      gate =
          system.systemActorOf(
              Behaviors.<ByteString>receiveMessage(
                  frame -> {
                    if (!partitioned.get()) {
                      target.tell(frame);
                    }
                    return Behaviors.same();
                  }),
              "trace-gate-" + migrationId,
              Props.empty());
      endpoint = gate;
    }
    return new MigrationProtocol.StartTransfer(
        migrationId, started.instructions(), checkpoint, endpoint);
  }

  /**
   * The {@link MigrationFaults#corruptTraceAtRound} site: once armed, the next frame on the link
   * has its last byte flipped, after the checksum was computed, as a faulty link would do.
   */
  private org.apache.pekko.stream.javadsl.Flow<ByteString, ByteString, org.apache.pekko.NotUsed>
      corruptWhenArmed() {
    return org.apache.pekko.stream.javadsl.Flow.<ByteString>create()
        .map(
            frame -> {
              if (frame.isEmpty() || !corruptNext.compareAndSet(true, false)) {
                return frame;
              }
              byte[] bytes = frame.toArray();
              bytes[bytes.length - 1] ^= 0x5A;
              return ByteString.fromArrayUnsafe(bytes);
            });
  }

  @Override
  public RoundReport measure(int round, long elapsedMillis, MigrationProtocol.Progress progress) {
    if (round == settings.faults().cutTraceAtRound() && sender != null) {
      sender.dropConnection(
          new IllegalStateException("fault injected: trace connection cut at round " + round));
    }
    if (round == settings.faults().corruptTraceAtRound()) {
      corruptNext.set(true);
    }
    if (round == settings.faults().partitionTraceAtRound() && sender != null) {
      partitioned.set(true);
      sender.dropConnection(
          new IllegalStateException("fault injected: trace partitioned at round " + round));
    }
    StreamMetrics.Snapshot s = metrics.snapshot();
    long sent = bytes().total();
    long backlog = log == null ? 0 : log.stats().heldBytes();
    // The cap is the link's rate when one is set; otherwise what the link carried lately.
    long link = cap.bytesPerSecond() > 0 ? cap.bytesPerSecond() : s.sentBytesPerSecond();
    long lag =
        Math.max(
            0,
            (recording == null ? 0 : recording.trace().coveredIcount())
                - progress.replayedInstructions());
    long expected =
        progress.restored()
            ? DowntimeModel.crtrMillis(
                backlog,
                link,
                lag,
                progress.replayInstructionsPerSecond(),
                settings.handoverMillis())
            : Long.MAX_VALUE;
    RoundReport r =
        new RoundReport(
            round,
            elapsedMillis,
            sent - lastBytesSent,
            backlog,
            lag,
            link,
            s.sentBytesPerSecond(),
            progress.replayInstructionsPerSecond(),
            expected,
            0);
    lastBytesSent = sent;
    return r;
  }

  @Override
  public CompletionStage<VmActor.Frozen> freeze() {
    return ask(VmActor.Freeze::new)
        .thenApply(
            reply -> {
              if (reply instanceof VmActor.Frozen f) {
                return f;
              }
              throw new IllegalStateException("the VM cannot freeze: " + describe(reply));
            });
  }

  @Override
  public BytesByKind bytes() {
    StreamMetrics.Snapshot s = metrics.snapshot();
    return new BytesByKind(
        s.sent(FrameKind.CHECKPOINT_CHUNK).wireBytes(),
        s.sent(FrameKind.TRACE_SEGMENTS).wireBytes(),
        0,
        s.sent(FrameKind.CONTROL).wireBytes() + s.sent(FrameKind.END).wireBytes());
  }

  @Override
  public boolean throttle(int percent) {
    // Auto-converge for CR/TR: a slower source records less trace per second and gives the
    // replay on the target time to catch up (PAPER.md: the rounds shrink by max(g/B, 1/p)).
    ask(r -> new VmActor.SetThrottle(percent, r));
    throttlePercent = percent;
    return true;
  }

  @Override
  public int throttlePercent() {
    return throttlePercent;
  }

  @Override
  public Optional<StreamMetrics.Reliability> streamState() {
    return metrics.reliability();
  }

  @Override
  public CompletionStage<Void> abort(String reason) {
    // The recorder is detached first, so that failing the stream cannot stop the guest mid-slice;
    // then the source runs on as before, unthrottled.
    return ask(VmActor.StopRecording::new)
        .thenCompose(
            stopped -> throttlePercent == 0 ? completedStage(stopped) : unthrottle(stopped))
        .handle(
            (reply, failure) -> {
              if (log != null) {
                log.fail(new IllegalStateException("migration aborted: " + reason));
              }
              deleteSpill();
              stopGate();
              if (failure != null) {
                throw new IllegalStateException(
                    "the source did not confirm it runs on: " + failure.getMessage(), failure);
              }
              if (!(reply instanceof VmActor.Status)) {
                throw new IllegalStateException(
                    "the source did not confirm it runs on: " + describe(reply));
              }
              return null;
            });
  }

  @Override
  public void close() {
    if (sender != null) {
      // The END frame is acknowledged once the target has the whole trace: then nothing is held.
      sender
          .done()
          .whenComplete(
              (done, failure) -> {
                settings.faults().traceConnections(sender.connections());
                closeLog();
              });
    }
  }

  @Override
  public void release() {
    if (log != null) {
      log.fail(new IllegalStateException("the source's coordinator stopped"));
    }
    deleteSpill();
    stopGate();
  }

  private void closeLog() {
    log.close();
    deleteSpill();
    stopGate();
  }

  private void stopGate() {
    if (gate != null) {
      org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)
          .stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(gate));
    }
  }

  private void deleteSpill() {
    if (spill == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(spill)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Left behind in the temporary directory; nothing depends on it.
    }
  }

  private CompletionStage<VmActor.Reply> unthrottle(VmActor.Reply stopped) {
    return ask(r -> new VmActor.SetThrottle(0, r))
        .thenApply(reply -> reply instanceof VmActor.Status ? reply : stopped);
  }

  private CompletionStage<VmActor.Reply> ask(
      org.apache.pekko.japi.function.Function<ActorRef<VmActor.Reply>, VmActor.Command> command) {
    return AskPattern.ask(vm, command, settings.askTimeout(), system.scheduler());
  }

  private static String describe(VmActor.Reply reply) {
    return reply instanceof VmActor.Refused r ? r.reason() : String.valueOf(reply);
  }
}
