package org.crtrmotion.ops.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's Prometheus metrics ({@code GET /metrics}): VMs running here, instructions per second
 * of each, API requests by method and status, and the migration meters ({@link MigrationMetrics}).
 */
final class NodeMetrics {
  static final String VMS_RUNNING = "crtr.vms.running";
  static final String VM_IPS = "crtr.vm.instructions.per.second";
  static final String API_REQUESTS = "crtr.api.requests";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger vmsRunning = new AtomicInteger();
  private final Map<String, double[]> ips = new ConcurrentHashMap<>();
  private final Map<String, Gauge> ipsGauges = new ConcurrentHashMap<>();
  private final MigrationMetrics migrations;

  NodeMetrics(String node) {
    registry.config().commonTags("node", node);
    Gauge.builder(VMS_RUNNING, vmsRunning, AtomicInteger::get)
        .description("VMs this node's host agent runs")
        .register(registry);
    migrations = new MigrationMetrics(registry);
  }

  void apiRequest(String method, int status) {
    Counter.builder(API_REQUESTS)
        .description("HTTP management API requests answered")
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }

  /** The latest sample: how many VMs run here and the rate of each that has one. */
  void vmsSampled(int running, Map<String, Double> ratesByVm) {
    vmsRunning.set(running);
    for (Map.Entry<String, Double> e : ratesByVm.entrySet()) {
      ips.computeIfAbsent(e.getKey(), this::registerIps)[0] = e.getValue();
    }
    for (String vm : ips.keySet()) {
      if (!ratesByVm.containsKey(vm)) {
        ips.remove(vm);
        Gauge gauge = ipsGauges.remove(vm);
        if (gauge != null) {
          registry.remove(gauge);
        }
      }
    }
  }

  private double[] registerIps(String vm) {
    double[] holder = new double[1];
    ipsGauges.put(
        vm,
        Gauge.builder(VM_IPS, holder, h -> h[0])
            .description("instructions the VM retired per second, between the last two samples")
            .tag("vm", vm)
            .register(registry));
    return holder;
  }

  MigrationMetrics migrations() {
    return migrations;
  }

  /** The Prometheus text exposition format. */
  String scrape() {
    return registry.scrape();
  }
}
