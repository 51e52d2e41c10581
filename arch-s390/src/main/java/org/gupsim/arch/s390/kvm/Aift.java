package org.gupsim.arch.s390.kvm;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.smp.SpinLock;

/**
 * The host's adapter interruption forwarding table ({@code struct zpci_aift}): the summary bit
 * vector the firmware sets for forwarded devices ({@code aift->sbv}, one bit per device), the
 * GAIT ({@code aift->gait}, one {@link Gaite} per summary bit, allocated in whole pages), the
 * device of each bit ({@code aift->kzdev}), and its two locks. Mirrors the parts of
 * arch/s390/kvm/pci.c {@code zpci_setup_aipb()} and of drivers/s390/cio/airq.c
 * {@code airq_iv_alloc_bit()} / {@code airq_iv_free_bit()} that forwarding uses.
 */
public final class Aift {
    /** Host physical address of the summary bit vector (a distinct, non-zero value). */
    static final long SBV_PHYS = 0x7e000000L;

    private final Sched sched;
    private final boolean[] sbv;
    private final Gaite[] gait;
    private final KvmZdev[] kzdev;
    private final SpinLock aiftLock;
    private final SpinLock gaitLock;

    /**
     * @param nrDevices {@code ZPCI_NR_DEVICES} ({@code CONFIG_PCI_NR_FUNCTIONS}, 512 by default)
     * @param pageSize  the GAIT is {@code PAGE_ALIGN(nrDevices * 16)} bytes
     */
    Aift(int nrDevices, long pageSize, Sched sched) {
        this.sched = sched;
        this.sbv = new boolean[nrDevices];
        long bytes = ((long) nrDevices * Gaite.SIZE + pageSize - 1) / pageSize * pageSize;
        this.gait = new Gaite[(int) (bytes / Gaite.SIZE)];
        for (int i = 0; i < gait.length; i++) {
            gait[i] = new Gaite(i);
        }
        this.kzdev = new KvmZdev[nrDevices];
        this.aiftLock = new SpinLock("aift->aift_lock", sched);
        this.gaitLock = new SpinLock("aift->gait_lock", sched);
    }

    SpinLock aiftLock() {
        return aiftLock;
    }

    SpinLock gaitLock() {
        return gaitLock;
    }

    /** Mirrors {@code airq_iv_alloc_bit()}: the lowest free bit, taken, or -1 when all are in use. */
    int airqIvAllocBit() {
        sched.point(this, Access.RMW, "airq_iv_alloc_bit");
        for (int i = 0; i < sbv.length; i++) {
            if (!sbv[i]) {
                sbv[i] = true;
                return i;
            }
        }
        return -1;
    }

    /** Mirrors {@code airq_iv_free_bit()}. */
    void airqIvFreeBit(int bit) {
        sched.point(this, Access.RMW, "airq_iv_free_bit");
        sbv[bit] = false;
    }

    /** Summary bits in use. */
    public int bitsInUse() {
        int n = 0;
        for (boolean b : sbv) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Host physical address of the 64-bit word of the summary bit vector holding {@code bit}. */
    long sbvWordPhys(int bit) {
        return SBV_PHYS + (bit / 64) * 8L;
    }

    /**
     * The GAIT entry index of summary bit {@code bit}: {@code bit} with the fixes; before them
     * {@code (struct zpci_gaite *)gait + aisb * sizeof(struct zpci_gaite)}, which C scales by the
     * entry size a second time, so entry {@code bit * 16}.
     */
    static int gaitIndex(int bit, AifCode code) {
        return code.fixed() ? bit : bit * Gaite.SIZE;
    }

    /** The entry at {@code index}, or null beyond the allocation (an out-of-bounds access). */
    Gaite gaite(int index) {
        return index >= 0 && index < gait.length ? gait[index] : null;
    }

    /** Entries the allocation holds. */
    public int gaitEntries() {
        return gait.length;
    }

    /** The entry of summary bit {@code bit} as {@code code} indexes it (null if out of bounds). */
    public Gaite gaiteOf(int bit, AifCode code) {
        return gaite(gaitIndex(bit, code));
    }

    void setKzdev(int bit, KvmZdev k) {
        kzdev[bit] = k;
    }

    /** Whether every GAIT entry is clear and every summary bit free. */
    public boolean idle() {
        for (Gaite g : gait) {
            if (!g.clear()) {
                return false;
            }
        }
        for (KvmZdev k : kzdev) {
            if (k != null) {
                return false;
            }
        }
        return bitsInUse() == 0;
    }

    @Override
    public String toString() {
        return "aift sbv";
    }
}
