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
import org.gupsim.explore.ExploreTarget;
import org.gupsim.explore.StoreBufferTarget;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Trace;
import org.gupsim.kernel.Kernel;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.MemoryModels;

/**
 * One question for the explorer: a scenario with parameters, on an architecture variant and a
 * kernel (a release label, or one with patches), under a memory model. Its result is a pure
 * function of these and the strategy.
 *
 * @param scenario    the scenario
 * @param params      its parameters, resolved (defaults filled in)
 * @param arch        the architecture variant
 * @param kernel      the kernel, patches included ({@code KernelVersion.LATEST.with(patch)})
 * @param memoryModel the memory model the CPUs follow: sequential consistency (the default, as
 *                    every exploration before there were others), or a weaker one, explored with
 *                    store buffers ({@link StoreBufferTarget}); {@link MemoryModelChoice} picks
 *                    the architecture's own
 */
public record Exploration(Scenario scenario, Map<String, String> params, ArchVariant arch, Kernel kernel,
                          MemoryModel memoryModel) {

    public Exploration {
        Validate.isTrue(scenario != null, "scenario must not be null");
        Validate.isTrue(arch != null, "arch must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(memoryModel != null, "memoryModel must not be null");
        scenario.checkArch(arch);
        params = Collections.unmodifiableMap(scenario.resolve(params == null ? Map.of() : params));
    }

    /** Under sequential consistency. */
    public Exploration(Scenario scenario, Map<String, String> params, ArchVariant arch, Kernel kernel) {
        this(scenario, params, arch, kernel, MemoryModels.get("sc"));
    }

    /** The explorer's target: the scenario's machine, with store buffers when the model has them. */
    private ExploreTarget target() {
        return StoreBufferTarget.of(new ScenarioTarget(scenario, params, arch, kernel), memoryModel);
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
        return Explorer.explore(this::target, strategy, options, control);
    }

    /** Explores shard {@code shard} of {@code shards} of a depth-first search; see {@link Explorer#exploreShard}. */
    public SearchShard exploreShard(Strategy.DepthFirst strategy, ExploreOptions options, ExploreControl control,
            int shard, int shards) {
        return Explorer.exploreShard(this::target, strategy, options,
                control, shard, shards);
    }

    /**
     * The result of the whole search from every shard's part: what {@link #explore} finds.
     *
     * @throws IllegalArgumentException when the parts are not every shard of this search, named
     */
    public ExplorationResult merge(Strategy.DepthFirst strategy, ExploreOptions options, List<SearchShard> parts) {
        return Explorer.merge(target(), strategy, options, parts);
    }

    /** Exhaustive exploration with partial-order reduction and default options. */
    public ExplorationResult explore() {
        return explore(Strategy.dpor(), ExploreOptions.DEFAULTS);
    }

    /** Replays a schedule string, reproducing its trace exactly. */
    public Trace replay(String schedule) {
        return Explorer.replay(target(), schedule);
    }
}
