package org.gupsim.arch.s390.kvm;

import org.gupsim.sched.Sched;
import org.gupsim.smp.SpinLock;

/**
 * A zPCI function on the host ({@code struct zpci_dev}), passed through to a guest: its function
 * handle, whether it is enabled for interpretation ({@code gisa != 0}), its KVM link and, while
 * forwarding is on, its host summary bit and guest interrupt vector. Also the firmware's side of
 * the Modify PCI Function Controls instruction for interruptions (MPCIFC REG_INT / DEREG_INT): it
 * remembers whether interruptions are registered and where the summary bit is.
 */
public final class ZpciDev {
    /**
     * MPCIFC status for DEREG_INT when no interruptions are registered; with condition code 1,
     * {@code kvm_zpci_clear_airq()} takes it as "already deregistered".
     */
    static final int STATUS_IRQS_NOT_REGISTERED = 24;

    /**
     * A condition code and the status byte of {@code zpci_mod_fc()}.
     *
     * @param cc     0 done, 1 refused (see status), 3 the function is gone
     * @param status the status byte when cc is 1
     */
    record ModFc(int cc, int status) {
    }

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
    private boolean irqsRegistered;
    private long regAisb;
    private int regAisbo;

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

    /** Whether the firmware has adapter interruptions registered for the function. */
    public boolean irqsRegistered() {
        return irqsRegistered;
    }

    /**
     * MPCIFC REG_INT with the summary bit at {@code aisbo} of the word at host physical
     * {@code aisb}. Registering again without deregistering first is refused (the reason the
     * 2026 "Reject adapter interrupt forwarding if already enabled" gives); the status byte the
     * firmware then stores is not in the sources (UNCONFIRMED, 0 here), and the kernel only looks
     * at the condition code.
     */
    ModFc regInt(long aisb, int aisbo) {
        if (functionGone) {
            return new ModFc(3, 0);
        }
        if (irqsRegistered) {
            return new ModFc(1, 0);
        }
        irqsRegistered = true;
        regAisb = aisb;
        regAisbo = aisbo;
        return new ModFc(0, 0);
    }

    /** MPCIFC DEREG_INT: cc 3 once the function is gone, cc 1 status 24 if nothing is registered. */
    ModFc deregInt() {
        if (functionGone) {
            return new ModFc(3, 0);
        }
        if (!irqsRegistered) {
            return new ModFc(1, STATUS_IRQS_NOT_REGISTERED);
        }
        irqsRegistered = false;
        return new ModFc(0, 0);
    }

    /** Host physical address of the summary bit word registered with REG_INT. */
    long regAisb() {
        return regAisb;
    }

    /** The summary bit offset registered with REG_INT. */
    int regAisbo() {
        return regAisbo;
    }

    @Override
    public String toString() {
        return "zdev fh=0x" + Integer.toHexString(fh);
    }
}
