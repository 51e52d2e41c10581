package org.gupsim.tlb;

import java.util.List;
import org.gupsim.smp.Smp;

/** The TLBs of all CPUs of a machine, indexed by CPU number. */
public final class CpuTlbs {
    private final List<CpuTlb> tlbs;

    public CpuTlbs(Smp smp) {
        CpuTlb[] all = new CpuTlb[smp.cpus().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = new CpuTlb("tlb(CPU" + i + ")", smp.sched());
        }
        this.tlbs = List.of(all);
    }

    public CpuTlb of(int cpu) {
        return tlbs.get(cpu);
    }

    public List<CpuTlb> all() {
        return tlbs;
    }
}
