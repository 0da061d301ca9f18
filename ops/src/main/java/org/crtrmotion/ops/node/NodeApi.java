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
import org.apache.pekko.NotUsed;
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
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.javadsl.Source;
import org.crtrmotion.actors.coordinator.CancelReply;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationReport;
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
 * <p>Migrations: {@code POST /api/v1/migrations} starts one on the node its VM runs on (another
 * node answers 307 to that node's API); {@code GET /api/v1/migrations} lists this node's; {@code
 * GET/DELETE /api/v1/migrations/{id}} (status, cancel), {@code .../events} (progress as server-sent
 * events, ending with the report) and {@code .../report} are served by the migration's source node
 * (the id names it; another node answers 307).
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
  private final Optional<NodeMigrations> migrations;

  NodeApi(
      ActorSystem<?> system,
      NodeSettings node,
      ApiSettings api,
      ClusterGateway gateway,
      LocalVms local,
      NodeMetrics metrics,
      ApiEndpoints endpoints,
      Optional<NodeMigrations> migrations) {
    this.system = system;
    this.node = node;
    this.api = api;
    this.gateway = gateway;
    this.local = local;
    this.metrics = metrics;
    this.images = new ImagePolicy(api.imageDirectories());
    this.endpoints = endpoints;
    this.migrations = migrations;
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
                    pathPrefix("migrations", this::migrationRoutes),
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

  private Route migrationRoutes() {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> complete(listMigrations())),
                    post(
                        () ->
                            entity(
                                Unmarshaller.entityToString(),
                                body -> completeWithFuture(startMigration(body)))))),
        pathPrefix(
            PathMatchers.segment(),
            id ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                get(
                                    () ->
                                        completeWithFuture(
                                            atSource(id, "", () -> migrationStatus(id)))),
                                delete(
                                    () ->
                                        completeWithFuture(
                                            atSource(id, "", () -> cancelMigration(id)))))),
                    path("events", () -> get(() -> migrationEvents(id))),
                    path(
                        "report",
                        () ->
                            get(
                                () ->
                                    completeWithFuture(
                                        atSource(id, "/report", () -> migrationReport(id))))))));
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
    m.put("quota", l.vm().quotaInstructionsPerSecond());
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
        .start(
            image,
            request.bootargs(),
            request.memoryBytes(),
            request.quotaInstructionsPerSecond(),
            request.node())
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
                          out.put("instructionsPerSecond", s.instructionsPerSecond());
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

  // ---- migrations

  private HttpResponse listMigrations() {
    return ApiResponses.ok(
        Map.of(
            "node",
            node.name(),
            "migrations",
            migrations.map(NodeMigrations::list).orElse(List.of())));
  }

  private CompletionStage<HttpResponse> startMigration(String body) {
    MigrationRequest request;
    try {
      request = MigrationRequest.parse(body);
    } catch (StartRequest.Malformed e) {
      return done(ApiResponses.error(StatusCodes.BAD_REQUEST, e.getMessage()));
    }
    return gateway
        .find(request.vmId())
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return done(ApiResponses.error(StatusCodes.NOT_FOUND, "no VM " + request.vmId()));
              }
              ClusterGateway.Located vm = found.get();
              if (vm.node().equals(request.targetNode())) {
                return done(
                    ApiResponses.error(
                        StatusCodes.BAD_REQUEST,
                        "field 'targetNode': VM "
                            + request.vmId()
                            + " already runs on node "
                            + vm.node()));
              }
              if (!isLocal(vm) || migrations.isEmpty()) {
                return referTo(vm.node(), "/api/v1/migrations", "VM " + request.vmId());
              }
              return gateway.capacities().thenCompose(hosts -> startHere(request, hosts));
            });
  }

  private CompletionStage<HttpResponse> startHere(
      MigrationRequest request, List<ClusterGateway.AgentCapacity> hosts) {
    List<String> names = hosts.stream().map(h -> h.capacity().node()).toList();
    if (!names.contains(request.targetNode())) {
      return done(
          ApiResponses.error(
              StatusCodes.BAD_REQUEST,
              "field 'targetNode': no host node '"
                  + request.targetNode()
                  + "' answered in the cluster (hosts: "
                  + String.join(", ", names)
                  + ")"));
    }
    return migrations
        .get()
        .start(request)
        .handle(
            (id, failure) -> {
              if (failure != null) {
                return ApiResponses.error(
                    StatusCodes.SERVICE_UNAVAILABLE,
                    "the migration of " + request.vmId() + " did not start: " + failure);
              }
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("migrationId", id);
              out.put("vmId", request.vmId());
              out.put("source", node.name());
              out.put("target", request.targetNode());
              out.put("strategy", request.parameters().strategy().cliName());
              return ApiResponses.json(StatusCodes.ACCEPTED, out)
                  .addHeader(Location.create("/api/v1/migrations/" + id));
            });
  }

  /**
   * Migration {@code id} is served by its source node: here when this node knows it, else 307 to
   * the source node's API ({@code suffix} after the id), else 404.
   */
  private CompletionStage<HttpResponse> atSource(
      String id, String suffix, Supplier<CompletionStage<HttpResponse>> here) {
    Optional<String> source = NodeMigrations.sourceNodeOf(id);
    if (source.isEmpty()) {
      return done(ApiResponses.error(StatusCodes.NOT_FOUND, "no migration " + id));
    }
    if (source.get().equals(node.name())) {
      return migrations.isPresent() && migrations.get().knows(id)
          ? here.get()
          : done(
              ApiResponses.error(
                  StatusCodes.NOT_FOUND,
                  "no migration "
                      + id
                      + " on node "
                      + node.name()
                      + " (the last "
                      + NodeMigrations.KEPT_FINISHED
                      + " reports are kept)"));
    }
    return referTo(source.get(), "/api/v1/migrations/" + id + suffix, "migration " + id);
  }

  /** 307 to {@code path} on node {@code other}'s API, or 404 when its API is not known here. */
  private CompletionStage<HttpResponse> referTo(String other, String path, String what) {
    return endpoints
        .lookup(other)
        .thenApply(
            url ->
                url.isPresent()
                    ? ApiResponses.json(
                            StatusCodes.TEMPORARY_REDIRECT,
                            Map.of("node", other, "location", url.get() + path))
                        .addHeader(Location.create(url.get() + path))
                    : ApiResponses.error(
                        StatusCodes.NOT_FOUND,
                        what + " is on node " + other + ", whose API is not known here"));
  }

  private CompletionStage<HttpResponse> migrationStatus(String id) {
    return done(
        migrations
            .flatMap(m -> m.status(id))
            .map(ApiResponses::ok)
            .orElseGet(() -> ApiResponses.error(StatusCodes.NOT_FOUND, "no migration " + id)));
  }

  private CompletionStage<HttpResponse> migrationReport(String id) {
    Optional<MigrationReport> report = migrations.get().report(id).flatMap(r -> r);
    if (report.isPresent()) {
      return done(ApiResponses.ok(MigrationJson.report(report.get())));
    }
    Object phase = migrations.get().status(id).map(s -> s.get("phase")).orElse("unknown");
    return done(
        ApiResponses.error(
            StatusCodes.CONFLICT,
            "migration " + id + " has not ended yet (phase " + phase + "): no report"));
  }

  private CompletionStage<HttpResponse> cancelMigration(String id) {
    return migrations
        .get()
        .cancel(id)
        .thenApply(
            reply -> {
              if (reply instanceof CancelReply.Accepted accepted) {
                log.info("event=migration-cancelled migration={} phase={}", id, accepted.phase());
                return ApiResponses.json(
                    StatusCodes.ACCEPTED,
                    Map.of("migrationId", id, "cancelled", true, "phase", accepted.phase().name()));
              }
              return ApiResponses.error(
                  StatusCodes.CONFLICT, ((CancelReply.Refused) reply).reason());
            });
  }

  private Route migrationEvents(String id) {
    Optional<Source<ServerSentEvent, NotUsed>> here =
        NodeMigrations.sourceNodeOf(id).filter(n -> n.equals(node.name())).isPresent()
            ? migrations.flatMap(m -> m.events(id))
            : Optional.empty();
    if (here.isPresent()) {
      return completeOK(here.get(), EventStreamMarshalling.toEventStream());
    }
    return completeWithFuture(atSource(id, "/events", () -> done(null)));
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
