package org.crtrmotion.actors.coordinator;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;

/**
 * The messages two coordinators exchange across nodes ({@code crtr/migration/v1/migration.proto}):
 *
 * <pre>
 * source                                 target
 *   Prepare ------------------------------> (Migrations: a TargetCoordinator, capacity reserved)
 *   <------------------------------------- Accepted | Refused
 *   StartTransfer (checkpoint, trace) ---->  replica restored, replaying
 *   ProgressQuery ------------------------>  (each round)
 *   <------------------------------------- Progress
 *   (source frozen at F, trace ended)
 *   <------------------------------------- CaughtUp(F, digests)
 *   (directory Move: the commit point)
 *   Commit ------------------------------->  replica goes live
 *   <------------------------------------- Live
 *   Abort -------------------------------->  (any time before the commit point)
 *   <------------------------------------- TargetFailed
 * </pre>
 */
public final class MigrationProtocol {
  private MigrationProtocol() {}

  /** To a node's {@link Migrations} actor. */
  public sealed interface ToNode extends Migrations.Command permits Prepare {}

  /** To the source's coordinator. */
  public sealed interface ToSource extends SourceCoordinator.Command
      permits Accepted, Refused, Progress, CaughtUp, Live, TargetFailed, Switched {}

  /** To the target's coordinator. */
  public sealed interface ToTarget extends TargetCoordinator.Command
      permits StartTransfer, StartPrecopy, ProgressQuery, Commit, Abort, SwitchStrategy {}

  /**
   * May the target node take the VM? It checks the image and the strategy, reserves capacity for
   * {@code deadlineMillis} and answers {@link Accepted} or {@link Refused}.
   *
   * @param image what the VM was booted from (a bundled guest's name or a path): its identity
   * @param devices its disks (each base image's path and SHA-256, checked here) and NICs
   */
  public record Prepare(
      String migrationId,
      String vmId,
      String sourceNode,
      Strategy strategy,
      String image,
      String bootargs,
      long memoryBytes,
      TimeMode timeMode,
      long instructionsPerTick,
      long sliceInstructions,
      long quotaInstructionsPerSecond,
      long deadlineMillis,
      ActorRef<ToSource> source,
      VmDevices devices)
      implements ToNode, MigrationMessage {
    public Prepare {
      Objects.requireNonNull(migrationId, "migrationId");
      bootargs = bootargs == null ? "" : bootargs;
      devices = devices == null ? VmDevices.none() : devices;
    }

    /** A VM without a quota or devices. */
    public Prepare(
        String migrationId,
        String vmId,
        String sourceNode,
        Strategy strategy,
        String image,
        String bootargs,
        long memoryBytes,
        TimeMode timeMode,
        long instructionsPerTick,
        long sliceInstructions,
        long deadlineMillis,
        ActorRef<ToSource> source) {
      this(
          migrationId,
          vmId,
          sourceNode,
          strategy,
          image,
          bootargs,
          memoryBytes,
          timeMode,
          instructionsPerTick,
          sliceInstructions,
          0,
          deadlineMillis,
          source,
          VmDevices.none());
    }
  }

  public record Accepted(String migrationId, String targetNode, ActorRef<ToTarget> target)
      implements ToSource, MigrationMessage {}

  public record Refused(String migrationId, String reason) implements ToSource, MigrationMessage {}

  /**
   * CR/TR: the checkpoint taken at {@code startInstruction} and the reliable trace stream that
   * starts there (its sender's endpoint, to which the receiver sends resume and acknowledgements).
   */
  public record StartTransfer(
      String migrationId,
      long startInstruction,
      SourceRef<ByteString> checkpoint,
      ActorRef<ByteString> traceEndpoint)
      implements ToTarget, MigrationMessage {}

  /**
   * Pre-copy: one connection carrying round 0's state, the rounds of pages and, after the freeze,
   * the last pages and the state ({@link org.crtrmotion.actors.precopy.PrecopyStream}).
   */
  public record StartPrecopy(String migrationId, SourceRef<ByteString> pages)
      implements ToTarget, MigrationMessage {}

  public record ProgressQuery(String migrationId, ActorRef<ToSource> replyTo)
      implements ToTarget, MigrationMessage {}

  /**
   * @param restored whether the target's copy is built from the checkpoint yet
   * @param replayedInstructions the replica's instruction count
   * @param replayInstructionsPerSecond its replay speed while it had trace (0 = not known yet)
   */
  public record Progress(
      String migrationId,
      boolean restored,
      long replayedInstructions,
      long replayInstructionsPerSecond)
      implements ToSource, MigrationMessage {}

  /** The replica reached the end of the trace, F, with these digests. */
  public record CaughtUp(
      String migrationId, long instructions, StateDigest digest, long outputDigest)
      implements ToSource, MigrationMessage {}

  /**
   * Sent once the directory moved the VM to the target: go live, with the console numbered on from
   * {@code nextLineNumber}, starting with the source's unfinished line. A {@code provisional} one
   * is sent just before the move: the target keeps it and, should the source be lost without a
   * final Commit or Abort, asks the directory whether the move happened and goes live with it if
   * so.
   */
  public record Commit(
      String migrationId, long nextLineNumber, byte[] pendingLine, long epoch, boolean provisional)
      implements ToTarget, MigrationMessage {

    /** The final Commit, sent after the move: the VM is the target's at {@code epoch}. */
    public Commit(String migrationId, long nextLineNumber, byte[] pendingLine, long epoch) {
      this(migrationId, nextLineNumber, pendingLine, epoch, false);
    }
  }

  /** The target's copy runs live from instruction {@code instructions}. */
  public record Live(String migrationId, long instructions, long firstLineNumber)
      implements ToSource, MigrationMessage {}

  /** Before the commit point: discard the target's copy and release what it holds. */
  public record Abort(String migrationId, String reason) implements ToTarget, MigrationMessage {}

  /**
   * Before the commit point, the policy SWITCH_STRATEGY: the target discards its copy and gets
   * ready for {@code strategy}'s start message, then answers {@link Switched}.
   */
  public record SwitchStrategy(String migrationId, Strategy strategy)
      implements ToTarget, MigrationMessage {}

  /** The target's copy of the first strategy is gone; the source starts {@code strategy}. */
  public record Switched(String migrationId, Strategy strategy)
      implements ToSource, MigrationMessage {}

  /** The target cannot go on (restore, trace stream, replay); the source aborts. */
  public record TargetFailed(String migrationId, String reason)
      implements ToSource, MigrationMessage {}
}
