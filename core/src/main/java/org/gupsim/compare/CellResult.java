package org.gupsim.compare;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.Violation;

/**
 * One cell of a comparison: one scenario (with parameters) on one architecture variant, kernel
 * version and patch set. Everything but {@link #wallTime} is a pure function of the cell and the
 * comparison's strategy and schedule cap, so {@link #equals} and {@link #hashCode} leave the wall
 * time out: two runs of the same comparison give equal cells.
 *
 * @param scenario   the scenario and its resolved parameters
 * @param arch       the architecture as given on the axis, e.g. {@code arm64} or {@code x86_64:invlpgb}
 * @param variant    the variant's full name for this kernel, e.g. {@code arm64:4k-48}
 * @param kernel     the kernel version
 * @param patches    the patches applied to the kernel, sorted by name
 * @param mechanisms the variant's mechanisms (flush style, table freeing, page tables, options)
 * @param verdict    the verdict, {@link CellVerdict#NOT_APPLICABLE} where the scenario refuses the variant
 * @param reason     why the scenario refuses the variant (its {@code checkArch} message), else null
 * @param exhausted  true when the depth-first search covered the whole space under the cap (within
 *                   {@code preemptionBound} when there is one)
 * @param preemptionBound the most preemptions a schedule of the search could have, or -1 for no
 *                   bound; with a bound, exhausted means every schedule within it, not every one
 * @param schedules  executions run, pruned ones included
 * @param pruned     executions the partial-order reduction abandoned part-way
 * @param outcomes   observed outcome → executions that finished with it
 * @param violations violation kind → executions that ended with it
 * @param violation  the first (reported) violation, or null when there is none
 * @param summary    the cell's short verdict text, e.g. {@code SAFE}, {@code UAF page-table},
 *                   {@code DEADLOCK} or {@code N/A}
 * @param trace      the number of the report's {@link NumberedTrace} that shows {@link #violation},
 *                   or 0 when there is none
 * @param wallTime   how long the cell took; not part of equality, shown only when timings are asked for
 * @param outOfBudget executions cut off by the step budget (no verdict for them; the cell is then
 *                   not exhausted and says {@code partial: step budget})
 * @param interrupted a stop (Ctrl-C) ended the cell's exploration early, or kept it from starting:
 *                   the cell says {@code partial: interrupted}
 */
