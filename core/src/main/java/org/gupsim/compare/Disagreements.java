package org.gupsim.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Mutant;

/**
 * Finds where variants disagree: among the cells of one scenario (same parameters), kernel and
 * mutant set, those whose {@link CellResult#verdictClass()} differs. N/A cells take no part (the
 * scenario does not ask anything of those variants). For each disagreement it names the
 * mechanisms that differ between a variant of one group and a variant of another.
 */
final class Disagreements {
    private Disagreements() {
    }

    private record Key(ScenarioSpec scenario, KernelVersion kernel, Set<Mutant> mutants) {
    }

    /** The disagreements among {@code cells}, in the order of each one's first cell. */
    static List<Disagreement> find(List<CellResult> cells) {
        Map<Key, Map<String, List<Integer>>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            CellResult c = cells.get(i);
            if (c.verdict() == CellVerdict.NOT_APPLICABLE) {
                continue;
            }
            byKey.computeIfAbsent(new Key(c.scenario(), c.kernel(), c.mutants()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(c.verdictClass(), k -> new ArrayList<>()).add(i);
        }
        List<Disagreement> out = new ArrayList<>();
        for (Map.Entry<Key, Map<String, List<Integer>>> e : byKey.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            List<Disagreement.Group> groups = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> g : e.getValue().entrySet()) {
                groups.add(new Disagreement.Group(g.getKey(),
                        g.getValue().stream().map(i -> cells.get(i).variant()).toList(), g.getValue()));
            }
            Key k = e.getKey();
            List<Mechanism> separating = new ArrayList<>();
            List<Mechanism> also = new ArrayList<>();
            for (Mechanism m : Mechanism.values()) {
                int differing = crossPairsDiffering(cells, groups, m);
                if (differing == crossPairs(groups)) {
                    separating.add(m);
                } else if (differing > 0) {
                    also.add(m);
                }
            }
            out.add(new Disagreement(k.scenario(), k.kernel(), k.mutants(), groups, separating, also));
        }
        return out;
    }

    /** Pairs of cells in different groups. */
    private static int crossPairs(List<Disagreement.Group> groups) {
        int pairs = 0;
        for (int a = 0; a < groups.size(); a++) {
            for (int b = a + 1; b < groups.size(); b++) {
                pairs += groups.get(a).cells().size() * groups.get(b).cells().size();
            }
        }
        return pairs;
    }

    /** Pairs of cells in different groups whose variants differ in {@code m}. */
    private static int crossPairsDiffering(List<CellResult> cells, List<Disagreement.Group> groups, Mechanism m) {
        int differing = 0;
        for (int a = 0; a < groups.size(); a++) {
            for (int b = a + 1; b < groups.size(); b++) {
                for (int i : groups.get(a).cells()) {
                    for (int j : groups.get(b).cells()) {
                        Mechanisms x = cells.get(i).mechanisms();
                        Mechanisms y = cells.get(j).mechanisms();
                        if (!x.value(m).equals(y.value(m))) {
                            differing++;
                        }
                    }
                }
            }
        }
        return differing;
    }
}
