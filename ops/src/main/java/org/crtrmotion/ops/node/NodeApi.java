package org.crtrmotion.ops.node;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.NodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP management API of a node. Every answer is JSON; an error is {@code {"error": "..."}}
 * with its status code. Bound anywhere but loopback, every path but {@code /health} and {@code
 * /ready} needs {@code Authorization: Bearer <token>}.
 *
 * <p>Migration paths are reserved: {@code POST/GET /api/v1/migrations}, {@code GET/DELETE
 * /api/v1/migrations/{id}}, {@code GET /api/v1/migrations/{id}/events} (progress as server-sent
 * events) and {@code GET /api/v1/migrations/{id}/report}; they answer 501 until the migration
 * coordinators exist.
 */
final class NodeApi {
  private static final Logger log = LoggerFactory.getLogger(NodeApi.class);

  private final ActorSystem<?> system;
  private final NodeSettings node;
  private final ApiSettings api;
  private final ClusterGateway gateway;
  private final LocalVms local;
  private final NodeMetrics metrics;
  private final ImagePolicy images;
  private final ApiEndpoints endpoints;

  NodeApi(
      ActorSystem<?> system,
      NodeSettings node,
      ApiSettings api,
      ClusterGateway gateway,
      LocalVms local,
      NodeMetrics metrics,
      ApiEndpoints endpoints) {
    this.system = system;
    this.node = node;
    this.api = api;
    this.gateway = gateway;
    this.local = local;
    this.metrics = metrics;
    this.images = new ImagePolicy(api.imageDirectories());
    this.endpoints = endpoints;
  }

  Route route() {
    return extractRequest(
        request ->
            mapResponse(
                response -> {
                  metrics.apiRequest(request.method().name(), response.status().intValue());
                  return response;
                },
                () ->
                    handleExceptions(
                        exceptions(),
                        () ->
                            handleRejections(
                                rejections(),
                                () ->
                                    concat(
                                        path("health", () -> get(() -> complete(health()))),
                                        path("ready", () -> get(() -> completeWithFuture(ready()))),
                                        authorized(this::protectedRoutes))))));
  }

  private Route protectedRoutes() {
    return concat(
        path("metrics", () -> get(() -> complete(scrape()))),
        pathPrefix(
            PathMatchers.segment("api").slash("v1"),
            () ->
                concat(
                    path("nodes", () -> get(() -> completeWithFuture(nodes()))),
                    pathPrefix("vms", this::vmRoutes),
                    pathPrefix(
                        "migrations",
                        () ->
                            complete(
                                ApiResponses.error(
                                    StatusCodes.NOT_IMPLEMENTED,
                                    "migrations are not available on this node yet"))),
                    extractUnmatchedPath(
                        rest ->
                            complete(
                                ApiResponses.error(
                                    StatusCodes.NOT_FOUND, "no endpoint /api/v1" + rest))))));
  }

