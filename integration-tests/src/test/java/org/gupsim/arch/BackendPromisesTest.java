package org.gupsim.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.gup.KernelVersion;
import org.gupsim.testkit.BackendPromises;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.tlb.TableFreePromise;
import org.gupsim.tlb.TlbMm;
import org.junit.jupiter.api.Test;

/** Every registered variant's backends keep the promises the comparison reasons from; a liar is caught. */
class BackendPromisesTest {
    private static final ArchRegistry REGISTRY = ArchRegistry.load();

    /** Every variant and every variant with one option, where the architecture takes it. */
    private static List<ArchVariant> everyVariant() {
        List<ArchVariant> out = new ArrayList<>();
        for (Architecture a : REGISTRY.architectures()) {
            for (String v : REGISTRY.variants(a)) {
                out.add(REGISTRY.variant(a, v, KernelVersion.LATEST));
                for (String o : a.options()) {
                    try {
                        out.add(REGISTRY.variant(a, v + "+" + o, KernelVersion.LATEST));
                    } catch (IllegalArgumentException notForThisBase) {
                        // e.g. +lpa2 on a 64K granule, +ipi on hash
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyRegisteredBackendKeepsItsPromises() {
        List<ArchVariant> all = everyVariant();
        assertTrue(all.size() > 20, "variants found: " + all.size());
        for (ArchVariant v : all) {
            assertEquals(List.of(), BackendPromises.contradictions(v), v.fullName());
        }
    }

    /** Declares the IPI promise but flushes by broadcast: it never waits for anybody. */
    private static final class LyingFlush implements FlushBackend {
        @Override
        public ShootdownPromise promise() {
            return IpiFlush.PROMISE;
        }

        @Override
        public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
            BroadcastFlush.broadcast(mm);
        }
    }

    /** Declares RCU table freeing but frees right after the flush. */
    private static final class LyingTables implements TableFreePolicy {
        private final ImmediateTableFree real = new ImmediateTableFree();

        @Override
        public TableFreePromise promise() {
            return RcuTableFree.PROMISE;
        }

        @Override
        public void removeTable(org.gupsim.tlb.MmuGather tlb, org.gupsim.pgtable.PageTable table) {
            real.removeTable(tlb, table);
        }

        @Override
        public void flushTables(org.gupsim.tlb.MmuGather tlb) {
            real.flushTables(tlb);
        }
    }

    @Test
    void aBackendThatBreaksItsPromiseIsCaught() {
        VariantRecipe liar = new VariantRecipe("x86_64", "liar", "says IPI, does broadcast; says RCU, frees at once",
                "native-rcu", LyingFlush::new, LyingTables::new, VariantRecipe.Availability.ALWAYS);
        List<String> found = BackendPromises.contradictions(REGISTRY.compose(liar, List.of(), KernelVersion.LATEST));
        assertTrue(found.stream().anyMatch(s -> s.contains("did not wait for a CPU with IRQs off")), found.toString());
        assertTrue(found.stream().anyMatch(s -> s.contains("reached a CPU outside mm_cpumask")), found.toString());
        assertTrue(found.stream().anyMatch(s -> s.contains("table freeing waited for nothing")), found.toString());
    }

    @Test
    void aComposedVariantTakesItsPageTablesAndOptionsFromTheArchitecture() {
        VariantRecipe bcast = new VariantRecipe("x86_64", "bcast-immediate", "broadcast, immediate freeing",
                "native", BroadcastFlush::new, ImmediateTableFree::new, VariantRecipe.Availability.ALWAYS);
        ComposedVariant v = REGISTRY.compose(bcast, List.of("la57"), KernelVersion.LATEST);
        assertEquals("x86_64:bcast-immediate+la57", v.fullName());
        assertEquals(5, v.newMmGeometry().levels());
        assertEquals("BROADCAST", v.shootdown().name());
        assertEquals("IMMEDIATE", v.tableFreeing().name());
        assertEquals(List.of(), BackendPromises.contradictions(v));
        assertFalse(v.equals(REGISTRY.compose(bcast, List.of(), KernelVersion.LATEST)));
    }

    @Test
    void aCompositionWithUnknownPartsIsRefusedNamingThem() {
        VariantRecipe noTables = new VariantRecipe("x86_64", "x", "", "radix-64k", BroadcastFlush::new,
                ImmediateTableFree::new, VariantRecipe.Availability.ALWAYS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.compose(noTables, List.of(), KernelVersion.LATEST));
        assertEquals("variant 'x' takes its page tables from 'radix-64k', which is not a x86_64 variant "
                + "(one of [native, native-rcu, paravirt, invlpgb])", e.getMessage());
        VariantRecipe noArch = new VariantRecipe("riscv", "x", "", "sv48", BroadcastFlush::new,
                ImmediateTableFree::new, VariantRecipe.Availability.ALWAYS);
        assertThrows(IllegalArgumentException.class, () -> REGISTRY.compose(noArch, List.of(), KernelVersion.LATEST));
        VariantRecipe ok = new VariantRecipe("x86_64", "y", "", "native", BroadcastFlush::new,
                ImmediateTableFree::new, VariantRecipe.Availability.ALWAYS);
        assertThrows(IllegalArgumentException.class, () -> REGISTRY.compose(ok, List.of("lpa2"), KernelVersion.LATEST));
        // An option the page tables refuse is reported under the composed variant's name, not only theirs.
        e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.compose(ok, List.of("few-cpus"), KernelVersion.LATEST));
        assertTrue(e.getMessage().startsWith("variant 'y+few-cpus' takes its page tables from 'native': variant option "
                + "'few-cpus' needs the invlpgb base"), e.getMessage());
    }
}
