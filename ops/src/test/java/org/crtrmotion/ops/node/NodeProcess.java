package org.crtrmotion.ops.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code crtr node} in its own JVM, started from the test classpath as {@code ./crtr node} runs
 * it from the jar, and killed by the test. Its log (stderr) is read on a thread: the API's URL
 * comes from the {@code event=node-started} line.
 */
final class NodeProcess implements AutoCloseable {
  /**
   * How long a node JVM may take to start: a bound, not a measurement. Three TLS nodes starting at
   * once on two cores busy with other builds took over 60 s.
   */
  static final java.time.Duration STARTUP = java.time.Duration.ofSeconds(150);

  private static final Pattern STARTED = Pattern.compile("event=node-started .* api=(http://\\S+)");

  private final Process process;
  private final CompletableFuture<String> apiUrl = new CompletableFuture<>();
  private final StringBuilder log = new StringBuilder();
  private final Thread reader;

  NodeProcess(Path dir, String name, String hocon) throws IOException {
    Path config = Files.writeString(dir.resolve(name + ".conf"), hocon);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.crtrmotion.ops.cli.CrtrCommand",
                    "node",
                    "--config",
                    config.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    reader = new Thread(this::readLog, "log-of-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLog() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (log) {
          log.append(line).append('\n');
        }
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
          apiUrl.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    apiUrl.completeExceptionally(
        new IllegalStateException("node ended before it started:\n" + log()));
  }

  /** The API's base URL, once the node has started ({@link #STARTUP} at most). */
  String api() throws Exception {
    return apiUrl.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
  }

  String log() {
    synchronized (log) {
      return log.toString();
    }
  }

  /** SIGTERM, as systemd or Kubernetes stop a node; the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    reader.join(10_000); // the log's last lines, read once the process is gone
    return process.exitValue();
  }

  /**
   * SIGKILL ({@link Process#destroyForcibly()} on Linux), as a crashed host or the OOM killer ends
   * a node: no coordinated shutdown, no leaving the cluster. Returns once the process is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join(10_000);
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
  }
}
