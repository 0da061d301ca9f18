package org.crtrmotion.ops.node;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for the tests, and a bounded wait that retries an assertion. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  record Answer(int status, String body, java.util.Map<String, String> headers) {}

  static Answer get(String url, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
  }

  static Answer post(String url, String body, String... headers) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  static Answer delete(String url, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), headers);
  }

  private static Answer send(HttpRequest.Builder b, String... headers) throws Exception {
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r =
        CLIENT.send(
            b.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    java.util.Map<String, String> first = new java.util.HashMap<>();
    r.headers().map().forEach((k, v) -> first.put(k.toLowerCase(), v.get(0)));
    return new Answer(r.statusCode(), r.body(), first);
  }

  /** The first {@code count} {@code data:} lines of a server-sent-events stream, with their ids. */
  static List<String> events(String url, int count) throws Exception {
    HttpResponse<InputStream> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> events = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String id = "";
      String data = null;
      for (String line = in.readLine();
          line != null && events.size() < count;
          line = in.readLine()) {
        if (line.startsWith("id:")) {
          id = line.substring(3);
        } else if (line.startsWith("data:")) {
          data = line.substring(5);
        } else if (line.isEmpty() && data != null) {
          events.add(id + " " + data);
          data = null;
        }
      }
    }
    return events;
  }

  interface Check {
    void run() throws Exception;
  }

  /** Retries {@code check} until it passes or {@code within} has gone by (then its error). */
  static void awaitAssert(Duration within, Check check) throws Exception {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(100); // a retry interval, as ActorTestKit's awaitAssert has
      }
    }
  }
}
