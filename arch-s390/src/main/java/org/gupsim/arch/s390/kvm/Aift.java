package org.gupsim.arch.s390.kvm;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.smp.SpinLock;

/**
 * The host's adapter interruption forwarding table ({@code struct zpci_aift}): the summary bit
 * vector ({@code aift->sbv}, an {@code airq_iv} made with AIRQ_IV_ALLOC: one bit per device that
 * the firmware sets, and beside it the map of bits handed out), the GAIT ({@code aift->gait}, one
 * {@link Gaite} per summary bit), the device of each bit ({@code aift->kzdev}) and the two locks.
 * Mirrors the parts of arch/s390/kvm/pci.c {@code zpci_setup_aipb()} and of
 * drivers/s390/cio/airq.c ({@code airq_iv_alloc_bit()}, {@code airq_iv_free_bit()},
 * {@code airq_iv_scan()}) that forwarding uses.
 */
public final class Aift {
    /** Host physical address of the summary bit vector (a distinct, non-zero value). */
    static final long SBV_PHYS = 0x7e000000L;

    private final Sched sched;
    private final int nrDevices;
    /** {@code aift->sbv->avail} inverted: which bits are handed out. */
    private final boolean[] allocated;
    /** {@code aift->sbv->vector}: the summary bits the firmware set. */
    private final boolean[] vector;
    private final Gaite[] gait;
    private final KvmZdev[] kzdev;
    private final SpinLock aiftLock;
    private final SpinLock gaitLock;

    /**
     * @param nrDevices {@code ZPCI_NR_DEVICES} ({@code CONFIG_PCI_NR_FUNCTIONS}, 512 by default)
     * @param pageSize  the GAIT is {@code alloc_pages(get_order(PAGE_ALIGN(nrDevices * 16)))}: a
     *                  power of two of pages, so it holds at least {@code nrDevices} entries
     */
    Aift(int nrDevices, long pageSize, Sched sched) {
        this.sched = sched;
        this.nrDevices = nrDevices;
        this.allocated = new boolean[nrDevices];
        this.vector = new boolean[nrDevices];
        long pages = 1;
        while (pages * pageSize < (long) nrDevices * Gaite.SIZE) {
            pages *= 2;
        }
        this.gait = new Gaite[(int) (pages * pageSize / Gaite.SIZE)];
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

    /** {@code ZPCI_NR_DEVICES}: summary bits. */
    public int nrDevices() {
        return nrDevices;
    }

    /** Mirrors {@code airq_iv_alloc_bit()}: the lowest free bit, taken, or -1 when all are in use. */
    int airqIvAllocBit() {
        sched.point(this, Access.RMW, "airq_iv_alloc_bit");
        for (int i = 0; i < allocated.length; i++) {
            if (!allocated[i]) {
                allocated[i] = true;
                return i;
            }
        }
        return -1;
    }

    /** Mirrors {@code airq_iv_free_bit()}: the bit is free again and its vector bit clear. */
    void airqIvFreeBit(int bit) {
        sched.point(this, Access.RMW, "airq_iv_free_bit");
        allocated[bit] = false;
        vector[bit] = false;
    }

    /** Summary bits handed out. */
    public int bitsInUse() {
        int n = 0;
        for (boolean b : allocated) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Bytes of the summary bit vector: {@code BITS_TO_LONGS(nrDevices) * 8}. */
    long sbvBytes() {
        return (nrDevices + 63L) / 64 * 8;
    }

    /**
     * Host physical address of the 64-bit word of the summary bit vector holding {@code bit}, as
     * {@code code} computes it for the FIB. With the fix (0cfe660559e8, "Fix aisb calculation"):
     * {@code virt_to_phys(sbv->vector) + (bit / 64) * 8}. Before it,
     * {@code virt_to_phys(sbv->vector + (bit / 64) * 8)}: {@code vector} is an
     * {@code unsigned long *}, so the offset is scaled by 8 once more, word {@code (bit / 64) * 8}.
     */
    long sbvWordPhys(int bit, AifCode code) {
        long word = bit / 64;
        return SBV_PHYS + (code.fixed() ? word * 8 : word * 8 * 8);
    }

    /**
     * The firmware sets summary bit {@code aisbo} of the word at {@code wordPhys} (what REG_INT was
     * given).
     *
     * @return false if that bit lies outside the vector: the firmware would write beyond it
     */
    boolean setSummaryBit(long wordPhys, int aisbo) {
        long bit = (wordPhys - SBV_PHYS) * 8 + aisbo;
        if (wordPhys < SBV_PHYS || wordPhys + 8 > SBV_PHYS + sbvBytes() || bit >= nrDevices) {
            return false;
        }
        sched.point(this, Access.RMW, "firmware sets a summary bit");
        vector[(int) bit] = true;
        return true;
    }

    /**
     * Mirrors {@code airq_iv_scan(aift->sbv, start, end)}: the first set summary bit at or after
     * {@code start}, cleared, or -1.
     */
    int airqIvScan(int start) {
        sched.point(this, Access.RMW, "airq_iv_scan");
        for (int i = start; i < vector.length; i++) {
            if (vector[i]) {
                vector[i] = false;
                return i;
            }
        }
        return -1;
    }

    /**
     * The GAIT entry index of summary bit {@code bit}: {@code bit} with the fix (16d990a15491);
     * before it {@code (struct zpci_gaite *)gait + aisb * sizeof(struct zpci_gaite)}, which C
     * scales by the entry size a second time, so entry {@code bit * 16}.
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

    /** {@code aift->kzdev[bit]}. */
    KvmZdev kzdev(int bit) {
        return kzdev[bit];
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
