package org.gupsim.cli;

import java.util.Iterator;
import java.util.List;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import picocli.CommandLine.Option;

/**
 * The options of {@code explore} and {@code compare} that choose how to search: {@code --strategy},
 * {@code --seed}, {@code --preemption-bound} and {@code --depth}. {@link #resolve} checks them,
 * with the command's own {@code --schedules} (whose meaning and default differ between the two:
 * a cap on one exploration, a cap per cell), into a {@link StrategyChoice} or a {@link UsageException}.
 */
public final class StrategyOptions {
    /** The strategy names, in listing order. */
    static final List<String> NAMES = List.of("exhaustive", "random", "pct");
    /** Schedules run by random and PCT when {@code --schedules} is not given. */
    static final long DEFAULT_SAMPLED_SCHEDULES = 10_000;
    static final long DEFAULT_SEED = 1;
    static final int DEFAULT_DEPTH = 3;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "exhaustive", completionCandidates = Names.class,
            description = "How to search (default: ${DEFAULT-VALUE}): exhaustive (depth-first with dynamic "
                    + "partial-order reduction), random (seeded random walk), pct (probabilistic concurrency testing).")
    String strategy;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of random and pct (default: " + DEFAULT_SEED + ").")
    String seed;

    @Option(names = "--preemption-bound", paramLabel = "N",
            description = "exhaustive only: at most N preemptions per schedule (turns the partial-order "
                    + "reduction off; exhausted then means exhausted within the bound).")
    String preemptionBound;

    @Option(names = "--depth", paramLabel = "D",
            description = "pct only: the bug depth searched for, 1 to " + Strategy.Pct.MAX_DEPTH + " (default: "
                    + DEFAULT_DEPTH + ").")
    String depth;

    /**
     * Checks the options.
     *
     * @param schedules the command's {@code --schedules}, or null when not given (then
     *                  {@link #DEFAULT_SAMPLED_SCHEDULES} for random and pct, the explorer's default for exhaustive)
     * @throws UsageException naming the flag and the allowed values
     */
    public StrategyChoice resolve(String schedules) {
        if (!NAMES.contains(strategy)) {
            throw new UsageException("--strategy " + strategy + " is not known (allowed: " + String.join(", ", NAMES)
                    + ")");
        }
        boolean exhaustive = strategy.equals("exhaustive");
        boolean pct = strategy.equals("pct");
        if (exhaustive && seed != null) {
            throw new UsageException("--seed applies to --strategy random and pct only, not exhaustive");
        }
        if (!exhaustive && preemptionBound != null) {
            throw new UsageException("--preemption-bound applies to --strategy exhaustive only, not " + strategy);
        }
        if (!pct && depth != null) {
            throw new UsageException("--depth applies to --strategy pct only, not " + strategy);
        }
        long s = seed == null ? DEFAULT_SEED : number("--seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        long n = schedules == null
                ? (exhaustive ? ExploreOptions.DEFAULTS.maxSchedules() : DEFAULT_SAMPLED_SCHEDULES)
                : number("--schedules", schedules, 1, Long.MAX_VALUE);
        ExploreOptions options = ExploreOptions.DEFAULTS.withMaxSchedules(n);
        if (exhaustive) {
            int bound = preemptionBound == null ? -1
                    : (int) number("--preemption-bound", preemptionBound, 0, Integer.MAX_VALUE);
            return new StrategyChoice(strategy, Strategy.dpor(), options.withPreemptionBound(bound), null, null,
                    bound < 0 ? null : bound);
        }
        if (pct) {
            int d = depth == null ? DEFAULT_DEPTH : (int) number("--depth", depth, 1, Strategy.Pct.MAX_DEPTH);
            return new StrategyChoice(strategy, Strategy.pct(s, d, n), options, s, d, null);
        }
        return new StrategyChoice(strategy, Strategy.random(s, n), options, s, null, null);
    }

    static long number(String flag, String text, long min, long max) {
        String range = " (allowed: " + (min == Long.MIN_VALUE ? "any whole number" : min + " or more")
                + (max == Long.MAX_VALUE || min == Long.MIN_VALUE ? "" : ", at most " + max) + ")";
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " " + text + " is not a whole number" + range);
        }
        if (v < min || v > max) {
            throw new UsageException(flag + " " + text + " is out of range" + range);
        }
        return v;
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
