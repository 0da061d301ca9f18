package org.crtrmotion.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A node's management API from the command line: JSON requests with the bearer token when given,
 * and the API's {@code {"error": "..."}} turned into an {@link ApiException} with its exit code.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NORMAL) // a VM's console is served by its node
          .build();

  ApiClient(String node, Optional<String> token) {
    this.base = parse(node);
    this.token = token.filter(t -> !t.isEmpty());
  }

  private static URI parse(String node) {
    String text = node.contains("://") ? node : "http://" + node;
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new ApiException(ExitCodes.USAGE, "--node " + node + ": expected http://HOST:PORT");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ApiException(
          ExitCodes.USAGE, "--node " + node + ": not a URL (" + e.getReason() + ")");
    }
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, Object body) {
    try {
      return send(
          request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  /** Opens a server-sent-events stream; the caller reads and closes it. */
  BufferedReader stream(String path) {
    HttpResponse<InputStream> response =
        call(
            request(path).header("Accept", "text/event-stream").GET(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw refused(response.statusCode(), body);
    }
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw refused(response.statusCode(), response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ApiException(ExitCodes.REFUSED, base + " answered something that is not JSON");
    }
  }

  private <T> HttpResponse<T> call(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request.build(), handler);
    } catch (ConnectException e) {
      throw new ApiException(
          ExitCodes.UNREACHABLE, "cannot reach " + base + " (connection refused)");
    } catch (IOException e) {
      throw new ApiException(ExitCodes.UNREACHABLE, "cannot reach " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ExitCodes.UNREACHABLE, "interrupted talking to " + base);
    }
  }

  private ApiException refused(int status, String body) {
    String message;
    try {
      JsonNode error = JSON.readTree(body).get("error");
      message = error != null ? error.asText() : body;
    } catch (IOException e) {
      message = body;
    }
    int code =
        switch (status) {
          case 401 -> ExitCodes.UNAUTHORIZED;
          case 404 -> ExitCodes.NOT_FOUND;
          default -> ExitCodes.REFUSED;
        };
    return new ApiException(code, base + " answered " + status + ": " + message);
  }
}
