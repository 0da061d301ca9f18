package org.crtrmotion.streams;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Two cluster nodes in one JVM on 127.0.0.1, each on its own free port: a sender and a receiver.
 * Everything between them crosses Artery's TCP transport and serialisation as between hosts.
 */
final class TwoNodes implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final String CONFIG =
      """
      pekko.loglevel = WARNING
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.hostname = 127.0.0.1
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.cluster.run-coordinated-shutdown-when-down = off
      # A small receive buffer keeps the producer's possible lead small and visible.
      pekko.stream.materializer.stream-ref.buffer-capacity = 16
      """;

  final ActorSystem<Void> sender = start();
  final ActorSystem<Void> receiver = start();

  TwoNodes() {
    Cluster.get(sender).manager().tell(Join.create(Cluster.get(sender).selfMember().address()));
    Cluster.get(receiver).manager().tell(Join.create(Cluster.get(sender).selfMember().address()));
  }

  private static ActorSystem<Void> start() {
    Config config = ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.load());
    return ActorSystem.create(Behaviors.empty(), "crtr", config);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ServiceKey<SourceRef<ByteString>> key(String name) {
    return (ServiceKey) ServiceKey.create(SourceRef.class, name);
  }

  /**
   * Spawns on the receiving node an actor, registered as {@code name}, that runs the ref it is
   * offered through {@code receive} and completes the returned future with the outcome.
   */
  <R> CompletableFuture<R> receiveOnReceiver(
      String name, Function<Source<ByteString, NotUsed>, CompletionStage<R>> receive) {
    CompletableFuture<R> outcome = new CompletableFuture<>();
    ServiceKey<SourceRef<ByteString>> key = key(name);
    Behavior<SourceRef<ByteString>> behavior =
        Behaviors.setup(
            ctx -> {
              ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
              return Behaviors.receiveMessage(
                  ref -> {
                    receive
                        .apply(ref.getSource())
                        .whenComplete(
                            (result, failure) -> {
                              if (failure != null) {
                                outcome.completeExceptionally(failure);
                              } else {
                                outcome.complete(result);
                              }
                            });
                    return Behaviors.same();
                  });
            });
    receiver.systemActorOf(behavior, "receive-" + name, Props.empty());
    return outcome;
  }

  /** Sends {@code ref} from the sending node to the actor registered as {@code name}. */
  void offerFromSender(String name, SourceRef<ByteString> ref) throws Exception {
    findFromSender(key(name)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).tell(ref);
  }

  /**
   * The first actor registered under {@code key} as the sender's node sees it: completes when the
   * registration has reached the sender through the cluster, with no polling.
   */
  <T> CompletableFuture<ActorRef<T>> findFromSender(ServiceKey<T> key) {
    CompletableFuture<ActorRef<T>> found = new CompletableFuture<>();
    Behavior<Receptionist.Listing> finder =
        Behaviors.setup(
            ctx -> {
              ctx.getSystem().receptionist().tell(Receptionist.subscribe(key, ctx.getSelf()));
              return Behaviors.receiveMessage(
                  listing -> {
                    var refs = listing.getServiceInstances(key);
                    if (refs.isEmpty()) {
                      return Behaviors.same();
                    }
                    found.complete(refs.iterator().next());
                    return Behaviors.stopped();
                  });
            });
    sender.systemActorOf(finder, "find-" + key.id(), Props.empty());
    return found;
  }

  @Override
  public void close() throws Exception {
    receiver.terminate();
    sender.terminate();
    receiver.getWhenTerminated().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    sender.getWhenTerminated().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }
}
