package com.example.gupsim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantRecipe;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.BackendPromises;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;
import org.junit.jupiter.api.Test;

/** The user backend of this project: found through ServiceLoader, true to its promise, and explored. */
class HypervVariantTest {
    private static final Kernel TABLES_FREED_AT_ONCE =
            KernelVersion.LATEST.with(KernelCatalogue.get().patch("immediate-table-free"));

    private static Exploration munmap(Kernel kernel) {
        Scenario s = Scenarios.get("gup-fast-vs-munmap");
        return new Exploration(s, s.resolve(Map.of()), Worlds.variant("x86_64:hyperv", kernel), kernel);
    }

    /** The hypercall reaches the whole mask, lazy vCPUs too, and does not wait for one with IRQs off, as declared. */
    @Test
    void theBackendKeepsItsPromise() {
        ArchVariant hyperv = Worlds.variant("x86_64:hyperv", KernelVersion.LATEST);
        assertEquals(HypervFlush.PROMISE, hyperv.shootdown());
        assertEquals(List.of(), BackendPromises.contradictions(hyperv));
    }

    /** The same flush declared as an IPI that waits for IRQ-off CPUs is caught. */
    @Test
    void aFalseDeclarationIsCaught() {
        FlushBackend liar = new FlushBackend() {
            public ShootdownPromise promise() {
                return ShootdownPromise.ipi("LIAR", ShootdownPromise.Reach.MM_CPUMASK);
            }

            public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
                new HypervFlush().flushTlbMmRange(mm, start, end, freedTables);
            }
        };
        VariantRecipe recipe = new VariantRecipe("x86_64", "liar", "declares what it does not do", "paravirt",
                () -> liar, () -> new RcuTableFree(true), VariantRecipe.Availability.ALWAYS);
        ArchVariant v = Worlds.registry().compose(recipe, List.of(), KernelVersion.LATEST);
        assertEquals(List.of("LIAR did not wait for a CPU with IRQs off, but promises to wait"),
                BackendPromises.contradictions(v));
    }

    /** As the kernel runs it: the IRQ-off walk holds the RCU grace period open, so no table is freed under it. */
    @Test
    void safeWithRcuTableFreeing() {
        Explorations.assertSafe(munmap(KernelVersion.LATEST));
    }

    /**
     * Freed right after the flush (the patch immediate-table-free), nothing waits for the IRQ-off
     * walker: the flaw a37259732a7d names ("some paravirt TLB flush implementations handle the TLB
     * flush in the hypervisor, and will do the flush even when the target CPU has interrupts disabled").
     */
    @Test
    void walksAFreedTableWhenTablesAreFreedAtOnce() {
        Explorations.assertViolation(munmap(TABLES_FREED_AT_ONCE), ViolationKind.USE_AFTER_FREE, "table");
    }
}
