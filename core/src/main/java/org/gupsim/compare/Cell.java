package org.gupsim.compare;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenario;

/**
 * One cell to run: a scenario with resolved parameters on one variant, kernel and patch set.
 *
 * @param scenario the scenario
 * @param params   its resolved parameters
 * @param arch     the architecture as given on the axis
 * @param variant  the variant it resolved to for {@code patched}
 * @param kernel   the kernel version on the axis
 * @param patches  the patch set on the axis, sorted by name
 * @param patched  {@code kernel} with {@code patches}: what the cell runs
 */
record Cell(Scenario scenario, Map<String, String> params, String arch, ArchVariant variant, KernelVersion kernel,
            List<Patch> patches, Kernel patched) {

    /** Why the cell is N/A without running: the kernel did not have the variant, or the scenario refuses it. */
    private String refusal() {
        var missing = variant.unavailableOn(patched);
        if (missing.isPresent()) {
            return variant.fullName() + " does not exist on kernel " + kernel.label() + ": " + missing.get();
        }
        try {
            scenario.checkArch(variant);
            return null;
        } catch (IllegalArgumentException refused) {
            return refused.getMessage();
        }
    }

    /** A cell's result before traces are numbered: the result with {@code trace} 0, and its counterexample or null. */
    record Outcome(CellResult result, Counterexample counterexample) {
    }

    /**
     * Runs the cell: N/A when the kernel did not have the variant or the scenario refuses it, else
     * one exploration. Deterministic but for the wall time.
     */
    Outcome run(Strategy strategy, ExploreOptions options) {
        ScenarioSpec spec = new ScenarioSpec(scenario.name(), new TreeMap<>(params));
        Mechanisms mechanisms = Mechanisms.of(variant, patched);
        String refusal = refusal();
        if (refusal != null) {
            return new Outcome(new CellResult(spec, arch, variant.fullName(), kernel, patches, mechanisms,
                    CellVerdict.NOT_APPLICABLE, refusal, false, options.preemptionBound(), 0, 0, null,
                    null, null, CellVerdict.NOT_APPLICABLE.label(), 0, Duration.ZERO), null);
        }
        long start = System.nanoTime();
        ExplorationResult r = new Exploration(scenario, params, variant, patched).explore(strategy, options);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Counterexample ce = r.counterexample();
        CellVerdict verdict = CellVerdict.of(r.verdict());
        String summary = ce == null ? verdict.label() : ViolationSummary.of(ce.violation());
        return new Outcome(new CellResult(spec, arch, variant.fullName(), kernel, patches, mechanisms, verdict, null,
                r.exhausted(), options.preemptionBound(), r.schedules(), r.pruned(), r.outcomes(), r.violations(),
                ce == null ? null : ce.violation(), summary, 0, wall, r.outOfBudget()), ce);
    }

    /** The command line that replays {@code schedule} of this cell. */
    String replay(String schedule) {
        return ReplayLine.of(scenario, params, variant.fullName(), patched, schedule);
    }
}