public record CellResult(ScenarioSpec scenario, String arch, String variant, KernelVersion kernel, List<Patch> patches,
                         Mechanisms mechanisms, CellVerdict verdict, String reason, boolean exhausted,
                         int preemptionBound, long schedules, long pruned, SortedMap<String, Long> outcomes,
                         SortedMap<String, Long> violations, Violation violation, String summary, int trace,
                         Duration wallTime, long outOfBudget, boolean interrupted) {

    public CellResult {
        Validate.isTrue(scenario != null, "scenario must not be null");
        Validate.isTrue(arch != null, "arch must not be null");
        Validate.isTrue(variant != null, "variant must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(mechanisms != null, "mechanisms must not be null");
        Validate.isTrue(verdict != null, "verdict must not be null");
        Validate.isTrue(summary != null, "summary must not be null");
        Validate.isTrue(trace >= 0, "trace must not be negative: %d", trace);
        Validate.isTrue(preemptionBound >= -1, "preemptionBound must be -1 or more: %d", preemptionBound);
        Validate.isTrue((verdict == CellVerdict.NOT_APPLICABLE) == (reason != null),
                "reason must be given exactly when the verdict is N/A");
        patches = Patch.sorted(patches == null ? List.of() : patches);
        outcomes = Collections.unmodifiableSortedMap(new TreeMap<>(outcomes == null ? new TreeMap<>() : outcomes));
        violations = Collections.unmodifiableSortedMap(
                new TreeMap<>(violations == null ? new TreeMap<>() : violations));
        wallTime = wallTime == null ? Duration.ZERO : wallTime;
        Validate.isTrue(outOfBudget >= 0, "outOfBudget must not be negative: %d", outOfBudget);
    }

    /** A cell none of whose executions was cut off by the step budget. */
    public CellResult(ScenarioSpec scenario, String arch, String variant, KernelVersion kernel, List<Patch> patches,
                      Mechanisms mechanisms, CellVerdict verdict, String reason, boolean exhausted,
                      int preemptionBound, long schedules, long pruned, SortedMap<String, Long> outcomes,
                      SortedMap<String, Long> violations, Violation violation, String summary, int trace,
                      Duration wallTime) {
        this(scenario, arch, variant, kernel, patches, mechanisms, verdict, reason, exhausted, preemptionBound,
                schedules, pruned, outcomes, violations, violation, summary, trace, wallTime, 0, false);
    }

    /**
     * What disagreement detection compares: the verdict and, for a violation, its kind and subject,
     * e.g. {@code SAFE}, {@code VIOLATION USE_AFTER_FREE address-space} or {@code DEADLOCK DEADLOCK}.
     * A use-after-free of a page table and one of a folio are different answers.
     */
    public String verdictClass() {
        if (violation == null) {
            return verdict.label();
        }
        String s = verdict.label() + " " + violation.kind();
        return violation.subject().isEmpty() ? s : s + " " + violation.subject();
    }

    /**
     * The cell as a table shows it: {@code SAFE (412, all)}, {@code SAFE (5000, partial)} (the
     * schedule cap), {@code SAFE (20, partial: step budget)} (some executions were cut off),
     * {@code SAFE (300, partial: interrupted)} (Ctrl-C),
     * {@code UAF page-table (trace #3)}, {@code N/A}; under a preemption bound the extent says so,
     * {@code SAFE (2, all ≤0 preemptions)}, because it is not every interleaving.
     */
    public String text() {
        if (trace > 0) {
            return summary + " (trace #" + trace + ")";
        }
        if (verdict == CellVerdict.NOT_APPLICABLE) {
            return summary;
        }
        String extent = exhausted ? "all" : interrupted ? "partial: interrupted"
                : outOfBudget > 0 ? "partial: step budget" : "partial";
        if (preemptionBound >= 0) {
            extent += " " + Search.bounded(preemptionBound);
        }
        return summary + " (" + schedules + ", " + extent + ")";
    }

    /**
     * The row a table shows the cell in: the variant, and the memory model when it is not
     * {@code sc}, e.g. {@code arm64:4k-48} or {@code arm64:4k-48 under arm64}.
     */
    public String who() {
        String model = mechanisms.memoryModel();
        return model.equals(Mechanisms.SC) ? variant : variant + " under " + model;
    }

    /** A copy numbered with {@code trace}. */
    public CellResult withTrace(int number) {
        return new CellResult(scenario, arch, variant, kernel, patches, mechanisms, verdict, reason, exhausted,
                preemptionBound, schedules, pruned, outcomes, violations, violation, summary, number, wallTime,
                outOfBudget, interrupted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellResult c && exhausted == c.exhausted && preemptionBound == c.preemptionBound
                && schedules == c.schedules
                && pruned == c.pruned && outOfBudget == c.outOfBudget && interrupted == c.interrupted
                && trace == c.trace && scenario.equals(c.scenario)
                && arch.equals(c.arch)
                && variant.equals(c.variant) && kernel == c.kernel && patches.equals(c.patches)
                && mechanisms.equals(c.mechanisms) && verdict == c.verdict && Objects.equals(reason, c.reason)
                && outcomes.equals(c.outcomes) && violations.equals(c.violations)
                && Objects.equals(violation, c.violation) && summary.equals(c.summary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scenario, arch, variant, kernel, patches, mechanisms, verdict, reason, exhausted,
                preemptionBound, schedules, pruned, outcomes, violations, violation, summary, trace, outOfBudget,
                interrupted);
    }
}
