package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The verdicts of scenarios on one architecture, as a table: each row a scenario (with
 * parameters) on a variant, kernel and patch set, and the verdict the kernel gives there. An
 * architecture module's test subclasses this and writes its rows ({@link #rows}); every row is
 * then explored exhaustively and its verdict checked with its evidence ({@link Explorations}): a
 * SAFE row must be safe over the whole space with every execution pinning (an outcome
 * {@code pinned=...}), a VIOLATION row must find the violation of its kind where it says and
 * replay it to the same trace. The first rows are explored twice too: the same inputs must give
 * the same result.
 *
 * <pre>{@code
 * class Arm64ScenarioVerdictTest extends ScenarioVerdictSuite {
 *     protected List<Row> rows() {
 *         return List.of(Row.safe("gup-fast-vs-munmap", "arm64:4k-48", "latest"),
 *                 Row.violation("gup-fast-vs-munmap", "arm64:4k-48", "latest", ViolationKind.USE_AFTER_FREE,
 *                         "table", TlbPatches.IMMEDIATE_TABLE_FREE));
 *     }
 * }
 * }</pre>
 */
public abstract class ScenarioVerdictSuite {
    /** How many of the first rows are explored twice, for determinism. */
    static final int TWICE = 3;

    /**
     * One row of the table.
     *
     * @param scenario the scenario's name
     * @param params   its parameters that differ from the defaults (sorted, so the row's name is stable)
     * @param variant  the full variant spec, e.g. {@code x86_64:invlpgb}
     * @param kernel   the kernel label, e.g. {@code 6.5}
     * @param patches  the patches applied to it
     * @param verdict  the verdict the kernel gives: SAFE or VIOLATION
     * @param kind     for a VIOLATION, its kind; null for SAFE
     * @param where    for a VIOLATION, a fragment of its message (what was touched, or by whom)
     */
    public record Row(String scenario, Map<String, String> params, String variant, String kernel,
                      List<Patch> patches, Verdict verdict, ViolationKind kind, String where) {
        public Row {
            Validate.isTrue(scenario != null && variant != null && kernel != null,
                    "scenario, variant and kernel must not be null");
            params = new TreeMap<>(params == null ? Map.of() : params);
            patches = List.copyOf(patches == null ? List.of() : patches);
            Validate.isTrue(verdict == Verdict.SAFE || verdict == Verdict.VIOLATION,
                    "verdict must be SAFE or VIOLATION, was %s", verdict);
            Validate.isTrue((verdict == Verdict.VIOLATION) == (kind != null && where != null),
                    "a VIOLATION row needs its kind and where, a SAFE row neither");
        }

        /** A SAFE row without parameters. */
        public static Row safe(String scenario, String variant, String kernel, Patch... patches) {
            return safe(scenario, Map.of(), variant, kernel, patches);
        }

        /** A SAFE row. */
        public static Row safe(String scenario, Map<String, String> params, String variant, String kernel,
                               Patch... patches) {
            return new Row(scenario, params, variant, kernel, List.of(patches), Verdict.SAFE, null, null);
        }

        /** A VIOLATION row without parameters. */
        public static Row violation(String scenario, String variant, String kernel, ViolationKind kind, String where,
                                    Patch... patches) {
            return violation(scenario, Map.of(), variant, kernel, kind, where, patches);
        }

        /** A VIOLATION row. */
        public static Row violation(String scenario, Map<String, String> params, String variant, String kernel,
                                    ViolationKind kind, String where, Patch... patches) {
            return new Row(scenario, params, variant, kernel, List.of(patches), Verdict.VIOLATION, kind, where);
        }

        /** The exploration the row asks about. */
        public Exploration exploration() {
            KernelVersion k = KernelVersion.parse(kernel);
            return new Exploration(Scenarios.get(scenario), params, Worlds.variant(variant, k), k.with(patches));
        }

        @Override
        public String toString() {
            return scenario + (params.isEmpty() ? "" : params.toString()) + " " + variant + " " + kernel
                    + (patches.isEmpty() ? "" : " " + patches.stream().map(Patch::name).toList()) + " -> " + verdict
                    + (kind != null ? " " + kind + " " + where : "");
        }
    }

    /** The rows of this architecture's table. */
    protected abstract List<Row> rows();

    @TestFactory
    Stream<DynamicTest> verdicts() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> check(r)));
    }

    @TestFactory
    Stream<DynamicTest> theSameExplorationTwiceGivesTheSameResult() {
        return rows().stream().limit(TWICE).map(r -> DynamicTest.dynamicTest(r.toString(),
                () -> assertEquals(r.exploration().explore().render(), r.exploration().explore().render())));
    }

    /** Explores {@code r} and checks its verdict with the evidence. */
    public static void check(Row r) {
        Exploration e = r.exploration();
        if (r.verdict() == Verdict.SAFE) {
            ExplorationResult result = Explorations.assertSafe(e);
            assertTrue(!result.outcomes().isEmpty()
                    && result.outcomes().keySet().stream().allMatch(o -> o.startsWith("pinned=")), result.render());
        } else {
            Explorations.assertViolation(e, r.kind(), r.where());
        }
    }
}
