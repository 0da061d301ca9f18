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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crtr vm list|start|stop|console}: VMs through a node's management API. */
@Command(
    name = "vm",
    mixinStandardHelpOptions = true,
    description = "Lists, starts, stops VMs and follows their console through a node's API.",
    exitCodeListHeading = "%nExit codes (of every vm command):%n",
    exitCodeList = {
      "0:done",
      "1:the node refused the request (its error is printed)",
      "2:the command line is wrong",
      "3:the node cannot be reached",
      "4:no such VM",
      "5:the node needs a (different) token: --token or CRTR_TOKEN"
    },
    subcommands = {
      VmCommand.ListVms.class,
      VmCommand.StartVm.class,
      VmCommand.StopVm.class,
      VmCommand.Console.class
    })
public final class VmCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** What every client command takes: the node, the token, JSON output. */
  static final class NodeOptions {
    @Option(
        names = "--node",
        required = true,
        paramLabel = "URL",
        description = "the node's API, e.g. http://127.0.0.1:8080")
    String node;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description = "bearer token (default: the CRTR_TOKEN environment variable)")
    String token;

    @Option(names = "--json", description = "print the API's JSON answer as it is")
    boolean json;

    ApiClient client() {
      return new ApiClient(
          node,
          Optional.ofNullable(token).or(() -> Optional.ofNullable(System.getenv("CRTR_TOKEN"))));
    }
  }

  /** Runs a client action, turning a failure into its one line and exit code. */
  abstract static class ClientCommand implements Callable<Integer> {
    @Mixin NodeOptions options;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() {
      try {
        run(options.client(), spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      } catch (ApiException e) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
        return e.exitCode();
      }
    }

    abstract void run(ApiClient client, PrintWriter out);

    boolean json() {
      return options.json;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the cluster's VMs.")
  static final class ListVms extends ClientCommand {
    @Override
    void run(ApiClient client, PrintWriter out) {
      JsonNode answer = client.get("/api/v1/vms");
      if (json()) {
        out.println(answer);
        return;
      }
      out.printf("%-20s %-12s %10s  %s%n", "ID", "NODE", "MEMORY", "IMAGE");
      for (JsonNode vm : answer.get("vms")) {
        out.printf(
            "%-20s %-12s %9dM  %s%n",
            vm.get("id").asText(),
            vm.get("node").asText(),
            vm.get("memoryBytes").asLong() >> 20,
            vm.get("image").asText());
      }
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts a VM; prints its id.")
  static final class StartVm extends ClientCommand {
    @Parameters(
        paramLabel = "IMAGE",
        description = "a bundled guest (hello.elf, idle.elf, ...) or a path on the node")
    String image;

    @Option(names = "--bootargs", description = "the guest's bootargs, e.g. \"ticks=0\"")
    String bootargs;

    @Option(
        names = "--memory",
        defaultValue = "64M",
        description = "guest RAM (default: ${DEFAULT-VALUE})")
    String memory;

    @Option(
        names = "--on",
        paramLabel = "NODE",
        description = "the node to run it on (default: the one with most memory left)")
    String on;

    @Option(
        names = "--quota",
        paramLabel = "RATE",
        description =
            "vCPU quota, instructions per second with an optional K, M or G (decimal) suffix;"
                + " the VM keeps it when it migrates (default: none)")
    String quota;

    @Override
    void run(ApiClient client, PrintWriter out) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("image", image);
      if (bootargs != null) {
        body.put("bootargs", bootargs);
      }
      body.put("memory", memory);
      if (on != null) {
        body.put("node", on);
      }
      if (quota != null) {
        body.put("quota", quota);
      }
      JsonNode answer = client.post("/api/v1/vms", body);
      out.println(
          json()
              ? answer.toString()
              : answer.get("id").asText() + " " + answer.get("node").asText());
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops a VM.")
  static final class StopVm extends ClientCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void run(ApiClient client, PrintWriter out) {
      JsonNode answer = client.delete("/api/v1/vms/" + id);
      out.println(
          json()
              ? answer.toString()
              : id + " stopped after " + answer.get("instructions").asLong() + " instructions");
    }
  }

  @Command(
      name = "console",
      mixinStandardHelpOptions = true,
      description = "Follows a VM's console (lines from now on) until the guest ends.")
  static final class Console extends ClientCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--lines", paramLabel = "N", description = "stop after N lines")
    Long maxLines;

    @Override
    void run(ApiClient client, PrintWriter out) {
      long printed = 0;
      try (BufferedReader in = client.stream("/api/v1/vms/" + id + "/console")) {
        SseEvent.Reader events = new SseEvent.Reader(in);
        for (Optional<SseEvent> e = events.next(); e.isPresent(); e = events.next()) {
          SseEvent event = e.get();
          if (event.type().equals("ended")) {
            out.println(
                json()
                    ? "{\"ended\":" + event.data() + "}"
                    : "(guest ended: " + event.data() + ")");
            return;
          }
          if (event.type().equals("line")) {
            out.println(
                json()
                    ? "{\"line\":"
                        + event.id()
                        + ",\"text\":"
                        + ApiClient.JSON.valueToTree(event.data())
                        + "}"
                    : event.data());
            out.flush();
            if (maxLines != null && ++printed >= maxLines) {
              return;
            }
          }
        }
      } catch (IOException e) {
        throw new ApiException(
            ExitCodes.UNREACHABLE, "the console stream broke: " + e.getMessage());
      }
    }
  }
}
