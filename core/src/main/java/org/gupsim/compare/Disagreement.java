package org.gupsim.compare;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;

/**
 * Variants (or one variant under several memory models) on which the same scenario, with the same
 * parameters, kernel and patches, ends differently (different verdict, a different kind of violation, or a use-after-free of a different
 * kind of object), and the mechanisms in which the variants of different groups differ, sorted by
 * whether they can explain the difference ({@link Mechanism#canExplain}).
 *
 * @param scenario   the scenario and its parameters
 * @param kernel     the kernel version
 * @param patches    the patches applied, sorted by name
 * @param groups     the variants grouped by what they concluded, in the order of their first cell
 * @param mechanisms the mechanisms that separate the groups and can explain the difference: every
 *                   variant of one group differs in it from every variant of every other group, and
 *                   for every such pair it can explain the violation (the candidates for the
 *                   cause), in {@link Mechanism} order
 * @param alsoDiffer mechanisms that can explain the difference for some pairs of variants of
 *                   different groups but do not separate the groups (some variants on both sides
 *                   share a value, or for some pairs it cannot explain the violation), in
 *                   {@link Mechanism} order
 * @param unrelated  mechanisms that differ between variants of different groups but cannot explain
 *                   the violation for any such pair: coincidences, e.g. table freeing beside a
 *                   use-after-free of an address space; in {@link Mechanism} order
 * @param orderings  where {@link Mechanism#MEMORY_MODEL} explains it: for each pair of models of a
 *                   broken and a safe cell, the orderings the broken cell's model relaxes and the
 *                   other's keeps, as a sentence ({@link Disagreements#ordering}); in cell order
 */
public record Disagreement(ScenarioSpec scenario, KernelVersion kernel, List<Patch> patches, List<Group> groups,
                           List<Mechanism> mechanisms, List<Mechanism> alsoDiffer, List<Mechanism> unrelated,
                           List<String> orderings) {

    /** A disagreement no memory model explains. */
    public Disagreement(ScenarioSpec scenario, KernelVersion kernel, List<Patch> patches, List<Group> groups,
                        List<Mechanism> mechanisms, List<Mechanism> alsoDiffer, List<Mechanism> unrelated) {
        this(scenario, kernel, patches, groups, mechanisms, alsoDiffer, unrelated, List.of());
    }

    public Disagreement {
        orderings = List.copyOf(orderings);
        Validate.isTrue(scenario != null, "scenario must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(groups != null && groups.size() >= 2, "groups must hold at least two verdicts");
        patches = Patch.sorted(patches == null ? List.of() : patches);
        groups = List.copyOf(groups);
        mechanisms = List.copyOf(mechanisms);
        alsoDiffer = List.copyOf(alsoDiffer);
        unrelated = List.copyOf(unrelated);
    }

    /**
     * Variants that agree with each other.
     *
     * @param verdictClass what they concluded ({@link CellResult#verdictClass()})
     * @param variants     their full names, with the memory model where it is not {@code sc}
     *                     ({@link CellResult#who()}), in cell order
     * @param cells        their indexes in {@link ComparisonReport#cells()}
     */
    public record Group(String verdictClass, List<String> variants, List<Integer> cells) {
        public Group {
            Validate.isTrue(verdictClass != null, "verdictClass must not be null");
            variants = List.copyOf(variants);
            cells = List.copyOf(cells);
        }
    }
}
