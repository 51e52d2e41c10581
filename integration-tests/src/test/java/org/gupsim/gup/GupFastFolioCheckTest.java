package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.Counterexample;
import org.gupsim.fs.AddressSpace;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.gupsim.scenario.World;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.SmpPatches;
import org.gupsim.testkit.Explorations;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;

/** A GUP-fast check written against the primitives facade runs, explores and traces like the kernel's own. */
class GupFastFolioCheckTest {

    /** The v6 posting's check in try_grab_folio(), without its rcu_read_lock(): as a user would write it. */
    private static final GupFastFolioCheck V6_WITHOUT_RCU = new GupFastFolioCheck() {
        @Override
        public String name() {
            return "v6_without_rcu";
        }

        @Override
        public Placement placement() {
            return Placement.IN_TRY_GRAB;
        }

        @Override
        public boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k) {
            int lw = Foll.LONGTERM.bit() | Foll.WRITE.bit();
            if ((gupFlags & lw) != lw || k.folioTestHugetlb(folio)) {
                return true;
            }
            AddressSpace mapping = k.folioMapping(folio);
            return k.folioTestAnon(folio) || (mapping != null && k.shmemMapping(mapping));
        }
    };

    private static final Patch PATCH = Patch.builder("v6-without-rcu")
            .description("the v6 check in try_grab_folio() without its rcu_read_lock()")
            .adds("v6 posting (2 May 2023), rcu_read_lock() taken out")
            .set(GupFeatures.FOLIO_CHECK, V6_WITHOUT_RCU)
            .build();

    /** Leaves the user's check the only one that reads the mapping. */
    private static final Patch NO_SECRETMEM_CHECK = Patch.builder("no-secretmem-check")
            .description("GUP-fast does not check for secretmem folios")
            .undoes("folio_is_secretmem() in gup_fast_pte_range()")
            .set(GupFeatures.SECRETMEM_CHECK, KernelFolioChecks.NONE)
            .build();

    /** On a KVM guest's paravirt flush, which a vCPU preempted inside GUP-fast does not hold up (any kernel has it). */
    private static Exploration evict(Kernel k) {
        return new Exploration(Scenarios.get("gup-fast-vs-evict"), Map.of(),
                ArchRegistry.load().parse("x86_64:paravirt", k), k);
    }

    @Test
    void everyKernelsChecksAreInstancesOfTheSpi() {
        for (KernelVersion k : KernelVersion.values()) {
            assertTrue(List.of(KernelFolioChecks.NONE, KernelFolioChecks.V6_TRY_GRAB, KernelFolioChecks.V7_TRY_GRAB,
                    KernelFolioChecks.FOLIO_FAST_PIN_ALLOWED, KernelFolioChecks.GUP_FAST_FOLIO_ALLOWED)
                    .contains(k.get(GupFeatures.FOLIO_CHECK)), k.label());
        }
        assertSame(KernelFolioChecks.FOLIO_IS_SECRETMEM, KernelVersion.V6_5.get(GupFeatures.SECRETMEM_CHECK));
        assertSame(KernelFolioChecks.NONE, KernelVersion.V6_10.get(GupFeatures.SECRETMEM_CHECK));
    }

    /**
     * Under split RCU flavours IRQs off no longer hold the inode's grace period open. The v6
     * check's own rcu_read_lock() protects its shmem_mapping(); without it, the explorer finds the
     * user's shmem_mapping() reading the freed address space, with the user's reads of
     * folio->mapping in the trace.
     */
    @Test
    void aUsersCheckIsExploredAndTracedLikeTheKernels() {
        Explorations.assertSafe(evict(KernelVersion.V6_PATCH.with(NO_SECRETMEM_CHECK, SmpPatches.SPLIT_RCU_FLAVORS)));

        Kernel mine = KernelVersion.V6_4.with(PATCH, NO_SECRETMEM_CHECK, SmpPatches.SPLIT_RCU_FLAVORS);
        Counterexample cx = Explorations.assertViolation(evict(mine), ViolationKind.USE_AFTER_FREE,
                "shmem_mapping dereferenced the address space");
        assertTrue(cx.trace().rows().stream().anyMatch(r -> r.function().equals("READ_ONCE(folio->mapping)")),
                cx.trace().render());
        Explorations.assertSafe(evict(KernelVersion.V6_4.with(PATCH)));
    }

    @Test
    void aRefusingCheckSendsThePageToTheSlowPathWithItsReason() {
        GupFastFolioCheck never = new GupFastFolioCheck() {
            @Override
            public String name() {
                return "never";
            }

            @Override
            public Placement placement() {
                return Placement.AFTER_RECHECK;
            }

            @Override
            public boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k) {
                return false;
            }
        };
        Patch p = Patch.builder("never").description("GUP-fast takes nothing").adds("a test")
                .set(GupFeatures.FOLIO_CHECK, never).build();
        Kernel k = KernelVersion.LATEST.with(p);
        World w = World.boot(ArchRegistry.load().parse("x86_64", k), k, null, 2);
        Task t = w.newTask();
        long addr = t.mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        t.touch(addr, 4096, true);
        Page[] pages = new Page[1];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 1, EnumSet.of(Foll.WRITE), pages);
        assertEquals(1, r.ret());
        assertEquals(0, r.fastPinned());
        assertEquals("GUP-fast: never() refused the folio", r.reason());
        w.gup().unpinUserPages(pages, 1);
        assertEquals(List.of(), w.teardown());
    }
}
