package org.crtrmotion.ops.certs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.crtrmotion.ops.cli.JsonOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crtr certs --out DIR --nodes a,b,c}: a cluster CA and a certificate per node. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a cluster CA and a certificate per node as PKCS12 stores for Artery over TLS:"
          + " DIR/ca.p12 (keep it off the nodes), DIR/truststore.p12 and DIR/<node>.p12 for every"
          + " node, and DIR/password (mode 600) unless --password is given.",
      "With --json: one JSON object on stdout naming the files written (directory, ca,"
          + " trustStore, keyStores [{node, file}], passwordFile or null, validDays)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:cannot write", "2:bad command line (e.g. a node name)"})
public final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write")
  Path out;

  @Option(
      names = "--nodes",
      required = true,
      split = ",",
      paramLabel = "NAME",
      description = "the nodes' names (crtr.node.name), comma-separated")
  List<String> nodes;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      description = "of every store (default: a random one, written to DIR/password)")
  String password;

  @Option(
      names = "--days",
      defaultValue = "825",
      description = "validity of the certificates in days (default: ${DEFAULT-VALUE})")
  int days;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      if (days < 1) {
        err.println("crtr certs: --days must be at least 1, was " + days);
        return 2;
      }
      String pass = password != null ? password : randomPassword();
      ClusterCertificates ca =
          ClusterCertificates.newCa("crtr-motion cluster CA", Duration.ofDays(days));
      for (String node : nodes) {
        ca.issue(node); // refuses a bad name before anything is written
      }
      ClusterCertificates.Written written = ca.writeAll(out, nodes, pass.toCharArray());
      Path passwordFile = null;
      if (password == null) {
        Path file = out.resolve("password");
        passwordFile = file;
        Files.writeString(file, pass + "\n");
        restrict(file);
      }
      restrict(written.ca());
      for (Path p : written.keyStores()) {
        restrict(p);
      }
      if (json.enabled()) {
        stdout.println(JsonOption.line(json(written, passwordFile)));
        stdout.flush();
        return 0;
      }
      stdout.println(
          "wrote " + written.ca() + ", " + written.trustStore() + ", " + written.keyStores());
      stdout.println("in each node's file:");
      stdout.println(
          "  crtr.node.tls { enabled = on, key-store = \""
              + out.toAbsolutePath().resolve("<node>.p12")
              + "\", trust-store = \""
              + written.trustStore().toAbsolutePath()
              + "\", password = ${?CRTR_TLS_PASSWORD} }");
      stdout.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("crtr certs: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("crtr certs: cannot write " + out + ": " + e.getMessage());
      return 1;
    }
  }

  private ObjectNode json(ClusterCertificates.Written written, Path passwordFile) {
    ObjectNode o = JsonOption.object().put("directory", out.toString());
    o.put("ca", written.ca().toString()).put("trustStore", written.trustStore().toString());
    ArrayNode stores = o.putArray("keyStores");
    for (int i = 0; i < nodes.size(); i++) {
      stores
          .addObject()
          .put("node", nodes.get(i))
          .put("file", written.keyStores().get(i).toString());
    }
    if (passwordFile == null) {
      o.putNull("passwordFile");
    } else {
      o.put("passwordFile", passwordFile.toString());
    }
    return o.put("validDays", days);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the directory's own permissions must protect it
    }
  }
}
