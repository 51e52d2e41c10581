package org.gupsim.compare;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Strategy;

/**
 * How every cell of a comparison was searched, as a report states it: what a reader needs to know
 * how far a SAFE reaches.
 *
 * @param strategy        the strategy by the names {@code gupsim compare --strategy} takes:
 *                        {@code exhaustive} (depth-first with dynamic partial-order reduction),
 *                        {@code random}, {@code pct}; {@code exhaustive-without-reduction} for
 *                        the plain depth-first search the Java API also offers
 * @param seed            the seed of {@code random} and {@code pct}, else null
 * @param depth           the bug depth of {@code pct}, else null. It tunes how PCT samples; it bounds
 *                        nothing a cell claims, because a sampled cell never says {@code all}
 * @param preemptionBound the most preemptions a schedule of {@code exhaustive} may have, or -1 for
 *                        none. A bound does limit what {@code all} means: every schedule within the
 *                        bound, not every interleaving (and it turns the reduction off)
 * @param budgetSeconds   the budget per cell in seconds, or 0 when the schedule cap was given directly
 * @param scheduleCap     the most schedules a cell runs: the budget × {@link Comparison#SCHEDULES_PER_SECOND},
 *                        or as given
 */
public record Search(String strategy, Long seed, Integer depth, int preemptionBound, long budgetSeconds,
                     long scheduleCap) {

    public Search {
        Validate.isTrue(strategy != null && !strategy.isBlank(), "strategy must not be empty");
        Validate.isTrue(preemptionBound >= -1, "preemptionBound must be -1 or more: %d", preemptionBound);
        Validate.isTrue(budgetSeconds >= 0, "budgetSeconds must not be negative: %d", budgetSeconds);
        Validate.isTrue(scheduleCap > 0, "scheduleCap must be positive: %d", scheduleCap);
    }

    /** The search that runs {@code strategy} with these limits. */
    static Search of(Strategy strategy, int preemptionBound, long budgetSeconds, long scheduleCap) {
        return switch (strategy) {
            case Strategy.DepthFirst d -> new Search(d.reduction() ? "exhaustive" : "exhaustive-without-reduction",
                    null, null, preemptionBound, budgetSeconds, scheduleCap);
            case Strategy.RandomWalk r -> new Search("random", r.seed(), null, -1, budgetSeconds, scheduleCap);
            case Strategy.Pct p -> new Search("pct", p.seed(), p.depth(), -1, budgetSeconds, scheduleCap);
            case Strategy.Replay r -> throw new IllegalArgumentException("strategy must not be a replay: " + r);
        };
    }

    /** True for the depth-first strategies, whose cells can be exhausted. */
    public boolean exhaustive() {
        return strategy.startsWith("exhaustive");
    }

    /**
     * One phrase for a report's header, e.g. {@code strategy exhaustive; up to 10000 schedules per
     * cell (budget 10 = 10 x 1000 schedules, not a time limit)} or {@code strategy exhaustive with
     * at most 0 preemptions per schedule (no partial-order reduction); up to 500 schedules per cell
     * (set directly, not from a budget)}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("strategy " + strategy);
        if (seed != null) {
            parts.add("seed " + seed);
        }
        if (depth != null) {
            parts.add("depth " + depth);
        }
        String how = String.join(", ", parts);
        if (preemptionBound >= 0) {
            how += " with at most " + preemptions(preemptionBound) + " per schedule (no partial-order reduction)";
        }
        String cap = "up to " + scheduleCap + " schedules per cell " + (budgetSeconds > 0
                ? "(budget " + budgetSeconds + " = " + budgetSeconds + " x " + Comparison.SCHEDULES_PER_SECOND
                        + " schedules, not a time limit)"
                : "(set directly, not from a budget)");
        return how + "; " + cap;
    }

    /** What a cell's extent means under this search, for a report's legend. */
    public String legend() {
        String extent;
        if (!exhaustive()) {
            extent = "schedules run, partial = sampled by " + strategy + ": none of them went wrong, but "
                    + "this is never every interleaving";
        } else if (preemptionBound >= 0) {
            extent = "schedules explored, all " + bounded(preemptionBound) + " = every schedule with at most "
                    + preemptions(preemptionBound) + ", not every interleaving | partial = stopped at the schedule cap";
        } else {
            extent = "schedules explored, all = every interleaving up to equivalence | partial = stopped at the "
                    + "schedule cap";
        }
        return "A cell: SAFE (" + extent + "); a violation names what went wrong and its trace below; N/A: the "
                + "scenario does not apply to the variant.";
    }

    /** {@code ≤0 preemptions}, {@code ≤1 preemption}: how a cell marks a bounded extent. */
    static String bounded(int preemptionBound) {
        return "\u2264" + preemptions(preemptionBound);
    }

    /** {@code 0 preemptions}, {@code 1 preemption}. */
    private static String preemptions(int n) {
        return n + (n == 1 ? " preemption" : " preemptions");
    }
}
