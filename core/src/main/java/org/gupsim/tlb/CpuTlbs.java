package org.gupsim.tlb;

import java.util.List;
import java.util.stream.IntStream;
import org.gupsim.smp.Smp;

/** The TLBs of all CPUs of a machine, indexed by CPU number. */
public final class CpuTlbs {
    private final List<CpuTlb> tlbs;

    public CpuTlbs(Smp smp) {
        this.tlbs = IntStream.range(0, smp.cpus().size())
                .mapToObj(i -> new CpuTlb("tlb(CPU" + i + ")", smp.sched())).toList();
    }

    public CpuTlb of(int cpu) {
        return tlbs.get(cpu);
    }

    public List<CpuTlb> all() {
        return tlbs;
    }
}
