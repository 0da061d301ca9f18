package org.crtrmotion.ops.cli;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.crtrmotion.ops.load.LoadClient;
import org.crtrmotion.ops.load.LoadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crtr load}: the UDP client of netkv.elf. */
@Command(
    name = "load",
    description = {
      "Sends netkv.elf's GET/PUT requests to HOST:PORT at a fixed rate and checks every reply"
          + " (right",
      "sequence number, key and value). Reports sent, replies, lost, duplicated, wrong, latency",
      "percentiles and the longest gap without replies. Exit code 0 when nothing was lost,",
      "duplicated or wrong, 1 otherwise, " + LoadCommand.EXIT_BAD_INPUT + " for a bad option."
    },
    mixinStandardHelpOptions = true)
final class LoadCommand implements Callable<Integer> {
  static final int EXIT_BAD_INPUT = 2;

  @Option(names = "--target", paramLabel = "HOST:PORT", required = true, description = "the server")
  String target;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "requests per second (default ${DEFAULT-VALUE})")
  double rate = 100;

  @Option(
      names = "--duration",
      paramLabel = "D",
      description = "seconds of load (default ${DEFAULT-VALUE})")
  double duration = 5;

  @Option(
      names = "--keys",
      paramLabel = "K",
      description = "distinct keys (default ${DEFAULT-VALUE})")
  int keys = 64;

  @Option(
      names = "--grace",
      paramLabel = "MS",
      description =
          "milliseconds to wait for missing replies after the last request (default"
              + " ${DEFAULT-VALUE})")
  long graceMillis = 1000;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address;
    try {
      address = parseTarget(target);
      if (!(rate > 0) || !(duration > 0) || rate * duration > Integer.MAX_VALUE || keys < 1) {
        throw new IllegalArgumentException(
            "--rate and --duration must be positive, --keys at least 1");
      }
      if (rate * duration < 1) {
        throw new IllegalArgumentException("--rate times --duration must be at least 1 request");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("crtr load: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
    LoadReport r =
        new LoadClient(address, keys, System::nanoTime)
            .run((int) Math.round(rate * duration), rate, graceMillis);
    System.out.println(json ? r.json() : "crtr load: " + r.text());
    return r.clean() ? 0 : 1;
  }

  static InetSocketAddress parseTarget(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--target must be HOST:PORT, not '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + text.substring(colon + 1) + "' in --target is not a port");
    }
    InetSocketAddress a = new InetSocketAddress(text.substring(0, colon), port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException(
          "--target host '" + text.substring(0, colon) + "' is unknown");
    }
    return a;
  }
}
