package org.crtrmotion.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.BootstrapSettings;
import org.crtrmotion.cluster.NodeConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The files in {@code ops/deploy} parse, and they name the jar the build makes and the ports the
 * code listens on by default (Artery's and the API's), so that they cannot drift apart silently.
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final String JAR = "crtr.jar";
  private static final int ARTERY_PORT = NodeConfig.parse("").settings().bindPort();
  private static final int API_PORT = ApiSettings.from(NodeConfig.parse("").config()).bindPort();
  private static final int MANAGEMENT_PORT =
      NodeConfig.parse("").config().getInt("crtr.node.bootstrap.management.port");

  private static String read(String file) throws Exception {
    return Files.readString(DEPLOY.resolve(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private static List<Map<String, Object>> documents(String file) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(read(file))) {
      docs.add(map(doc));
    }
    return docs;
  }

  @Test
  void theBuildMakesTheJarTheFilesName() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<finalName>crtr</finalName>"), "ops/pom.xml names the jar crtr.jar");
  }

  @Test
  void theSystemdUnitRunsTheJarAsANode() throws Exception {
    String unit = read("systemd/crtr-node.service");
    String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    assertTrue(exec.contains("/opt/crtr/" + JAR + " node --config "), exec);
    assertTrue(unit.contains("RestartPreventExitStatus=2"), "a refused configuration stays down");
  }

  @Test
  void theDockerfileCopiesTheJarAndExposesTheDefaultPorts() throws Exception {
    String docker = read("docker/Dockerfile");
    assertTrue(docker.contains("COPY ops/target/" + JAR + " /opt/crtr/" + JAR), docker);
    assertTrue(docker.contains("EXPOSE " + ARTERY_PORT + " " + API_PORT), docker);
    assertTrue(docker.contains("openjdk-17-jre"), docker);
    assertTrue(docker.lines().anyMatch(l -> l.startsWith("FROM debian:")), docker);
  }

  @Test
  void theComposeFileRunsThreeNodesOnTheDefaultPortsFromTheirOwnFiles() throws Exception {
    Map<String, Object> compose = documents("compose/compose.yaml").get(0);
    Map<String, Object> services = map(compose.get("services"));
    assertEquals(List.of("node-a", "node-b", "node-c"), new ArrayList<>(services.keySet()));
    for (String name : services.keySet()) {
      Map<String, Object> service = map(services.get(name));
      assertTrue(
          list(service.get("ports")).get(0).toString().endsWith(":" + API_PORT),
          service.toString());
      assertEquals("ops/deploy/docker/Dockerfile", map(service.get("build")).get("dockerfile"));
      String file = name + ".conf";
      assertTrue(list(service.get("volumes")).get(0).toString().startsWith("./" + file));
      NodeConfig node =
          NodeConfig.load(
              ConfigFactory.parseString(read("compose/" + file))
                  .withFallback(
                      ConfigFactory.parseString("CRTR_API_TOKEN = \"0123456789abcdef-test\"")));
      assertEquals(name.substring(5), node.settings().name());
      assertEquals(ARTERY_PORT, node.settings().bindPort());
      assertEquals(API_PORT, ApiSettings.from(node.config()).bindPort());
    }
  }

  @Test
  void theKubernetesStatefulSetServiceAndConfigMapAgree() throws Exception {
    Map<String, Object> set = documents("kubernetes/statefulset.yaml").get(0);
    Map<String, Object> service = documents("kubernetes/service.yaml").get(0);
    Map<String, Object> configMap = documents("kubernetes/configmap.yaml").get(0);
    assertEquals("StatefulSet", set.get("kind"));
    assertEquals("Service", service.get("kind"));
    assertEquals("ConfigMap", configMap.get("kind"));
    assertEquals("None", map(service.get("spec")).get("clusterIP"));
    assertEquals(map(service.get("metadata")).get("name"), map(set.get("spec")).get("serviceName"));

    Map<String, Object> container =
        map(
            list(map(map(map(set.get("spec")).get("template")).get("spec")).get("containers"))
                .get(0));
    List<Integer> ports =
        list(container.get("ports")).stream()
            .map(p -> (Integer) map(p).get("containerPort"))
            .toList();
    assertEquals(List.of(ARTERY_PORT, API_PORT, MANAGEMENT_PORT), ports);
    List<Integer> servicePorts =
        list(map(service.get("spec")).get("ports")).stream()
            .map(p -> (Integer) map(p).get("port"))
            .toList();
    assertEquals(List.of(ARTERY_PORT, API_PORT, MANAGEMENT_PORT), servicePorts);

    String hocon = (String) map(configMap.get("data")).get("node.conf");
    NodeConfig node =
        NodeConfig.load(
            ConfigFactory.parseString(hocon)
                .withFallback(
                    ConfigFactory.parseString(
                        "POD_NAME = \"crtr-1\", POD_NAMESPACE = \"prod\","
                            + " CRTR_API_TOKEN = \"0123456789abcdef-test\"")));
    assertEquals("crtr-1", node.settings().name());
    assertEquals("crtr-1.crtr", node.settings().bindHost());
    assertEquals(ARTERY_PORT, node.settings().bindPort());
    assertEquals(API_PORT, ApiSettings.from(node.config()).bindPort());
    assertTrue(node.settings().seedNodes().isEmpty(), "the pods join through bootstrap");
    BootstrapSettings bootstrap = BootstrapSettings.from(node.config()).orElseThrow();
    assertEquals(BootstrapSettings.DNS, bootstrap.discoveryMethod());
    assertEquals("crtr.prod.svc.cluster.local", bootstrap.serviceName());
    assertEquals(
        Integer.valueOf(3), map(set.get("spec")).get("replicas"), "all replicas are required");
    assertEquals(3, bootstrap.requiredContactPoints());
    assertEquals(MANAGEMENT_PORT, bootstrap.managementPort());
  }
}
