package org.crtrmotion.ops.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON responses: a value, or {@code {"error": "..."}} with its status code. */
final class ApiResponses {
  static final ObjectMapper JSON = new ObjectMapper();

  private ApiResponses() {}

  static HttpResponse json(StatusCode status, Object value) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  static HttpResponse ok(Object value) {
    return json(StatusCodes.OK, value);
  }

  static HttpResponse error(StatusCode status, String message) {
    return json(status, Map.of("error", message));
  }
}
