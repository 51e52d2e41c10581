package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Sched;
import org.gupsim.smp.Smp;
import org.gupsim.tlb.CpuTlbs;
import org.gupsim.tlb.TlbMm;
import org.junit.jupiter.api.Test;

/**
 * flush_tlb_mm_range() with INVLPGB: a global ASID only for an mm active on more than 3 CPUs,
 * IPIs until then; native_flush_tlb_multi() skipping lazy CPUs unless tables are freed.
 */
class X86FlushTlbMmRangeTest {
    private final X86_64 arch = new X86_64();

    /** CPUs 0..3 in the mask of an mm on a 4-CPU machine in direct mode, each TLB holding its page. */
    private static TlbMm mm(Smp smp, CpuTlbs tlbs, int cpus) {
        TlbMm mm = new TlbMm(smp, tlbs, 1, "mm");
        for (int c = 0; c < cpus; c++) {
            mm.addCpu(c);
            tlbs.of(c).fill(1, 5, 9, true);
        }
        return mm;
    }

    @Test
    void aQuietMmIsFlushedByIpiUntilItRunsOnFourCpusThenByBroadcast() {
        ArchVariant v = arch.variant("invlpgb+few-cpus", KernelVersion.LATEST);
        assertEquals("IPI", v.shootdown().name());
        Smp smp = new Smp(4, new Sched());
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = mm(smp, tlbs, 2);
        v.flushBackend().initMm(mm);
        assertFalse(mm.mmGlobalAsid());
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, false);
        assertEquals(1, mm.ipisSent(), "two CPUs: IPI to the other");
        assertFalse(mm.mmGlobalAsid(), "2 active CPUs do not exceed 3");
        mm.setBystanders(1);
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, false);
        assertFalse(mm.mmGlobalAsid(), "3 active CPUs do not exceed 3");
        mm.setBystanders(2);
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, false);
        assertTrue(mm.mmGlobalAsid(), "4 active CPUs exceed 3: consider_global_asid() assigns one");
        long ipis = mm.ipisSent();
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, false);
        assertEquals(ipis, mm.ipisSent(), "with a global ASID the flush is INVLPGB, no IPI");
    }

    @Test
    void lazyCpusAreCountedOutOfTheActiveOnes() {
        Smp smp = new Smp(4, new Sched());
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = mm(smp, tlbs, 4);
        mm.enterLazyTlb(3);
        X86FlushTlbMmRange quiet = new X86FlushTlbMmRange(false);
        quiet.flushTlbMmRange(mm, 0, 4096, false);
        assertFalse(mm.mmGlobalAsid(), "3 running CPUs and a lazy one are not more than 3 active");
    }

    @Test
    void theBusyVariantStartsWithAGlobalAsid() {
        ArchVariant v = arch.variant("invlpgb", KernelVersion.LATEST);
        assertEquals("BROADCAST", v.shootdown().name());
        Smp smp = new Smp(2, new Sched());
        TlbMm mm = mm(smp, new CpuTlbs(smp), 2);
        v.flushBackend().initMm(mm);
        assertTrue(mm.mmGlobalAsid());
        assertTrue(mm.activeCpusExceed(X86FlushTlbMmRange.GLOBAL_ASID_THRESHOLD));
    }

    @Test
    void nativeSkipsLazyCpusUnlessTablesAreFreedAndTheyCatchUpWhenTheySwitchBack() {
        ArchVariant v = arch.variant("native-rcu", KernelVersion.LATEST);
        Smp smp = new Smp(3, new Sched());
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = mm(smp, tlbs, 3);
        mm.enterLazyTlb(2);
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, false);
        assertEquals(1, mm.ipisSent(), "only CPU1: CPU2 is lazy");
        assertEquals(9, tlbs.of(2).lookup(1, 5, false), "the lazy CPU keeps its entry for now");
        mm.switchMm(2);
        assertEquals(-1, tlbs.of(2).lookup(1, 5, false), "switching back it flushes (tlb_gen behind)");
        mm.enterLazyTlb(2);
        v.flushBackend().flushTlbMmRange(mm, 0, 4096, true);
        assertEquals(3, mm.ipisSent(), "freeing tables, the lazy CPU is interrupted too");
        assertEquals(0b011, mm.cpumask(), "and leaves the mm for init_mm");
    }

    @Test
    void fewCpusIsAnOptionOfInvlpgbOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> arch.variant("native-rcu+few-cpus", KernelVersion.LATEST));
        assertTrue(e.getMessage().contains("'few-cpus' needs the invlpgb base"), e.getMessage());
        assertEquals("invlpgb+la57+few-cpus", arch.variant("invlpgb+few-cpus+la57", KernelVersion.LATEST).name());
    }
}
