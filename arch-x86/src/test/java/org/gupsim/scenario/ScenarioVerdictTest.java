package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.GupPatches;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.SmpPatches;
import org.gupsim.testkit.ScenarioVerdictSuite;
import org.gupsim.tlb.TlbPatches;

/**
 * The verdicts of issue 3, each from an exhaustive exploration (partial-order reduction) on
 * x86-64. Expected values follow the kernel's reasoning: who waits for whom at a flush, and which
 * RCU flavour a free waits for. Two lines of the issue were refined by exploration and the
 * sources (see the issue note): 6.6+ runs the GUP-fast mapping check under pte_offset_map()'s
 * rcu_read_lock(), and the pre-6.10 folio_is_secretmem() check leaves the seed patch exposed
 * under split RCU flavours.
 */
class ScenarioVerdictTest extends ScenarioVerdictSuite {

    @Override
    protected List<Row> rows() {
        String munmap = "gup-fast-vs-munmap";
        String truncate = "gup-fast-vs-truncate";
        String evict = "gup-fast-vs-evict";
        List<String> all = List.of("x86_64:native", "x86_64:native-rcu", "x86_64:paravirt", "x86_64:invlpgb");
        List<Row> b = new ArrayList<>();
        for (String v : all) {
            // Every x86 variant is safe on the latest kernel that has it (native: the last before 6.15).
            String k = current(v);
            b.add(Row.safe(munmap, v, k));
            b.add(Row.safe(truncate, v, k));
            b.add(Row.safe(evict, v, k));
            // Without IRQs off, nothing holds a flush or a grace period back.
            b.add(Row.violation(munmap, v, k, ViolationKind.USE_AFTER_FREE, "table", GupPatches.NO_IRQ_DISABLE));
            // 6.6+: the mapping check runs inside pte_offset_map()'s rcu_read_lock().
            b.add(Row.safe(evict, v, k, SmpPatches.SPLIT_RCU_FLAVORS));
        }
        // Freeing tables right after the flush is fine only where the flush waited for the walker.
        b.add(Row.safe(munmap, "x86_64:native", "6.10", TlbPatches.IMMEDIATE_TABLE_FREE));
        b.add(Row.safe(munmap, "x86_64:native-rcu", "latest", TlbPatches.IMMEDIATE_TABLE_FREE));
        for (String v : List.of("x86_64:invlpgb", "x86_64:paravirt")) {
            b.add(Row.violation(munmap, v, "latest", ViolationKind.USE_AFTER_FREE, "table",
                    TlbPatches.IMMEDIATE_TABLE_FREE));
        }
        // No batch page: tlb_remove_table_one() IPIs every CPU and waits, which the IRQ-off walker
        // holds up even where the flush itself was a broadcast.
        b.add(Row.safe(munmap, Map.of("table-batch", "fail"), "x86_64:invlpgb", "latest"));
        b.add(Row.violation(munmap, Map.of("table-batch", "fail"), "x86_64:invlpgb", "latest",
                ViolationKind.USE_AFTER_FREE, "table", GupPatches.NO_IRQ_DISABLE));
        // 6.4 has no rule: a long-term write pin of a shared ext4 mapping is taken, whatever the
        // flush (an IPI with native, none for a preempted vCPU with paravirt, the two 6.4 had);
        // the current kernel refuses it on every variant.
        for (String v : all) {
            if (v.equals("x86_64:native") || v.equals("x86_64:paravirt")) {
                b.add(Row.violation(truncate, Map.of("backing", "ext4"), v, "6.4",
                        ViolationKind.LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED, "ext4"));
            }
            b.add(Row.safe(truncate, Map.of("backing", "ext4"), v, current(v)));
        }
        // Pre-4.20 RCU: IRQ-off no longer holds off the inode's call_rcu(). Where the flush waits
        // for the walker (IPI) it is still safe; where it does not (a preempted vCPU), 6.5's
        // mapping check dereferences a freed address space (shmem_mapping()); on the seed posting
        // its rcu_read_lock() protects its own check, but folio_is_secretmem() (5.14-6.9)
        // dereferences the mapping under IRQ-off alone.
        for (String k : List.of("v6-patch", "6.5")) {
            b.add(Row.safe(evict, "x86_64:native", k, SmpPatches.SPLIT_RCU_FLAVORS));
        }
        b.add(Row.violation(evict, "x86_64:paravirt", "6.5", ViolationKind.USE_AFTER_FREE, "shmem_mapping",
                SmpPatches.SPLIT_RCU_FLAVORS));
        b.add(Row.violation(evict, "x86_64:paravirt", "v6-patch", ViolationKind.USE_AFTER_FREE,
                "folio_is_secretmem", SmpPatches.SPLIT_RCU_FLAVORS));
        return b;
    }

    /**
     * The latest kernel that has {@code variant}: {@code native} (tables freed right after the
     * flush) is x86 before a37259732a7d, so 6.10; the others exist on the latest.
     */
    static String current(String variant) {
        return variant.equals("x86_64:native") ? "6.10" : "latest";
    }
}
