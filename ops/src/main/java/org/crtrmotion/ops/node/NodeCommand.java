package org.crtrmotion.ops.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crtr node --config FILE}: runs one cluster node until SIGTERM or SIGINT. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one crtr-motion cluster node from a HOCON file (crtr.node: name, roles, bind,"
          + " seed-nodes, data-directory, limits, api). Stops cleanly on SIGTERM.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (left the cluster when asked, e.g. through Pekko management)",
      "1:the node failed to start (e.g. a port in use)",
      "2:the configuration was refused (the message names the setting)",
      "3:the cluster downed this node (e.g. the split-brain resolver after a partition)",
      "143:SIGTERM (the JVM's code, after the coordinated shutdown ran)"
    })
public final class NodeCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "the node's HOCON file")
  Path config;

  @Override
  public Integer call() {
    NodeConfig node;
    ApiSettings api;
    try {
      node = load(config);
      api = ApiSettings.from(node.config());
    } catch (SettingsException | IllegalArgumentException e) {
      System.err.println("crtr node: " + e.getMessage());
      return 2;
    }
    CrtrNode running;
    try {
      running = CrtrNode.start(node, api);
    } catch (IllegalStateException e) {
      System.err.println("crtr node: " + e.getMessage());
      return 1;
    }
    running.whenTerminated().toCompletableFuture().join();
    if (running.downed()) {
      // Not a stop anyone asked for: a supervisor (systemd, Kubernetes) should start it again.
      System.err.println("crtr node: " + running.name() + " was downed by the cluster");
      return 3;
    }
    return 0;
  }

  /**
   * Reads the node's file over the service defaults.
   *
   * @throws IllegalArgumentException naming the file when it is missing or not HOCON
   */
  static NodeConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config " + file + ": no such file");
    }
    Config parsed;
    try {
      parsed = ConfigFactory.parseFile(file.toFile());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
    }
    try {
      return NodeConfig.load(parsed.withFallback(CrtrNode.serviceDefaults()));
    } catch (ConfigException e) {
      // e.g. an unresolved substitution: still one line naming where
      throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
    }
  }
}
