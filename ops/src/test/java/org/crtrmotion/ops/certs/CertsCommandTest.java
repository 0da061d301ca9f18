package org.crtrmotion.ops.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertsCommandTest {
  @TempDir Path dir;

  private static KeyStore open(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  @Test
  void writesACaATrustStoreAndAKeyStorePerNodeSignedByTheCa() throws Exception {
    Path out = dir.resolve("certs");
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(new StringWriter()))
            .execute("certs", "--out", out.toString(), "--nodes", "a,b");
    assertEquals(0, code);
    String password = Files.readString(out.resolve("password")).strip();
    X509Certificate ca =
        (X509Certificate)
            open(out.resolve("truststore.p12"), password)
                .getCertificate(ClusterCertificates.CA_ALIAS);
    for (String node : new String[] {"a", "b"}) {
      KeyStore store = open(out.resolve(node + ".p12"), password);
      X509Certificate cert = (X509Certificate) store.getCertificate(ClusterCertificates.NODE_ALIAS);
      cert.verify(ca.getPublicKey());
      assertEquals("CN=" + node, cert.getSubjectX500Principal().getName());
      assertTrue(store.isKeyEntry(ClusterCertificates.NODE_ALIAS));
    }
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(out.resolve("ca.p12"))));
  }

  @Test
  void withJsonItNamesEveryFileWrittenInOneObject() throws Exception {
    Path out = dir.resolve("certs");
    StringWriter stdout = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(stdout))
            .execute("certs", "--out", out.toString(), "--nodes", "a,b", "--json");
    assertEquals(0, code);
    JsonNode o = new ObjectMapper().readTree(stdout.toString());
    assertEquals(out.toString(), o.get("directory").asText());
    assertTrue(Files.isRegularFile(Path.of(o.get("ca").asText())), o.toString());
    assertTrue(Files.isRegularFile(Path.of(o.get("trustStore").asText())), o.toString());
    assertEquals(2, o.get("keyStores").size(), o.toString());
    for (JsonNode store : o.get("keyStores")) {
      assertEquals(
          out.resolve(store.get("node").asText() + ".p12").toString(), store.get("file").asText());
    }
    assertEquals(out.resolve("password").toString(), o.get("passwordFile").asText());
    assertEquals(825, o.get("validDays").asInt());
    assertEquals(1, stdout.toString().strip().lines().count(), stdout.toString());
  }

  @Test
  void aBadNodeNameIsRefusedWithExitCode2AndNothingWritten() {
    Path out = dir.resolve("certs");
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setErr(new PrintWriter(err))
            .execute("certs", "--out", out.toString(), "--nodes", "a,B_AD");
    assertEquals(2, code);
    assertTrue(err.toString().contains("'B_AD'"), err.toString());
    assertFalse(Files.exists(out));
  }
}
