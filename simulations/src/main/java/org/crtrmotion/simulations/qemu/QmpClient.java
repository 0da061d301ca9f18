package org.crtrmotion.simulations.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small client for QEMU's machine protocol (QMP) over a connected TCP or UNIX-domain socket.
 *
 * <p>It reads QEMU's greeting, enters command mode with {@code qmp_capabilities}, then runs one
 * command at a time ({@link #execute}); an error reply becomes a {@link QmpException} naming the
 * command and QEMU's reason. A reader thread separates replies from asynchronous events, which are
 * kept in arrival order ({@link #events}, {@link #awaitEvent}).
 */
public final class QmpClient implements AutoCloseable {
  /** A guard against a hung QEMU, not a pacing device: QMP replies come in milliseconds. */
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode CLOSED = JSON.createObjectNode().put("closed", true);

  private final String peer;
  private final SocketChannel channel;
  private final BufferedReader in;
  private final OutputStream out;
  private final JsonNode greeting;
  // Commands run one at a time, so at most one reply is ever outstanding (plus the close marker).
  private final BlockingQueue<JsonNode> replies = new ArrayBlockingQueue<>(2);
  private final List<QmpEvent> events = new ArrayList<>();
  private final Thread reader;
  private long nextId;

  private QmpClient(String peer, SocketChannel channel) throws IOException {
    this.peer = peer;
    this.channel = channel;
    this.in =
        new BufferedReader(
            new InputStreamReader(ChannelStreams.in(channel), StandardCharsets.UTF_8));
    this.out = ChannelStreams.out(channel);
    String first = in.readLine();
    if (first == null) {
      throw new IOException(peer + " closed its QMP socket before the greeting");
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(first);
    } catch (IOException e) {
      parsed = JSON.createObjectNode();
    }
    if (!parsed.has("QMP")) {
      throw new IOException(peer + " did not greet with QMP, it sent: " + first);
    }
    this.greeting = parsed.get("QMP");
    this.reader = new Thread(this::readLoop, "qmp-" + peer);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Connects to QEMU's QMP socket (an {@code InetSocketAddress} or a {@code
   * UnixDomainSocketAddress}) and enters command mode.
   *
   * @param peer a name for error messages, e.g. {@code "source QEMU"}
   */
  public static QmpClient connect(String peer, SocketAddress address) throws IOException {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(address);
    } catch (IOException e) {
      throw new IOException("cannot connect to " + peer + "'s QMP socket " + address, e);
    }
    return over(peer, channel);
  }

  /** Speaks QMP over an already connected channel (e.g. one QEMU connected to us) and closes it. */
  public static QmpClient over(String peer, SocketChannel channel) throws IOException {
    try {
      QmpClient client = new QmpClient(peer, channel);
      client.execute("qmp_capabilities", Map.of());
      return client;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** QEMU's version from the greeting, e.g. {@code 7.2.22}. */
  public String qemuVersion() {
    JsonNode q = greeting.path("version").path("qemu");
    return q.path("major").asInt() + "." + q.path("minor").asInt() + "." + q.path("micro").asInt();
  }

  /** QEMU's major version from the greeting. */
  public int qemuMajorVersion() {
    return greeting.path("version").path("qemu").path("major").asInt();
  }

  /** Runs {@code command} with {@code arguments} and returns its {@code return} member. */
  public JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
    return execute(command, arguments, DEFAULT_REPLY_TIMEOUT);
  }

  /**
   * Runs {@code command} and returns its {@code return} member.
   *
   * @throws QmpException when QEMU answers with an error
   * @throws IOException when QEMU closes the connection or does not answer within {@code timeout}
   */
  public synchronized JsonNode execute(String command, Map<String, ?> arguments, Duration timeout)
      throws IOException {
    long id = nextId++;
    ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
    if (!arguments.isEmpty()) {
      request.set("arguments", JSON.valueToTree(arguments));
    }
    try {
      out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new IOException("cannot send QMP command " + command + " to " + peer, e);
    }
    JsonNode reply = awaitReply(command, timeout);
    if (reply.path("id").asLong(-1) != id) {
      throw new IOException(peer + " answered another command than " + command + ": " + reply);
    }
    if (reply.has("error")) {
      JsonNode error = reply.get("error");
      throw new QmpException(
          peer, command, error.path("class").asText("?"), error.path("desc").asText("?"));
    }
    return reply.path("return");
  }

  private JsonNode awaitReply(String command, Duration timeout) throws IOException {
    JsonNode reply;
    try {
      reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for " + peer + " to answer " + command, e);
    }
    if (reply == null) {
      throw new IOException(peer + " did not answer QMP command " + command + " within " + timeout);
    }
    if (reply == CLOSED) {
      replies.offer(CLOSED); // later commands must see it too
      throw new IOException(peer + " closed its QMP connection while running " + command);
    }
    return reply;
  }

  /** Every event received so far, in arrival order. */
  public List<QmpEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The first event named {@code name} received so far. */
  public Optional<QmpEvent> firstEvent(String name) {
    return events().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * Waits for an event named {@code name} (one already received counts) and returns the first such.
   *
   * @throws IOException when none arrives within {@code timeout} or the connection closes first
   */
  public QmpEvent awaitEvent(String name, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (QmpEvent e : events) {
          if (e.name().equals(name)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !reader.isAlive()) {
          throw new IOException(
              peer
                  + " sent no "
                  + name
                  + " event within "
                  + timeout
                  + (reader.isAlive() ? "" : " (QMP connection closed)"));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + peer + "'s " + name + " event", e);
        }
      }
    }
  }

  private void readLoop() {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode message = parse(line);
        if (message.has("event")) {
          addEvent(message);
        } else {
          replies.put(message);
        }
      }
    } catch (IOException | InterruptedException e) {
      // The connection ended (QEMU exited or we closed it): commands in progress learn it below.
    } finally {
      replies.offer(CLOSED);
      synchronized (events) {
        events.notifyAll();
      }
    }
  }

  private void addEvent(JsonNode message) {
    JsonNode ts = message.path("timestamp");
    Instant at =
        Instant.ofEpochSecond(ts.path("seconds").asLong(), ts.path("microseconds").asLong() * 1000);
    synchronized (events) {
      events.add(new QmpEvent(message.get("event").asText(), message.path("data"), at));
      events.notifyAll();
    }
  }

  private JsonNode parse(String line) throws IOException {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IOException(peer + " sent a QMP line that is not JSON: " + line, e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
