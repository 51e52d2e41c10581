package org.gupsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * How each execution of one part of a search ended, in the order the part ran them: one int per
 * execution, so that the parts of a search can be put back in their canonical order and cut at
 * exactly the schedule cap or the first violation, whichever thread or machine ran them.
 *
 * <p>A code packs the outcome (its index in {@link #outcomes()} plus one, or 0), the violation
 * kind (ordinal plus one, or 0), and whether the execution was pruned or cut off by the step
 * budget. Violations are kept as {@link Found} records: with {@code stopOnFirstViolation} the
 * first one (the part stops there); otherwise each one that beats every earlier one of the part
 * (fewer steps, then fewer switches, then the smaller schedule string), so that the best one
 * within any prefix of the part is the last record before the prefix's end.
 */
final class ExecutionLog {
    private static final int OUTCOME_BITS = 20;
    private static final int KIND_SHIFT = OUTCOME_BITS;
    private static final int KIND_MASK = 0xff;
    static final int PRUNED = 1 << 28;
    static final int OUT_OF_BUDGET = 1 << 29;

    /** A violating execution: its index in the log, the violation and how it ranks. */
    record Found(int index, Violation violation, int steps, int switches, String schedule) {

        /** The order the explorer reports the best violation by. */
        boolean beats(Found o) {
            return steps < o.steps || steps == o.steps
                    && (switches < o.switches || switches == o.switches && schedule.compareTo(o.schedule) < 0);
        }
    }

    private int[] codes = new int[64];
    /** Volatile: the tree reads it from other threads as a lower bound while the part runs. */
    private volatile int size;
    private final List<String> outcomes = new ArrayList<>();
    private final Map<String, Integer> outcomeIndex = new HashMap<>();
    private final List<Found> found = new ArrayList<>();

    /** Records the execution {@code run} just finished. */
    void add(Runner run) {
        int code = 0;
        String outcome = run.outcome();
        if (outcome != null) {
            Integer i = outcomeIndex.get(outcome);
            if (i == null) {
                i = outcomes.size();
                outcomes.add(outcome);
                outcomeIndex.put(outcome, i);
            }
            code = i + 1;
        }
        Violation v = run.violation();
        if (v != null) {
            code |= (v.kind().ordinal() + 1) << KIND_SHIFT;
            Found f = new Found(size, v, run.steps(), run.switches(), run.schedule());
            if (found.isEmpty() || f.beats(found.get(found.size() - 1))) {
                found.add(f);
            }
        }
        if (run.end() == Runner.End.PRUNED) {
            code |= PRUNED;
        } else if (run.end() == Runner.End.OUT_OF_BUDGET) {
            code |= OUT_OF_BUDGET;
        }
        if (size == codes.length) {
            codes = Arrays.copyOf(codes, size * 2);
        }
        codes[size++] = code;
    }

    int size() {
        return size;
    }

    int code(int i) {
        return codes[i];
    }

    List<String> outcomes() {
        return outcomes;
    }

    List<Found> found() {
        return found;
    }

    /** The outcome of a code, or null. */
    String outcome(int code) {
        int o = code & ((1 << OUTCOME_BITS) - 1);
        return o == 0 ? null : outcomes.get(o - 1);
    }

    /** The violation kind of a code, or null. */
    static ViolationKind kind(int code) {
        int k = (code >>> KIND_SHIFT) & KIND_MASK;
        return k == 0 ? null : ViolationKind.values()[k - 1];
    }

    /** The best violation among the first {@code n} executions, or null. */
    Found bestWithin(int n) {
        Found best = null;
        for (Found f : found) {
            if (f.index() >= n) {
                break;
            }
            best = f;
        }
        return best;
    }

    /** Rebuilds a log from its parts (a shard file). */
    static ExecutionLog of(int[] codes, List<String> outcomes, List<Found> found) {
        ExecutionLog log = new ExecutionLog();
        log.codes = Arrays.copyOf(codes, Math.max(1, codes.length));
        log.size = codes.length;
        log.outcomes.addAll(outcomes);
        log.found.addAll(found);
        return log;
    }

    int[] codes() {
        return Arrays.copyOf(codes, size);
    }
}
