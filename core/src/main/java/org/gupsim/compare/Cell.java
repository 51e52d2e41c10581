package org.gupsim.compare;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.MemoryModelChoice;
import org.gupsim.scenario.Scenario;

/**
 * One cell to run: a scenario with resolved parameters on one variant, kernel and patch set, under
 * one memory model.
 *
 * @param scenario the scenario
 * @param params   its resolved parameters
 * @param arch     the architecture as given on the axis
 * @param variant  the variant it resolved to for {@code patched}
 * @param kernel   the kernel version on the axis
 * @param patches  the patch set on the axis, sorted by name
 * @param patched  {@code kernel} with {@code patches}: what the cell runs
 * @param model    the memory model as given on the axis ({@code arch} resolves per variant)
 * @param memoryModel the memory model it resolved to for {@code variant}
 */
record Cell(Scenario scenario, Map<String, String> params, String arch, ArchVariant variant, KernelVersion kernel,
            List<Patch> patches, Kernel patched, MemoryModelChoice model, MemoryModel memoryModel) {

    /**
     * A cell's result before traces are numbered: the result with {@code trace} 0, its
     * counterexample or null, and the exploration it came from (null for N/A).
     */
    record Outcome(CellResult result, Counterexample counterexample, ExplorationResult exploration) {
    }

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

    /**
     * Runs the cell: N/A when the kernel did not have the variant or the scenario refuses it, else
     * one exploration (on {@link ExploreOptions#threads()} workers), or nothing when {@code control}
     * asks to stop. Deterministic but for the wall time.
     */
    Outcome run(Strategy strategy, ExploreOptions options, ExploreControl control) {
        Outcome na = notApplicable(options);
        if (na != null) {
            return na;
        }
        long start = System.nanoTime();
        ExplorationResult r = control.stopRequested() ? notRun(strategy)
                : exploration().explore(strategy, options, control);
        return outcome(r, options, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The N/A outcome when the kernel did not have the variant or the scenario refuses it, else null. */
    Outcome notApplicable(ExploreOptions options) {
        String refusal = refusal();
        if (refusal == null) {
            return null;
        }
        return new Outcome(new CellResult(spec(), arch, variant.fullName(), kernel, patches,
                mechanisms(), CellVerdict.NOT_APPLICABLE, refusal, false,
                options.preemptionBound(), 0, 0, null, null, null, CellVerdict.NOT_APPLICABLE.label(), 0,
                Duration.ZERO), null, null);
    }

    /** A cell a stop request kept from starting: nothing ran. */
    private static ExplorationResult notRun(Strategy strategy) {
        return new ExplorationResult(strategy.toString(), Verdict.SAFE, false, 0, 0, new TreeMap<>(), new TreeMap<>(),
                null, 0, 0, true);
    }

    /** The outcome of exploring this (applicable) cell with result {@code r}. */
    Outcome outcome(ExplorationResult r, ExploreOptions options, Duration wall) {
        Counterexample ce = r.counterexample();
        CellVerdict verdict = CellVerdict.of(r.verdict());
        String summary = ce == null ? verdict.label() : ViolationSummary.of(ce.violation());
        return new Outcome(new CellResult(spec(), arch, variant.fullName(), kernel, patches,
                mechanisms(), verdict, null, r.exhausted(), options.preemptionBound(),
                r.schedules(), r.pruned(), r.outcomes(), r.violations(), ce == null ? null : ce.violation(), summary, 0,
                wall, r.outOfBudget(), r.interrupted()), ce, r);
    }

    /** What the explorer runs for this cell. */
    Exploration exploration() {
        return new Exploration(scenario, params, variant, patched, memoryModel);
    }

    private Mechanisms mechanisms() {
        return Mechanisms.of(variant, patched, memoryModel.name());
    }

    private ScenarioSpec spec() {
        return new ScenarioSpec(scenario.name(), new TreeMap<>(params));
    }

    /** The command line that replays {@code schedule} of this cell. */
    String replay(String schedule) {
        return ReplayLine.of(scenario, params, variant.fullName(), patched, model, schedule);
    }
}
