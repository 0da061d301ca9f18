package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * Where each node's API answers, shared through distributed data (a last-writer-wins map from node
 * name to base URL, spread by gossip): a node refers a client to the node that runs a VM for what
 * only that node can serve (its console).
 */
final class ApiEndpoints {
  private static final Key<LWWMap<String, String>> KEY = LWWMapKey.create("crtr-api-endpoints");

  private final ActorSystem<?> system;
  private final Duration timeout;

  ApiEndpoints(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** Publishes this node's API URL. */
  CompletionStage<Replicator.UpdateResponse<LWWMap<String, String>>> publish(
      String node, String url) {
    DistributedData dd = DistributedData.get(system);
    return AskPattern.ask(
        dd.replicator(),
        replyTo ->
            new Replicator.Update<>(
                KEY,
                LWWMap.create(),
                Replicator.writeLocal(),
                replyTo,
                map -> map.put(dd.selfUniqueAddress(), node, url)),
        timeout,
        system.scheduler());
  }

  /** The API URL {@code node} published, as far as gossip has brought it here. */
  CompletionStage<Optional<String>> lookup(String node) {
    return AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, String>>>ask(
            DistributedData.get(system).replicator(),
            replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo),
            timeout,
            system.scheduler())
        .thenApply(
            response ->
                response instanceof Replicator.GetSuccess<LWWMap<String, String>> found
                    ? Optional.ofNullable(found.dataValue().getEntries().get(node))
                    : Optional.<String>empty());
  }

  /**
   * The URL other hosts reach this API at: its bind address, or the node's cluster host name when
   * the API listens on every address.
   */
  static String advertised(String apiHost, int port, String nodeHost) {
    boolean wildcard = apiHost.equals("0.0.0.0") || apiHost.equals("::") || apiHost.equals("[::]");
    String host = wildcard ? nodeHost : apiHost;
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }
}
