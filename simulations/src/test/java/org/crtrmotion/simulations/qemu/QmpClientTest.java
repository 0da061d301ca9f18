package org.crtrmotion.simulations.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted QMP peer that speaks the protocol as QEMU 7.2 does (greeting, then
 * one reply per command carrying the command's id, events in between); the real QEMU is exercised
 * by {@link QemuPrecopyTest}.
 */
class QmpClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GREETING =
      "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
          + " \"package\": \"\"}, \"capabilities\": [\"oob\"]}}";
  private static final String EVENT =
      "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250000}, \"event\": \"STOP\"}";

  private ServerSocket server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /**
   * Serves one connection: greets, then answers each command by name from {@code answers} (a {@code
   * return} or an {@code error} member), sending an event before the reply to {@code cont} and
   * closing the connection on {@code crash}.
   */
  private CompletableFuture<Void> peer(String greeting, Map<String, String> answers) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket s = server.accept()) {
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println(greeting);
            String line;
            while ((line = in.readLine()) != null) {
              received.add(line);
              JsonNode request = JSON.readTree(line);
              String command = request.get("execute").asText();
              if (command.equals("crash")) {
                return; // closes the connection without a reply, as a QEMU that dies would
              }
              if (command.equals("cont")) {
                out.println(EVENT);
              }
              String answer = answers.getOrDefault(command, "\"return\": {}");
              out.println("{" + answer + ", \"id\": " + request.get("id") + "}");
            }
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
  }

  private QmpClient connect() throws IOException {
    return QmpClient.connect("test QEMU", server.getLocalSocketAddress());
  }

  @Test
  void entersCommandModeAfterTheGreeting() throws Exception {
    peer(GREETING, Map.of());
    try (QmpClient client = connect()) {
      assertEquals("7.2.22", client.qemuVersion());
      assertTrue(received.get(0).contains("\"qmp_capabilities\""), received.get(0));
    }
  }

  @Test
  void returnsTheReturnMemberWithTheArgumentsSent() throws Exception {
    peer(GREETING, Map.of("query-migrate", "\"return\": {\"status\": \"active\"}"));
    try (QmpClient client = connect()) {
      JsonNode r = client.execute("query-migrate", Map.of("detail", 1));
      assertEquals("active", r.get("status").asText());
      JsonNode sent = JSON.readTree(received.get(1));
      assertEquals(1, sent.get("arguments").get("detail").asInt());
    }
  }

  @Test
  void anErrorReplyNamesTheCommandAndQemusReason() throws Exception {
    peer(
        GREETING,
        Map.of(
            "migrate",
            "\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to connect socket\"}"));
    try (QmpClient client = connect()) {
      QmpException e =
          assertThrows(QmpException.class, () -> client.execute("migrate", Map.of("uri", "x")));
      assertEquals("migrate", e.command());
      assertEquals("GenericError", e.errorClass());
      assertTrue(e.getMessage().contains("test QEMU"), e.getMessage());
      assertTrue(e.getMessage().contains("Failed to connect socket"), e.getMessage());
    }
  }

  @Test
  void keepsEventsArrivingBetweenRepliesWithQemusTimestamp() throws Exception {
    peer(GREETING, Map.of());
    try (QmpClient client = connect()) {
      client.execute("cont", Map.of());
      QmpEvent stop = client.awaitEvent("STOP", Duration.ofSeconds(10));
      assertEquals(1_700_000_000_250L, stop.timestamp().toEpochMilli());
      assertEquals(List.of(stop), client.events());
    }
  }

  @Test
  void aPeerThatDoesNotGreetWithQmpIsRefusedQuotingWhatItSent() {
    peer("SSH-2.0-OpenSSH", Map.of());
    IOException e = assertThrows(IOException.class, this::connect);
    assertTrue(e.getMessage().contains("did not greet with QMP"), e.getMessage());
    assertTrue(e.getMessage().contains("SSH-2.0"), e.getMessage());
  }

  @Test
  void aConnectionClosedDuringACommandSaysSo() throws Exception {
    peer(GREETING, Map.of());
    try (QmpClient client = connect()) {
      IOException e = assertThrows(IOException.class, () -> client.execute("crash", Map.of()));
      assertTrue(
          e.getMessage().contains("closed its QMP connection while running crash"), e.getMessage());
    }
  }
}
