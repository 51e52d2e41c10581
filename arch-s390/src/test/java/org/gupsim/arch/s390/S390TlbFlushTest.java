package org.gupsim.arch.s390;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.sched.Sched;
import org.gupsim.smp.Smp;
import org.gupsim.tlb.CpuTlbs;
import org.gupsim.tlb.TlbMm;
import org.junit.jupiter.api.Test;

/** ptep_flush_direct(): IPTE local when the mm is only on this CPU, the global (broadcast) IPTE otherwise. */
class S390TlbFlushTest {

    @Test
    void localWhenOnlyThisCpuMayHoldTheMmElseBroadcast() {
        Smp smp = new Smp(3, new Sched());
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = new TlbMm(smp, tlbs, 1, "mm");
        mm.addCpu(0);
        for (int c = 0; c < 3; c++) {
            tlbs.of(c).fill(1, 5, 9, true);
        }
        S390TlbFlush f = new S390TlbFlush();
        f.flushTlbMmRange(mm, 0, 4096, false);
        assertEquals(-1, tlbs.of(0).lookup(1, 5, false));
        assertEquals(9, tlbs.of(2).lookup(1, 5, false), "IPTE local reaches no other CPU");
        mm.addCpu(1);
        f.flushTlbMmRange(mm, 0, 4096, false);
        assertEquals(-1, tlbs.of(2).lookup(1, 5, false), "the global IPTE reaches every CPU, in the mask or not");
        assertEquals(0, mm.ipisSent());
    }
}
