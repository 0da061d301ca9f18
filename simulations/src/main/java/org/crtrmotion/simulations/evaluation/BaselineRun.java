package org.crtrmotion.simulations.evaluation;

/**
 * One migration by an {@link ExternalBaseline}: its result, or what went wrong.
 *
 * @param result null when the run failed
 */
public record BaselineRun(
    String baseline,
    String workload,
    Link link,
    int repetition,
    ExternalBaseline.Result result,
    String failure) {}
