package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;

/**
 * A checked choice of how to search.
 *
 * @param name            as typed: exhaustive, random or pct
 * @param strategy        the engine's strategy
 * @param options         the engine's limits (schedule cap, preemption bound)
 * @param seed            the seed of random and pct, else null
 * @param depth           the depth of pct, else null
 * @param preemptionBound the bound of exhaustive, or null for none
 */
record StrategyChoice(String name, Strategy strategy, ExploreOptions options, Long seed, Integer depth,
                      Integer preemptionBound) {

    /** Adds strategy, seed, depth, preemptionBound and maxSchedules to {@code json}. */
    ObjectNode putInputs(ObjectNode json) {
        return json.put("strategy", name)
                .put("seed", seed)
                .put("depth", depth)
                .put("preemptionBound", preemptionBound)
                .put("maxSchedules", options.maxSchedules());
    }

    /** {@code strategy pct, seed 1, depth 3, up to 10000 schedules}. */
    String describe() {
        List<String> parts = new ArrayList<>(List.of("strategy " + name));
        if (seed != null) {
            parts.add("seed " + seed);
        }
        if (depth != null) {
            parts.add("depth " + depth);
        }
        if (preemptionBound != null) {
            parts.add("preemption bound " + preemptionBound);
        }
        parts.add("up to " + options.maxSchedules() + " schedules");
        return String.join(", ", parts);
    }
}
