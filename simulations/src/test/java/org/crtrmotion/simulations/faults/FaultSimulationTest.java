package org.crtrmotion.simulations.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Whole runs in jvm mode: real nodes, guests, migrations and faults, then the checkers. */
class FaultSimulationTest {
  /** Small runs, so that twenty of them fit in a few minutes on two loaded cores. */
  static final SimulationSize SMALL = new SimulationSize(3, 2, 2);

  @Test
  void theSameSeedRunTwiceGivesTheSameScheduleAndOutcomeSummary() {
    FaultSimulation sim = new FaultSimulation(SMALL, FaultSimulation.Mode.JVM, System.out);

    RunResult first = sim.runOne(7);
    RunResult second = sim.runOne(7);

    System.out.println("seed 7 twice: " + first.timings() + " / " + second.timings());
    assertEquals(first.schedule(), second.schedule());
    assertEquals(first.summary(), second.summary());
  }

  @Test
  void twentySeedsInJvmModeKeepEveryInvariant() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    FaultSimulation sim = new FaultSimulation(SMALL, FaultSimulation.Mode.JVM, out);

    int exit = sim.run(LongStream.rangeClosed(1, 20).boxed().toList());

    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertEquals(0, exit, printed);
    assertTrue(printed.contains("failed seeds                       none"), printed);
  }

  @Test
  void aFailedRunPrintsTheCommandThatReproducesIt() {
    FaultSimulation sim = new FaultSimulation(SMALL, FaultSimulation.Mode.JVM, System.out);

    assertEquals(
        "./crtr sim faults --seed 99 --nodes 3 --vms 2 --migrations 2 --mode jvm",
        sim.reproduce(99));
  }

  @Test
  void processModeIsRefusedNamingTheModeToUse() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new FaultSimulation(SMALL, FaultSimulation.Mode.PROCESS, System.out));
    assertTrue(e.getMessage().contains("--mode jvm"), e.getMessage());
  }
}
