package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.ScenarioVerdictSuite;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's verdicts on powerpc book3s64, each from an exhaustive exploration: the GUP-fast
 * scenarios are SAFE on every variant with the current kernel; freeing tables right after the
 * flush is a use-after-free wherever the flush is a {@code tlbie} broadcast (radix, and hash,
 * whose HPTE removal does not interrupt the walker either); with the radix IPI multicast the
 * flush waits for the IRQ-off walker, so it is SAFE; walking with IRQs on is a use-after-free
 * everywhere.
 */
class PpcScenarioVerdictTest extends ScenarioVerdictSuite {
    static final List<String> BROADCAST = List.of("ppc64:radix-64k", "ppc64:radix-4k", "ppc64:hash-64k");
    static final List<String> IPI = List.of("ppc64:radix-64k+ipi", "ppc64:radix-4k+ipi");

    @Override
    protected List<Row> rows() {
        List<Row> b = new ArrayList<>();
        for (String v : Stream.concat(BROADCAST.stream(), IPI.stream()).toList()) {
            for (String s : List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict")) {
                b.add(Row.safe(s, v, "latest"));
            }
            b.add(Row.violation("gup-fast-vs-munmap", v, "latest", ViolationKind.USE_AFTER_FREE, "table",
                    GupPatches.NO_IRQ_DISABLE));
            // A hugetlb folio of the default huge size (2M radix, 16M hash) and a shared ext4 file.
            b.add(Row.safe("gup-fast-vs-truncate", Map.of("backing", "hugetlb"), v, "latest"));
            b.add(Row.safe("gup-fast-vs-munmap", Map.of("backing", "ext4", "pages", "3"), v, "latest"));
        }
        for (String v : BROADCAST) {
            b.add(Row.violation("gup-fast-vs-munmap", v, "latest", ViolationKind.USE_AFTER_FREE, "table",
                    TlbPatches.IMMEDIATE_TABLE_FREE));
        }
        for (String v : IPI) {
            b.add(Row.safe("gup-fast-vs-munmap", v, "latest", TlbPatches.IMMEDIATE_TABLE_FREE));
        }
        return b;
    }

    /** The two lists are every variant there is, so that none is left out of the rows. */
    @Test
    void theRowsCoverEveryVariant() {
        List<String> all = GupArbitraries.variantSpecs("ppc64").stream().sorted().toList();
        assertEquals(all, Stream.concat(BROADCAST.stream(), IPI.stream()).sorted().toList());
        for (String v : BROADCAST) {
            assertEquals(BroadcastFlush.PROMISE, Worlds.variant(v, KernelVersion.LATEST).shootdown(), v);
        }
        for (String v : IPI) {
            assertEquals("IPI-MULTICAST", Worlds.variant(v, KernelVersion.LATEST).shootdown().name(), v);
        }
    }
}
