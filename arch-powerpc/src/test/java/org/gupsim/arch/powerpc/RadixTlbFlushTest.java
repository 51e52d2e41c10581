package org.gupsim.arch.powerpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.sched.Sched;
import org.gupsim.smp.Smp;
import org.gupsim.tlb.CpuTlbs;
import org.gupsim.tlb.TlbMm;
import org.junit.jupiter.api.Test;

/** flush_type_needed(): tlbiel on this CPU alone when the mm is active only here, else tlbie or multicast. */
class RadixTlbFlushTest {

    private static TlbMm mm(Smp smp, CpuTlbs tlbs, long mask) {
        TlbMm mm = new TlbMm(smp, tlbs, 1, "mm");
        for (int c = 0; c < smp.cpus().size(); c++) {
            if ((mask & (1L << c)) != 0) {
                mm.addCpu(c);
            }
            tlbs.of(c).fill(1, 5, 9, true);
        }
        return mm;
    }

    @Test
    void anMmActiveOnlyOnThisCpuIsFlushedLocally() {
        for (boolean tlbie : new boolean[] {true, false}) {
            Smp smp = new Smp(2, new Sched());
            CpuTlbs tlbs = new CpuTlbs(smp);
            TlbMm mm = mm(smp, tlbs, 0b01);
            new RadixTlbFlush(tlbie).flushTlbMmRange(mm, 0, 1 << 16, false);
            assertEquals(-1, tlbs.of(0).lookup(1, 5, false));
            assertEquals(9, tlbs.of(1).lookup(1, 5, false), "tlbiel does not reach CPU1");
            assertEquals(0, mm.ipisSent());
        }
    }

    @Test
    void otherwiseTlbieBroadcastsAndTheMulticastInterruptsTheMask() {
        Smp smp = new Smp(3, new Sched());
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = mm(smp, tlbs, 0b011);
        new RadixTlbFlush(true).flushTlbMmRange(mm, 0, 1 << 16, false);
        assertEquals(-1, tlbs.of(2).lookup(1, 5, false), "tlbie reaches every CPU");
        assertEquals(0, mm.ipisSent());
        Smp smp2 = new Smp(3, new Sched());
        CpuTlbs tlbs2 = new CpuTlbs(smp2);
        TlbMm mm2 = mm(smp2, tlbs2, 0b011);
        new RadixTlbFlush(false).flushTlbMmRange(mm2, 0, 1 << 16, false);
        assertEquals(1, mm2.ipisSent());
        assertEquals(-1, tlbs2.of(1).lookup(1, 5, false));
        assertEquals(9, tlbs2.of(2).lookup(1, 5, false), "the multicast reaches the mask only");
    }
}
