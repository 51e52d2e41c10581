package org.gupsim.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.memmodel.StoreLoadCases;

/**
 * Finds where variants disagree: among the cells of one scenario (same parameters), kernel and
 * patch set, those whose {@link CellResult#verdictClass()} differs (a variant under two memory
 * models is two cells). N/A cells take no part (the
 * scenario does not ask anything of those variants). For each disagreement it names the
 * mechanisms that differ between a variant of one group and a variant of another.
 */
public final class Disagreements {
    private Disagreements() {
    }

    private record Key(ScenarioSpec scenario, KernelVersion kernel, List<Patch> patches) {
    }

    /** The disagreements among {@code cells}, in the order of each one's first cell. */
    public static List<Disagreement> find(List<CellResult> cells) {
        Map<Key, Map<String, List<Integer>>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            CellResult c = cells.get(i);
            if (c.verdict() == CellVerdict.NOT_APPLICABLE) {
                continue;
            }
            byKey.computeIfAbsent(new Key(c.scenario(), c.kernel(), c.patches()), k -> new LinkedHashMap<>())
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
                        g.getValue().stream().map(i -> cells.get(i).who()).toList(), g.getValue()));
            }
            Key k = e.getKey();
            List<Mechanism> separating = new ArrayList<>();
            List<Mechanism> also = new ArrayList<>();
            List<Mechanism> unrelated = new ArrayList<>();
            for (Mechanism m : Mechanism.values()) {
                PairCount n = crossPairs(cells, groups, m);
                if (n.explained() == n.all()) {
                    separating.add(m);
                } else if (n.explained() > 0) {
                    also.add(m);
                } else if (n.differing() > 0) {
                    unrelated.add(m);
                }
            }
            out.add(new Disagreement(k.scenario(), k.kernel(), k.patches(), groups, separating, also, unrelated,
                    separating.contains(Mechanism.MEMORY_MODEL) || also.contains(Mechanism.MEMORY_MODEL)
                            ? orderings(cells, groups) : List.of()));
        }
        return out;
    }

    /**
     * For every pair of cells in different groups, one broken, whose memory model can explain it
     * ({@link Mechanism#reorderings}), the sentence naming what the broken cell's model relaxes;
     * each sentence once, in cell order.
     */
    private static List<String> orderings(List<CellResult> cells, List<Disagreement.Group> groups) {
        Set<String> out = new LinkedHashSet<>();
        for (int a = 0; a < groups.size(); a++) {
            for (int b = 0; b < groups.size(); b++) {
                if (a == b) {
                    continue;
                }
                for (int i : groups.get(a).cells()) {
                    for (int j : groups.get(b).cells()) {
                        CellResult broken = cells.get(i);
                        CellResult other = cells.get(j);
                        if (broken.violation() == null) {
                            continue;
                        }
                        List<StoreLoadCases.Case> cases = Mechanism.reorderings(broken.mechanisms(), other.mechanisms());
                        if (!cases.isEmpty()) {
                            out.add(ordering(broken.mechanisms().memoryModel(), other.mechanisms().memoryModel(),
                                    cases));
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code arm64 lets a later load of another location pass WRITE_ONCE(), atomic_add(); sc keeps
     * them in order}: what {@code weaker} relaxes that {@code stronger} does not.
     */
    public static String ordering(String weaker, String stronger, List<StoreLoadCases.Case> cases) {
        return weaker + " lets a later load of another location pass "
                + String.join(", ", cases.stream().map(StoreLoadCases.Case::text).toList()) + "; " + stronger
                + " keeps them in order";
    }

    /**
     * Pairs of cells in different groups: all of them, those whose variants differ in a mechanism,
     * and those where it differs and can explain the violation of either cell.
     */
    private record PairCount(int all, int differing, int explained) {
    }

    private static PairCount crossPairs(List<CellResult> cells, List<Disagreement.Group> groups, Mechanism m) {
        int all = 0;
        int differing = 0;
        int explained = 0;
        for (int a = 0; a < groups.size(); a++) {
            for (int b = a + 1; b < groups.size(); b++) {
                for (int i : groups.get(a).cells()) {
                    for (int j : groups.get(b).cells()) {
                        all++;
                        CellResult x = cells.get(i);
                        CellResult y = cells.get(j);
                        if (!x.mechanisms().differs(m, y.mechanisms())) {
                            continue;
                        }
                        differing++;
                        if (explains(m, x, y) || explains(m, y, x)) {
                            explained++;
                        }
                    }
                }
            }
        }
        return new PairCount(all, differing, explained);
    }

    /** Whether {@code m} can explain why {@code broken} ended in its violation where {@code other} did not. */
    private static boolean explains(Mechanism m, CellResult broken, CellResult other) {
        return broken.violation() != null && m.canExplain(broken.violation(), broken.mechanisms(), other.mechanisms());
    }
}
