package org.gupsim.scenario;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.SearchShard;
import org.gupsim.explore.Explorer;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Trace;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;

/**
 * One question for the explorer: a scenario with parameters, on an architecture variant and a
 * kernel (a release label, or one with patches). Its result is a pure function of these and the
 * strategy.
 *
 * @param scenario the scenario
 * @param params   its parameters, resolved (defaults filled in)
 * @param arch     the architecture variant
 * @param kernel   the kernel, patches included ({@code KernelVersion.LATEST.with(patch)})
 */
public record Exploration(Scenario scenario, Map<String, String> params, ArchVariant arch, Kernel kernel) {

    public Exploration {
        Validate.isTrue(scenario != null, "scenario must not be null");
        Validate.isTrue(arch != null, "arch must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        scenario.checkArch(arch);
        params = Collections.unmodifiableMap(scenario.resolve(params == null ? Map.of() : params));
    }

    /** Explores with the given strategy and options. */
    public ExplorationResult explore(Strategy strategy, ExploreOptions options) {
        return explore(strategy, options, new ExploreControl());
    }

    /**
     * Explores with the given strategy and options, watched by {@code control} (progress, stop);
     * each of {@link ExploreOptions#threads()} workers runs its own machine.
     */
    public ExplorationResult explore(Strategy strategy, ExploreOptions options, ExploreControl control) {
        return Explorer.explore(() -> new ScenarioTarget(scenario, params, arch, kernel), strategy, options,
                control);
    }

    /** Explores shard {@code shard} of {@code shards} of a depth-first search; see {@link Explorer#exploreShard}. */
    public SearchShard exploreShard(Strategy.DepthFirst strategy, ExploreOptions options, ExploreControl control,
            int shard, int shards) {
        return Explorer.exploreShard(() -> new ScenarioTarget(scenario, params, arch, kernel), strategy, options,
                control, shard, shards);
    }

    /**
     * The result of the whole search from every shard's part: what {@link #explore} finds.
     *
     * @throws IllegalArgumentException when the parts are not every shard of this search, named
     */
    public ExplorationResult merge(Strategy.DepthFirst strategy, ExploreOptions options, List<SearchShard> parts) {
        return Explorer.merge(new ScenarioTarget(scenario, params, arch, kernel), strategy, options, parts);
    }

    /** Exhaustive exploration with partial-order reduction and default options. */
    public ExplorationResult explore() {
        return explore(Strategy.dpor(), ExploreOptions.DEFAULTS);
    }

    /** Replays a schedule string, reproducing its trace exactly. */
    public Trace replay(String schedule) {
        return Explorer.replay(new ScenarioTarget(scenario, params, arch, kernel), schedule);
    }
}