  private Route vmRoutes() {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> completeWithFuture(listVms())),
                    post(
                        () ->
                            entity(
                                Unmarshaller.entityToString(),
                                body -> completeWithFuture(startVm(body)))))),
        pathPrefix(
            PathMatchers.segment(),
            id ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                get(() -> completeWithFuture(vm(id))),
                                delete(() -> completeWithFuture(stopVm(id))))),
                    path("console", () -> get(() -> console(id))))));
  }

  // ---- security

  private Route authorized(Supplier<Route> inner) {
    if (api.loopbackOnly()) {
      return inner.get();
    }
    byte[] expected = ("Bearer " + api.token().orElseThrow()).getBytes(StandardCharsets.UTF_8);
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          boolean ok =
              header.isPresent()
                  && MessageDigest.isEqual(expected, header.get().getBytes(StandardCharsets.UTF_8));
          if (ok) {
            return inner.get();
          }
          return respondWithHeader(
              RawHeader.create("WWW-Authenticate", "Bearer realm=\"crtr\""),
              () ->
                  complete(
                      ApiResponses.error(
                          StatusCodes.UNAUTHORIZED,
                          header.isPresent()
                              ? "the bearer token is wrong"
                              : "this API needs an 'Authorization: Bearer <token>' header")));
        });
  }

  // ---- health, readiness, metrics

  private HttpResponse health() {
    return ApiResponses.ok(Map.of("status", "up", "node", node.name()));
  }

  /** Ready once this node is an Up cluster member and, on a host, its host agent is registered. */
  private CompletionStage<HttpResponse> ready() {
    Member self = Cluster.get(system).selfMember();
    if (self.status() != MemberStatus.up()) {
      return done(
          ApiResponses.error(
              StatusCodes.SERVICE_UNAVAILABLE,
              "not ready: cluster member status is " + self.status()));
    }
    if (!node.isHost()) {
      return done(ApiResponses.ok(Map.of("ready", true, "node", node.name())));
    }
    Address selfAddress = self.address();
    return gateway
        .agents()
        .thenApply(
            agents ->
                agents.stream().anyMatch(a -> a.address().equals(selfAddress))
                    ? ApiResponses.ok(Map.of("ready", true, "node", node.name()))
                    : ApiResponses.error(
                        StatusCodes.SERVICE_UNAVAILABLE,
                        "not ready: the host agent is not registered with the receptionist yet"));
  }

  private HttpResponse scrape() {
    return HttpResponse.create()
        .withEntity(
            ContentTypes.create(
                org.apache.pekko.http.javadsl.model.MediaTypes.TEXT_PLAIN,
                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
            metrics.scrape());
  }

  // ---- nodes

  private CompletionStage<HttpResponse> nodes() {
    List<Member> members = new ArrayList<>();
    Cluster.get(system).state().getMembers().forEach(members::add);
    return gateway
        .capacities()
        .thenApply(
            capacities -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (Member m : members) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("address", m.address().toString());
                row.put("status", m.status().toString());
                row.put("roles", new ArrayList<>(m.getRoles()));
                capacities.stream()
                    .filter(c -> c.agent().address().equals(m.address()))
                    .findFirst()
                    .ifPresent(c -> row.put("capacity", capacity(c.capacity())));
                out.add(row);
              }
              return ApiResponses.ok(Map.of("nodes", out));
            });
  }

  private static Map<String, Object> capacity(HostAgent.Capacity c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", c.node());
    m.put("vms", c.vms());
    m.put("reservedVms", c.reservedVms());
    m.put("maxVms", c.maxVms());
    m.put("memoryBytes", c.memoryBytes());
    m.put("reservedMemoryBytes", c.reservedMemoryBytes());
    m.put("maxMemoryBytes", c.maxMemoryBytes());
    return m;
  }

  // ---- VMs

  private CompletionStage<HttpResponse> listVms() {
    return gateway
        .vms()
        .thenApply(
            vms -> ApiResponses.ok(Map.of("vms", vms.stream().map(NodeApi::vmSummary).toList())));
  }

  private static Map<String, Object> vmSummary(ClusterGateway.Located l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.vm().vmId());
    m.put("node", l.node());
    m.put("image", l.vm().image());
    m.put("memoryBytes", l.vm().memoryBytes());
    return m;
  }

  private CompletionStage<HttpResponse> startVm(String body) {
    StartRequest request;
    try {
      request = StartRequest.parse(body);
    } catch (StartRequest.Malformed e) {
      return done(ApiResponses.error(StatusCodes.BAD_REQUEST, e.getMessage()));
    }
    ImagePolicy.Decision decision = images.check(request.image());
    if (decision instanceof ImagePolicy.Refused refused) {
      log.warn("event=vm-start-refused image={} reason=\"{}\"", request.image(), refused.reason());
      return done(ApiResponses.error(StatusCodes.FORBIDDEN, refused.reason()));
    }
    String image = ((ImagePolicy.Allowed) decision).image();
    return gateway
        .start(image, request.bootargs(), request.memoryBytes(), request.node())
        .thenApply(
            reply -> {
              if (reply instanceof HostAgent.VmStarted started) {
                log.info(
                    "event=vm-started vm={} node={} image={}",
                    started.vmId(),
                    started.node(),
                    image);
                return ApiResponses.json(
                        StatusCodes.CREATED,
                        Map.of("id", started.vmId(), "node", started.node(), "image", image))
                    .addHeader(Location.create("/api/v1/vms/" + started.vmId()));
              }
              String reason = ((HostAgent.StartRefused) reply).reason();
              log.warn("event=vm-start-refused image={} reason=\"{}\"", image, reason);
              return ApiResponses.error(StatusCodes.CONFLICT, reason);
            });
  }

  private CompletionStage<HttpResponse> vm(String id) {
    return gateway
        .find(id)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return done(ApiResponses.error(StatusCodes.NOT_FOUND, "no VM " + id));
              }
              Map<String, Object> out = vmSummary(found.get());
              if (!isLocal(found.get())) {
                return done(ApiResponses.ok(out));
              }
              return local
                  .status(id)
                  .handle(
                      (reply, failure) -> {
                        if (reply instanceof VmActor.Status s) {
                          out.put("state", s.state().name());
                          out.put("instructions", s.instructions());
                          if (!s.detail().isEmpty()) {
                            out.put("detail", s.detail());
                          }
                        }
                        return ApiResponses.ok(out);
                      });
            });
  }

  private CompletionStage<HttpResponse> stopVm(String id) {
    return gateway
        .find(id)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return done(ApiResponses.error(StatusCodes.NOT_FOUND, "no VM " + id));
              }
              return gateway
                  .stop(found.get())
                  .thenApply(
                      reply -> {
                        if (reply instanceof HostAgent.VmStopped stopped) {
                          log.info(
                              "event=vm-stopped vm={} instructions={}", id, stopped.instructions());
                          return ApiResponses.ok(
                              Map.of(
                                  "id",
                                  id,
                                  "stopped",
                                  true,
                                  "instructions",
                                  stopped.instructions()));
                        }
                        return ApiResponses.error(
                            StatusCodes.CONFLICT, ((HostAgent.StopRefused) reply).reason());
                      });
            });
  }

  private Route console(String id) {
    return onComplete(
        gateway.find(id),
        found -> {
          if (found.isFailure() || found.get().isEmpty()) {
            return complete(ApiResponses.error(StatusCodes.NOT_FOUND, "no VM " + id));
          }
          ClusterGateway.Located vm = found.get().get();
          if (!isLocal(vm)) {
            return onComplete(endpoints.lookup(vm.node()), url -> referTo(vm, url));
          }
          return onComplete(
              local.resolve(id),
              ref ->
                  ref.isSuccess()
                      ? completeOK(
                          ConsoleStream.of(ref.get()), EventStreamMarshalling.toEventStream())
                      : complete(ApiResponses.error(StatusCodes.NOT_FOUND, "no VM " + id)));
        });
  }

  /**
   * The console is served by the VM's own node (VM actors' messages are local): 307 to that node's
   * API, or 409 naming the node while its address has not reached this one.
   */
  private Route referTo(ClusterGateway.Located vm, scala.util.Try<Optional<String>> url) {
    String path = "/api/v1/vms/" + vm.vm().vmId() + "/console";
    if (url.isSuccess() && url.get().isPresent()) {
      return redirect(
          org.apache.pekko.http.javadsl.model.Uri.create(url.get().get() + path),
          StatusCodes.TEMPORARY_REDIRECT);
    }
    return complete(
        ApiResponses.error(
            StatusCodes.CONFLICT,
            "VM "
                + vm.vm().vmId()
                + " runs on node "
                + vm.node()
                + ": follow its console through that node's API"));
  }

  private boolean isLocal(ClusterGateway.Located vm) {
    return vm.agent().address().equals(Cluster.get(system).selfMember().address());
  }

  // ---- errors

  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response ->
                response.entity() != null
                        && response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)
                    ? response
                    : ApiResponses.error(
                        response.status(),
                        response.status().reason() + " (" + response.status().intValue() + ")"));
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(
            e -> {
              log.error("event=api-error error=\"{}\"", e.toString(), e);
              return complete(
                  ApiResponses.error(
                      StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage()));
            })
        .build();
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
