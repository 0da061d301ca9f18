package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.crtrmotion.actors.vm.VmActor;

/**
 * A VM's console as server-sent events: one {@code line} event per console line, its id the line's
 * number (a gap shows a line lost), then one {@code ended} event when the guest ends. Lines printed
 * before the client subscribed are not replayed.
 */
final class ConsoleStream {
  /** Lines held for a slow client; past that the oldest are dropped, and the numbers show it. */
  static final int BUFFER_LINES = 1024;

  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private ConsoleStream() {}

  static Source<ServerSentEvent, NotUsed> of(ActorRef<VmActor.Command> vm) {
    return ActorSource.<VmActor.VmEvent>actorRef(
            e -> false, e -> Optional.empty(), BUFFER_LINES, OverflowStrategy.dropHead())
        .mapMaterializedValue(
            subscriber -> {
              vm.tell(new VmActor.Subscribe(subscriber));
              return NotUsed.getInstance();
            })
        .takeWhile(e -> !(e instanceof VmActor.Ended), true)
        .map(ConsoleStream::event)
        .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent event(VmActor.VmEvent e) {
    if (e instanceof VmActor.ConsoleLine line) {
      return ServerSentEvent.create(line.text(), "line", Long.toString(line.number()));
    }
    VmActor.Ended end = (VmActor.Ended) e;
    String detail =
        String.format(
            "{\"vm\":\"%s\",\"reason\":\"%s\",\"exitCode\":%d,\"instructions\":%d}",
            end.vmId(), end.reason(), end.exitCode(), end.instructions());
    return ServerSentEvent.create(detail, "ended");
  }
}
