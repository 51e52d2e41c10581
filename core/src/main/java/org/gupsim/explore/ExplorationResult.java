package org.gupsim.explore;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an exploration found. A pure function of (target, strategy, options): rendering the same
 * exploration twice gives the same text.
 *
 * @param strategy       the strategy, as its {@code toString()}
 * @param verdict        SAFE, VIOLATION or DEADLOCK, from {@link #counterexample}
 * @param exhausted      true when a depth-first search covered its whole space (within the
 *                       preemption bound, if any) rather than stopping early, and no execution
 *                       was cut off by the step budget
 * @param schedules      executions run, including pruned ones
 * @param pruned         executions the partial-order reduction abandoned part-way because every
 *                       runnable thread was in the sleep set (they repeat an explored class)
 * @param outcomes       observed outcome → number of executions that finished with it
 * @param violations     violation kind → number of executions that ended with it
 * @param counterexample the first violating execution (with {@code stopOnFirstViolation} off: the
 *                       shortest, then with fewest context switches, then the smallest schedule
 *                       string), or null when the verdict is SAFE
 * @param stepBudget     the step budget each execution had (see {@code StepBudget}: it grows with the
 *                       target's work)
 * @param outOfBudget    executions cut off by the step budget with threads unfinished: neither
 *                       outcomes nor violations, and what lies beyond them was not explored
 * @param interrupted    a stop was requested ({@link ExploreControl#requestStop()}) before the search
 *                       ended: the result covers the executions that ran, and is not exhausted
 */
public record ExplorationResult(String strategy, Verdict verdict, boolean exhausted, long schedules, long pruned,
        SortedMap<String, Long> outcomes, SortedMap<String, Long> violations, Counterexample counterexample,
        int stepBudget, long outOfBudget, boolean interrupted) {

    public ExplorationResult {
        outcomes = Collections.unmodifiableSortedMap(new TreeMap<>(outcomes));
        violations = Collections.unmodifiableSortedMap(new TreeMap<>(violations));
    }

    public Optional<Counterexample> firstViolation() {
        return Optional.ofNullable(counterexample);
    }

    /** A plain-text report: verdict, counts, outcomes and the counterexample's trace. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("strategy: ").append(strategy).append('\n');
        sb.append("verdict: ").append(verdict).append(exhausted ? " (exhausted)" : interrupted
                ? " (not exhausted: interrupted)" : " (not exhausted)").append('\n');
        sb.append("schedules: ").append(schedules).append(" (pruned: ").append(pruned).append(")\n");
        if (outOfBudget > 0) {
            sb.append("cut off by the step budget of ").append(stepBudget).append(" steps: ").append(outOfBudget)
                    .append('\n');
        }
        sb.append("outcomes:\n");
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            sb.append("  ").append(e.getKey()).append("  ").append(e.getValue()).append('\n');
        }
        if (!violations.isEmpty()) {
            sb.append("violations:\n");
            for (Map.Entry<String, Long> e : violations.entrySet()) {
                sb.append("  ").append(e.getKey()).append("  ").append(e.getValue()).append('\n');
            }
        }
        if (counterexample != null) {
            sb.append("first violation: ").append(counterexample.violation()).append('\n');
            sb.append(counterexample.trace().render());
        }
        return sb.toString();
    }
}
