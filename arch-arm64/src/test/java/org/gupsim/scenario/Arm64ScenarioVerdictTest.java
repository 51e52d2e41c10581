package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.ScenarioVerdictSuite;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's verdicts on every arm64 variant, each from an exhaustive exploration: the current
 * kernel is safe against munmap, truncate and eviction; freeing tables right after the broadcast
 * TLBI (which waits for no CPU) lets GUP-fast read a freed table; and without IRQs off nothing
 * holds a grace period back either. On 6.10, 16k-52 has the stray stack read of 36639013b346.
 */
class Arm64ScenarioVerdictTest extends ScenarioVerdictSuite {

    @Override
    protected List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String v : GupArbitraries.variantSpecs("arm64", KernelVersion.LATEST)) {
            for (String s : List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict")) {
                rows.add(Row.safe(s, v, "latest"));
            }
            rows.add(Row.violation("gup-fast-vs-munmap", v, "latest", ViolationKind.USE_AFTER_FREE, "table",
                    TlbPatches.IMMEDIATE_TABLE_FREE));
            rows.add(Row.violation("gup-fast-vs-munmap", v, "latest", ViolationKind.USE_AFTER_FREE, "table",
                    GupPatches.NO_IRQ_DISABLE));
        }
        return rows;
    }

    /**
     * 36639013b346 is not a race: on the released 6.10, 16k-52 without LPA2 reads a stack word
     * through its run-time folded PUD in the first schedule of every scenario; 6.15 has the fix.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict"})
    void sixTenReadsTheStackOn16k52AndSixFifteenIsSafe(String scenario) {
        KernelVersion old = KernelVersion.V6_10;
        Exploration e = new Exploration(Scenarios.get(scenario), Map.of(), Worlds.variant("arm64:16k-52", old), old);
        var cx = Explorations.assertViolation(e, ViolationKind.BUG_ON, "pud_offset_lockless() aligned its stack copy");
        assertEquals(Violation.STACK, cx.violation().subject());
        KernelVersion fixed = KernelVersion.V6_15;
        Explorations.assertSafe(new Exploration(Scenarios.get(scenario), Map.of(),
                Worlds.variant("arm64:16k-52", fixed), fixed));
    }

    @Test
    void everyVariantIsABroadcastFlushWithRcuTableFreeing() {
        for (String v : GupArbitraries.variantSpecs("arm64", KernelVersion.LATEST)) {
            var a = Worlds.variant(v, KernelVersion.LATEST);
            assertEquals(BroadcastFlush.PROMISE, a.shootdown(), v);
            assertEquals(RcuTableFree.PROMISE, a.tableFreeing(), v);
        }
    }
}
