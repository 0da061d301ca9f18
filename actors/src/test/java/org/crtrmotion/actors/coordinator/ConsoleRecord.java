package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crtrmotion.actors.vm.VmActor;

/** One VM's numbered console lines as the nodes it ran on saw them. */
final class ConsoleRecord {
  private final String vmId;
  private final List<Long> numbers = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();
  private final Map<String, Long> lastByNode = new HashMap<>();

  ConsoleRecord(String vmId) {
    this.vmId = vmId;
  }

  /** Takes {@code node}'s lines of the VM until one numbered at least {@code number}. */
  void awaitFrom(MigrationNode node, long number) {
    while (true) {
      VmActor.ConsoleLine line = node.nextLine(vmId);
      add(node, line);
      if (line.number() >= number) {
        return;
      }
    }
  }

  /**
   * Takes {@code node}'s lines of the VM up to the one numbered {@code last} (the source's last
   * before its freeze), however many other VMs' lines come between.
   */
  void drainTo(MigrationNode node, long last) {
    while (lastFrom(node) < last) {
      add(node, node.nextLine(vmId));
    }
  }

  private void add(MigrationNode node, VmActor.ConsoleLine line) {
    numbers.add(line.number());
    texts.add(line.text());
    lastByNode.merge(node.name, line.number(), Math::max);
  }

  /** The lines' texts in the order they were taken. */
  List<String> texts() {
    return List.copyOf(texts);
  }

  long lastFrom(MigrationNode node) {
    return lastByNode.getOrDefault(node.name, 0L);
  }

  /** Every number from 1 to the last once, in order: no gap, no duplicate. */
  void assertOneSequenceFrom1() {
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(i + 1, numbers.get(i), () -> "lines of " + vmId + ": " + summary());
    }
  }

  private String summary() {
    return numbers.size() > 40
        ? numbers.subList(0, 20) + " ... " + numbers.subList(numbers.size() - 20, numbers.size())
        : numbers.toString();
  }
}
