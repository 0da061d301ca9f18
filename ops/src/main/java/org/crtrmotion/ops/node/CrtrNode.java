package org.crtrmotion.ops.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.coordinator.MigrationClient;
import org.crtrmotion.actors.coordinator.Migrations;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.BootstrapSettings;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.NodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running crtr-motion node: its actor system (a cluster member), the host agent (role {@code
 * host}), the VM directory's proxy, the HTTP management API and the metrics. It stops through
 * Pekko's coordinated shutdown: the API unbinds first (phase {@code service-unbind}), then the node
 * leaves the cluster, then the actors (VMs end with their threads) stop.
 */
public final class CrtrNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CrtrNode.class);

  /** How long the API waits for the cluster's actors on a listing or a lookup. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** How often the VMs' instruction counts are sampled for their rates. */
  static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final NodeMetrics metrics;
  private final NodeSettings settings;

  private CrtrNode(
      ActorSystem<Void> system, ServerBinding binding, NodeMetrics metrics, NodeSettings settings) {
    this.system = system;
    this.binding = binding;
    this.metrics = metrics;
    this.settings = settings;
  }

  /**
   * Starts a node and binds its API; returns once the API listens.
   *
   * @param extra settings under the node's own (e.g. test settings); empty for none
   */
  public static CrtrNode start(NodeConfig node, ApiSettings api) {
    NodeSettings settings = node.settings();
    CompletableFuture<ActorRef<HostAgent.Command>> hostAgent = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(guardian(settings, hostAgent), NodeSettings.SYSTEM_NAME, node.config());
    try {
      Cluster cluster = Cluster.get(system);
      Optional<BootstrapSettings> bootstrap = BootstrapSettings.from(node.config());
      if (bootstrap.isPresent()) {
        ClusterBootstrapJoin.start(system);
      } else if (settings.seedNodes().isEmpty()) {
        // No seeds: this node starts a cluster of its own, which others may join through it.
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      ActorRef<VmDirectory.Command> directory = VmDirectory.init(system);
      NodeMetrics metrics = new NodeMetrics(settings.name());
      Optional<NodeMigrations> migrations =
          settings.isHost()
              ? Optional.of(migrations(system, settings, hostAgent.join(), directory, metrics))
              : Optional.empty();
      LocalVms local = new LocalVms(system, ASK_TIMEOUT);
      ClusterGateway gateway = new ClusterGateway(system, ASK_TIMEOUT);
      ApiEndpoints endpoints = new ApiEndpoints(system, ASK_TIMEOUT);
      NodeApi routes =
          new NodeApi(system, settings, api, gateway, local, metrics, endpoints, migrations);
      ServerBinding binding =
          Http.get(system)
              .newServerAt(api.bindHost(), api.bindPort())
              .bind(routes.route())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      endpoints.publish(
          settings.name(),
          ApiEndpoints.advertised(
              api.bindHost(), binding.localAddress().getPort(), settings.bindHost()));
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseServiceUnbind(),
              "crtr-api-unbind",
              () -> binding.unbind().thenApply(x -> Done.getInstance()));
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
              "crtr-node-stopped",
              () -> {
                log.info(
                    "event=node-stopped node={} reason={}",
                    settings.name(),
                    CoordinatedShutdown.get(system).getShutdownReason().orElse(null));
                return CompletableFuture.completedFuture(Done.getInstance());
              });
      if (settings.isHost()) {
        new VmSampler(system, hostAgent.join(), local, metrics, SAMPLE_INTERVAL).start();
      }
      log.info(
          "event=node-started node={} cluster={} api=http://{}:{} roles={}",
          settings.name(),
          cluster.selfMember().address(),
          binding.localAddress().getHostString(),
          binding.localAddress().getPort(),
          settings.roles());
      return new CrtrNode(system, binding, metrics, settings);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException(
          "node " + settings.name() + " could not start: " + rootMessage(e), e);
    }
  }

  /** The defaults a node runs with under its own file: logging through SLF4J. */
  public static Config serviceDefaults() {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
    m.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
    m.put("pekko.loglevel", "INFO");
    m.put("pekko.stdout-loglevel", "OFF"); // logs go through SLF4J to stderr, never to stdout
    return ConfigFactory.parseMap(m, "crtr node defaults");
  }

  /** This node's {@link Migrations} (the source and target coordinators) and the API's view. */
  private static NodeMigrations migrations(
      ActorSystem<Void> system,
      NodeSettings settings,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmDirectory.Command> directory,
      NodeMetrics metrics) {
    ActorRef<Migrations.Command> actor =
        system.systemActorOf(
            Migrations.create(
                settings.name(), hostAgent, directory, CoordinatorSettings.defaults()),
            "migrations",
            Props.empty());
    return new NodeMigrations(
        settings.name(), new MigrationClient(system, actor), metrics.migrations());
  }

  private static Behavior<Void> guardian(
      NodeSettings settings, CompletableFuture<ActorRef<HostAgent.Command>> hostAgent) {
    return Behaviors.setup(
        ctx -> {
          if (settings.isHost()) {
            hostAgent.complete(ctx.spawn(HostAgent.create(settings), LocalVms.HOST_AGENT_NAME));
          }
          return Behaviors.empty();
        });
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The port the API listens on (the configured one, or the one picked for port 0). */
  public int apiPort() {
    return binding.localAddress().getPort();
  }

  public String name() {
    return settings.name();
  }

  MigrationMetrics migrationMetrics() {
    return metrics.migrations();
  }

  /** Whether the node stopped because the cluster downed it rather than because it was asked to. */
  public boolean downed() {
    return CoordinatedShutdown.get(system)
        .getShutdownReason()
        .filter(r -> r == CoordinatedShutdown.clusterDowningReason())
        .isPresent();
  }

  /** Completes when the node has stopped, by {@link #close}, SIGTERM or being downed. */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Runs the coordinated shutdown and waits for it. */
  @Override
  public void close() {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
