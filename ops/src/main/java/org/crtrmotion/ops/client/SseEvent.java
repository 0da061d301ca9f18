package org.crtrmotion.ops.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/** One server-sent event (type {@code message} when none is given). */
record SseEvent(String type, String id, String data) {

  /** Reads events off a {@code text/event-stream}, skipping comments and heartbeats. */
  static final class Reader {
    private final BufferedReader in;

    Reader(BufferedReader in) {
      this.in = in;
    }

    /** The next event, or empty at the end of the stream. */
    Optional<SseEvent> next() throws IOException {
      String type = "message";
      String id = "";
      StringBuilder data = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            return Optional.of(new SseEvent(type, id, data.toString()));
          }
          continue; // a heartbeat or a comment block
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "event" -> type = value;
          case "id" -> id = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
      return Optional.empty();
    }
  }
}
