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

    /** What {@code --seed} allows. */
    static final String SEED_ALLOWED = "any whole number";
    /** What {@code --preemption-bound} allows. */
    static final String PREEMPTION_BOUND_ALLOWED = "0.." + Integer.MAX_VALUE;
    /** What {@code --depth} allows. */
    static final String DEPTH_ALLOWED = "1.." + Strategy.Pct.MAX_DEPTH;
    /** What {@code --schedules} allows, in explore and compare alike. */
    static final String SCHEDULES_ALLOWED = "1 or more";

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "exhaustive", completionCandidates = Names.class,
            description = "How to search (default: ${DEFAULT-VALUE}): exhaustive (depth-first with dynamic "
                    + "partial-order reduction), random (seeded random walk), pct (probabilistic concurrency testing).")
    String strategy;

    @Allowed(SEED_ALLOWED)
    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of random and pct (default: " + DEFAULT_SEED + ").")
    String seed;

    @Allowed(PREEMPTION_BOUND_ALLOWED)
    @Option(names = "--preemption-bound", paramLabel = "N",
            description = "exhaustive only: at most N preemptions per schedule (turns the partial-order "
                    + "reduction off; exhausted then means exhausted within the bound).")
    String preemptionBound;

    @Allowed(DEPTH_ALLOWED)
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
        CliValues.oneOf("--strategy", strategy, NAMES);
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
        long s = seed == null ? DEFAULT_SEED : CliValues.wholeNumber("--seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        long n = schedules == null
                ? (exhaustive ? ExploreOptions.DEFAULTS.maxSchedules() : DEFAULT_SAMPLED_SCHEDULES)
                : CliValues.wholeNumber("--schedules", schedules, 1, Long.MAX_VALUE);
        ExploreOptions options = ExploreOptions.DEFAULTS.withMaxSchedules(n);
        if (exhaustive) {
            int bound = preemptionBound == null ? -1
                    : (int) CliValues.wholeNumber("--preemption-bound", preemptionBound, 0, Integer.MAX_VALUE);
            return new StrategyChoice(strategy, Strategy.dpor(), options.withPreemptionBound(bound), null, null,
                    bound < 0 ? null : bound);
        }
        if (pct) {
            int d = depth == null ? DEFAULT_DEPTH
                    : (int) CliValues.wholeNumber("--depth", depth, 1, Strategy.Pct.MAX_DEPTH);
            return new StrategyChoice(strategy, Strategy.pct(s, d, n), options, s, d, null);
        }
        return new StrategyChoice(strategy, Strategy.random(s, n), options, s, null, null);
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
