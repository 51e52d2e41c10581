package org.gupsim.compare;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;

/**
 * What a comparison found: the axes it ran, every cell, where variants disagree, and the traces
 * the violating cells refer to. Plain data: everything but the wall times is a pure function of
 * the axes and the search, and records compare equal across runs and thread counts.
 *
 * <p>Cells are ordered kernel, then patch set, then architecture, then memory model, then
 * scenario, each in the order of its axis: for one kernel and patch set the cells read like a table
 * whose rows are the architecture variants (each under each memory model) and whose columns are the
 * scenarios.
 *
 * @param scenarios     the scenario axis, parameters resolved, each entry once
 * @param archs         the architecture axis as given, e.g. {@code arm64}, {@code x86_64:invlpgb}, each
 *                      spelling once
 * @param kernels       the kernel axis, each version once
 * @param patchSets     the patch-set axis (an empty set: no patches), each set once, sorted by name
 * @param search        how every cell was searched: strategy, seed, depth, preemption bound, budget
 *                      and the schedule cap it was turned into (see {@link Comparison})
 * @param cells         every cell, in the order above
 * @param disagreements where variants of the same scenario disagree, in cell order
 * @param traces        the traces cells refer to, numbered from 1 in cell order
 * @param wallTime      how long the whole comparison took; not part of equality
 * @param memoryModels  the memory-model axis as given ({@code sc}, {@code arch}, ...), each word once
 */
public record ComparisonReport(List<ScenarioSpec> scenarios, List<String> archs, List<KernelVersion> kernels,
                               List<List<Patch>> patchSets, Search search, List<CellResult> cells,
                               List<Disagreement> disagreements, List<NumberedTrace> traces, Duration wallTime,
                               List<String> memoryModels) {

    /** A report of a comparison without a memory-model axis: every cell under {@code sc}. */
    public ComparisonReport(List<ScenarioSpec> scenarios, List<String> archs, List<KernelVersion> kernels,
                            List<List<Patch>> patchSets, Search search, List<CellResult> cells,
                            List<Disagreement> disagreements, List<NumberedTrace> traces, Duration wallTime) {
        this(scenarios, archs, kernels, patchSets, search, cells, disagreements, traces, wallTime,
                List.of(Mechanisms.SC));
    }

    public ComparisonReport {
        Validate.isTrue(memoryModels != null && !memoryModels.isEmpty(), "memoryModels must not be empty");
        memoryModels = List.copyOf(memoryModels);
        scenarios = List.copyOf(scenarios);
        archs = List.copyOf(archs);
        kernels = List.copyOf(kernels);
        patchSets = patchSets.stream().map(Patch::sorted).toList();
        Validate.isTrue(search != null, "search must not be null");
        cells = List.copyOf(cells);
        disagreements = List.copyOf(disagreements);
        traces = List.copyOf(traces);
        wallTime = wallTime == null ? Duration.ZERO : wallTime;
    }

    /**
     * The one cell of scenario {@code scenario} on the variant whose full name or axis spelling is
     * {@code variant}, for reports with a single kernel, patch set and parameter set per scenario.
     *
     * @throws IllegalArgumentException if there is no such cell, or more than one
     */
    public CellResult cell(String scenario, String variant) {
        List<CellResult> found = cells.stream().filter(c -> c.scenario().name().equals(scenario)
                && (c.variant().equals(variant) || c.arch().equals(variant))).toList();
        Validate.isTrue(found.size() == 1, "variant %s of scenario %s matches %d cells, not one", variant, scenario,
                found.size());
        return found.get(0);
    }

    /** Whether the memory-model axis is other than {@code sc} alone: reports then name each cell's model. */
    public boolean weakMemory() {
        return !memoryModels.equals(List.of(Mechanisms.SC));
    }

    /** The trace numbered {@code number}. */
    public NumberedTrace trace(int number) {
        Validate.isTrue(number >= 1 && number <= traces.size(), "trace must be in 1..%d: %d", traces.size(), number);
        return traces.get(number - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComparisonReport r && search.equals(r.search)
                && scenarios.equals(r.scenarios) && archs.equals(r.archs) && kernels.equals(r.kernels)
                && patchSets.equals(r.patchSets) && memoryModels.equals(r.memoryModels) && cells.equals(r.cells)
                && disagreements.equals(r.disagreements) && traces.equals(r.traces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scenarios, archs, kernels, patchSets, memoryModels, search, cells, disagreements, traces);
    }
}
