package org.gupsim.tlb;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * One CPU's TLB: a small direct-mapped cache of user translations (mm, virtual page) → (pfn,
 * writable). A user access fills it from the page tables and later accesses use it without
 * walking, which is why a translation must be flushed from every TLB before the page behind it
 * is freed. Lookups and invalidations are scheduling points on this object.
 */
public final class CpuTlb {
    private static final int SLOTS = 64;

    private final String name;
    private final Sched sched;
    private final int[] mm = new int[SLOTS];
    private final long[] vpn = new long[SLOTS];
    private final long[] pfn = new long[SLOTS];
    private final boolean[] writable = new boolean[SLOTS];

    CpuTlb(String name, Sched sched) {
        this.name = name;
        this.sched = sched;
    }

    private static int slot(long vpn) {
        return (int) (vpn & (SLOTS - 1));
    }

    /** The cached frame for a user access, or -1 on a miss (including a write to a read-only entry). */
    public long lookup(int mmId, long vpage, boolean write) {
        sched.point(this, slot(vpage), Access.READ, "tlb lookup");
        int s = slot(vpage);
        if (mm[s] != mmId || vpn[s] != vpage || (write && !writable[s])) {
            return -1;
        }
        return pfn[s];
    }

    /** The MMU caches a translation it has just walked. */
    public void fill(int mmId, long vpage, long frame, boolean canWrite) {
        int s = slot(vpage);
        sched.point(this, s, Access.WRITE, "tlb fill");
        mm[s] = mmId;
        vpn[s] = vpage;
        pfn[s] = frame;
        writable[s] = canWrite;
    }

    /** Invalidates every translation of {@code mmId} (a full flush for that ASID). */
    public void flushMm(int mmId, String function) {
        sched.point(this, -1, Access.WRITE, function);
        for (int s = 0; s < SLOTS; s++) {
            if (mm[s] == mmId) {
                mm[s] = 0;
            }
        }
    }

    /**
     * Mirrors arch/x86/kvm/x86.c {@code kvm_vcpu_flush_tlb_guest()}, which the host runs for a vCPU
     * whose steal-time byte asked for a flush ({@link KvmHost#vcpuEnter}): every translation of
     * every mm goes.
     */
    public void flushGuest(String function) {
        sched.point(this, -1, Access.WRITE, function);
        java.util.Arrays.fill(mm, 0);
    }

    @Override
    public String toString() {
        return name;
    }
}
