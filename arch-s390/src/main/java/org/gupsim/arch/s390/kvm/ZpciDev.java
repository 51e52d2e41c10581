package org.gupsim.arch.s390.kvm;

import org.gupsim.sched.Sched;
import org.gupsim.smp.SpinLock;

/**
 * A zPCI function on the host ({@code struct zpci_dev}), passed through to a guest: its function
 * handle, whether it is enabled for interpretation ({@code gisa != 0}), its KVM link and, while
 * forwarding is on, its host summary bit and guest interrupt vector. The firmware side (MPCIFC)
 * answers condition code 3 once the function is gone.
 */
public final class ZpciDev {
    private final int fh;
    private final int maxMsi;
    private final SpinLock kzdevLock;
    long gisa;
    KvmZdev kzdev;
    /** {@code zdev->aisb}: the host summary bit number. */
    int aisb;
    /** {@code zdev->aibv}: the interrupt vector over the pinned guest page, or null. */
    AirqIv aibv;
    private boolean functionGone;

    ZpciDev(int fh, int maxMsi, Sched sched) {
        this.fh = fh;
        this.maxMsi = maxMsi;
        this.kzdevLock = new SpinLock("zdev" + Integer.toHexString(fh) + "->kzdev_lock", sched);
    }

    /** The function handle. */
    public int fh() {
        return fh;
    }

    public int maxMsi() {
        return maxMsi;
    }

    /** {@code zdev->gisa}: the owning guest's GISA while interpretation is on, else 0. */
    public long gisa() {
        return gisa;
    }

    /** {@code zdev->kzdev}, or null when no VM has the device. */
    public KvmZdev kzdev() {
        return kzdev;
    }

    /** The host summary bit, meaningful while {@link #aibv()} is not null. */
    public int aisb() {
        return aisb;
    }

    /** The interrupt vector over the guest's pinned AIBV page, or null. */
    public AirqIv aibv() {
        return aibv;
    }

    SpinLock kzdevLock() {
        return kzdevLock;
    }

    /** The function was hot-unplugged on the host: MPCIFC answers cc 3 from now on. */
    public void setFunctionGone(boolean gone) {
        this.functionGone = gone;
    }

    /** Condition code of a Modify PCI Function Controls instruction. */
    int mpcifcCc() {
        return functionGone ? 3 : 0;
    }

    @Override
    public String toString() {
        return "zdev fh=0x" + Integer.toHexString(fh);
    }
}
