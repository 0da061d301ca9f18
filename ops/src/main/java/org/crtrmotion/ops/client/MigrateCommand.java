package org.crtrmotion.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code crtr migrate VM --to NODE}: starts a live migration through a node's API, follows its
 * progress (server-sent events) and prints the report; {@code crtr migrate status|cancel ID}.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Migrates a running VM live to another node and prints the report.",
      "In a terminal a progress bar shows phase, round, bytes and expected downtime;"
          + " elsewhere one line per progress event."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the migration committed (or started, with --no-wait; done, for status and cancel)",
      "1:the migration aborted: the reason is on stderr, the VM runs on where it ran",
      "2:the command line is wrong",
      "3:the node cannot be reached",
      "4:no such VM or migration",
      "5:the node needs a (different) token: --token or CRTR_TOKEN",
      "6:the node refused the request (its error is printed)",
      "7:the progress stream ended before the report: see 'crtr migrate status ID'"
    },
    subcommands = {MigrateCommand.Status.class, MigrateCommand.Cancel.class})
public final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "VM", description = "the id of the VM to migrate")
  String vmId;

  @Option(names = "--to", paramLabel = "NODE", description = "the node to migrate it to")
  String to;

  @Option(
      names = "--strategy",
      paramLabel = "crtr|precopy",
      defaultValue = "crtr",
      description = "checkpoint + trace/replay, or pre-copy of pages (default: ${DEFAULT-VALUE})")
  String strategy;

  @Option(
      names = "--downtime-limit",
      paramLabel = "MS",
      description = "the pause allowed for the last part, ms (QEMU's downtime-limit; default 300)")
  Long downtimeLimitMillis;

  @Option(
      names = "--max-bandwidth",
      paramLabel = "B",
      description =
          "bytes per second for the whole migration, e.g. 64M; 0 = unlimited (default 128M)")
  String maxBandwidth;

  @Option(
      names = "--no-auto-converge",
      description = "abort a migration that does not converge instead of throttling the VM")
  boolean noAutoConverge;

  @Option(names = "--max-rounds", paramLabel = "N", description = "rounds before freezing (30)")
  Integer maxRounds;

  @Option(
      names = "--deadline",
      paramLabel = "SECONDS",
      description = "the migration ends, committed or aborted, within this (default 600)")
  Long deadlineSeconds;

  @Option(names = "--no-wait", description = "print the migration's id once started and return")
  boolean noWait;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "a node's API, e.g. http://127.0.0.1:8080")
  String node;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "bearer token (default: the CRTR_TOKEN environment variable)")
  String token;

  @Option(names = "--json", description = "print the report (or the answer) as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (vmId == null || to == null || node == null) {
      err.println(
          "crtr migrate: "
              + (vmId == null ? "VM" : to == null ? "--to NODE" : "--node URL")
              + " is missing (crtr migrate VM --to NODE --node URL)");
      return ExitCodes.USAGE;
    }
    return guarded(err, () -> migrate(client(node, token), spec.commandLine().getOut(), err));
  }

  private int migrate(ApiClient client, PrintWriter out, PrintWriter err) {
    JsonNode started = client.post("/api/v1/migrations", body());
    String id = started.get("migrationId").asText();
    if (noWait) {
      out.println(json ? started.toString() : id);
      out.flush();
      return ExitCodes.OK;
    }
    if (!json) {
      out.printf(
          "migrating %s from %s to %s (%s), migration %s%n",
          vmId,
          started.path("source").asText(),
          started.path("target").asText(),
          started.path("strategy").asText(),
          id);
      out.flush();
    }
    Optional<JsonNode> report = follow(client, id, json ? err : out);
    if (report.isEmpty()) {
      err.println(
          "crtr migrate: the progress stream of "
              + id
              + " ended before its report; see crtr migrate status "
              + id);
      return ExitCodes.STREAM_LOST;
    }
    JsonNode r = report.get();
    if (json) {
      out.println(r);
    } else {
      MigrationReportTable.print(r, out);
    }
    out.flush();
    if ("COMMITTED".equals(r.path("outcome").asText())) {
      return ExitCodes.OK;
    }
    err.println("crtr migrate: " + id + " aborted: " + r.path("reason").asText());
    return ExitCodes.MIGRATION_ABORTED;
  }

  /** Reads the progress events until the report; empty when the stream ends without it. */
  private Optional<JsonNode> follow(ApiClient client, String id, PrintWriter lines) {
    try (BufferedReader in = client.stream("/api/v1/migrations/" + id + "/events");
        MigrationProgress progress =
            MigrationProgress.forOutput(vmId, System.console() != null, System.err, lines)) {
      SseEvent.Reader events = new SseEvent.Reader(in);
      for (Optional<SseEvent> e = events.next(); e.isPresent(); e = events.next()) {
        JsonNode data = ApiClient.JSON.readTree(e.get().data());
        switch (e.get().type()) {
          case "progress" -> progress.update(data);
          case "report" -> {
            return Optional.of(data);
          }
          default -> {}
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("vmId", vmId);
    body.put("targetNode", to);
    body.put("strategy", strategy);
    if (downtimeLimitMillis != null) {
      body.put("downtimeLimitMillis", downtimeLimitMillis);
    }
    if (maxBandwidth != null) {
      body.put(
          "maxBandwidth",
          maxBandwidth.matches("\\d+") ? Long.parseLong(maxBandwidth) : maxBandwidth);
    }
    if (noAutoConverge) {
      body.put("autoConverge", false);
    }
    if (maxRounds != null) {
      body.put("maxRounds", maxRounds);
    }
    if (deadlineSeconds != null) {
      body.put("deadlineSeconds", deadlineSeconds);
    }
    return body;
  }

  static ApiClient client(String node, String token) {
    return new ApiClient(
        node,
        Optional.ofNullable(token).or(() -> Optional.ofNullable(System.getenv("CRTR_TOKEN"))));
  }

  /** Runs an action; a failure is its one line on stderr and its exit code. */
  static int guarded(PrintWriter err, Callable<Integer> action) {
    try {
      return action.call();
    } catch (ApiException e) {
      err.println("crtr migrate: " + e.getMessage());
      // A node's refusal is 6 here: 1 means the migration aborted.
      return e.exitCode() == ExitCodes.REFUSED ? ExitCodes.MIGRATION_REFUSED : e.exitCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      err.flush();
    }
  }

  /** What the subcommands take: the node, the token, JSON output. */
  abstract static class ById implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the migration's id")
    String id;

    @Option(
        names = "--node",
        required = true,
        paramLabel = "URL",
        description = "a node's API, e.g. http://127.0.0.1:8080")
    String node;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (or CRTR_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the API's JSON answer as it is")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return guarded(
          spec.commandLine().getErr(),
          () -> {
            run(client(node, token), out);
            out.flush();
            return ExitCodes.OK;
          });
    }

    abstract void run(ApiClient client, PrintWriter out);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Where a migration stands; its report once it ended.")
  static final class Status extends ById {
    @Override
    void run(ApiClient client, PrintWriter out) {
      JsonNode status = client.get("/api/v1/migrations/" + id);
      boolean ended = status.has("outcome");
      if (json) {
        out.println(ended ? client.get("/api/v1/migrations/" + id + "/report") : status);
      } else if (ended) {
        MigrationReportTable.print(client.get("/api/v1/migrations/" + id + "/report"), out);
      } else {
        out.println(
            id
                + " "
                + status.path("vmId").asText()
                + " "
                + status.path("source").asText()
                + " -> "
                + status.path("target").asText()
                + ": "
                + MigrationProgress.describe(status)
                + ", "
                + status.path("bytesSent").asLong()
                + " bytes sent");
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancels a migration before its commit point; the VM runs on where it ran.")
  static final class Cancel extends ById {
    @Override
    void run(ApiClient client, PrintWriter out) {
      JsonNode answer = client.delete("/api/v1/migrations/" + id);
      out.println(
          json
              ? answer.toString()
              : id + " cancelled in phase " + answer.path("phase").asText() + ": it aborts");
    }
  }
}
