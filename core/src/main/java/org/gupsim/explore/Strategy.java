package org.gupsim.explore;

import org.apache.commons.lang3.Validate;

/** How an {@link Explorer} picks the thread to run at each scheduling point. */
public sealed interface Strategy {

    /**
     * Exhaustive depth-first search. With {@code reduction} it is dynamic partial-order
     * reduction (sleep sets and source sets, see DfsSearch): at least one schedule per class of
     * schedules that differ only in the order of independent steps, so the same outcomes,
     * violations and deadlocks as without it. Without it, every interleaving (plain DFS, the
     * reference the reduction is tested against). A preemption bound turns the reduction off.
     */
    record DepthFirst(boolean reduction) implements Strategy {
        @Override
        public String toString() {
            return reduction ? "dpor" : "dfs";
        }
    }

    /** A seeded random walk: at each point a uniformly chosen runnable thread. */
    record RandomWalk(long seed, long schedules) implements Strategy {
        public RandomWalk {
            Validate.isTrue(schedules > 0, "schedules must be positive: %d", schedules);
        }

        @Override
        public String toString() {
            return "random(seed=" + seed + ", schedules=" + schedules + ")";
        }
    }

    /**
     * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random thread
     * priorities and {@code depth - 1} random priority change points per schedule; finds any bug
     * of depth {@code depth} with probability at least 1/(n k^(d-1)).
     *
     * <p>{@code depth} is 1 to {@value #MAX_DEPTH}. A bug's depth is the number of ordering
     * constraints it needs; the bugs PCT was measured on have depth 1 to 3, and at depth 10 the
     * guarantee is already below 1/k^9 for executions of k steps. The bound keeps a schedule's
     * preparation (drawing and sorting the change points) small and its memory fixed.
     */
    record Pct(long seed, int depth, long schedules) implements Strategy {
        /** The largest depth PCT accepts. */
        public static final int MAX_DEPTH = 1000;

        public Pct {
            Validate.isTrue(depth >= 1 && depth <= MAX_DEPTH, "depth must be 1 to %d: %d", MAX_DEPTH, depth);
            Validate.isTrue(schedules > 0, "schedules must be positive: %d", schedules);
        }

        @Override
        public String toString() {
            return "pct(seed=" + seed + ", depth=" + depth + ", schedules=" + schedules + ")";
        }
    }

    /** Runs one recorded schedule (see {@link Schedule} for the format). */
    record Replay(String schedule) implements Strategy {
        public Replay {
            Schedule.parse(schedule);
        }

        @Override
        public String toString() {
            return "replay(" + schedule + ")";
        }
    }

    /** Depth-first search with dynamic partial-order reduction. */
    static Strategy dpor() {
        return new DepthFirst(true);
    }

    /** Depth-first search over every interleaving. */
    static Strategy dfs() {
        return new DepthFirst(false);
    }

    static Strategy random(long seed, long schedules) {
        return new RandomWalk(seed, schedules);
    }

    static Strategy pct(long seed, int depth, long schedules) {
        return new Pct(seed, depth, schedules);
    }

    static Strategy replay(String schedule) {
        return new Replay(schedule);
    }
}
