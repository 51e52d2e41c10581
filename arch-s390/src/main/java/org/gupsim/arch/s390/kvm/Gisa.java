package org.gupsim.arch.s390.kvm;

import org.gupsim.mm.Errno;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * The guest interruption state area of one VM and its alert mask, with the reference counts of
 * the guest ISCs forwarded to it. Mirrors arch/s390/kvm/interrupt.c
 * {@code kvm_s390_gisc_register()} / {@code kvm_s390_gisc_unregister()}.
 */
public final class Gisa {
    /** {@code MAX_ISC}: interruption subclasses are 0..7. */
    public static final int MAX_ISC = 7;
    /** The host ISC the GIB alerts with ({@code GAL_ISC}, {@code gib->nisc}). */
    public static final int NISC = 5;

    private final long origin;
    private final String name;
    private final Sched sched;
    private final int[] refCount = new int[MAX_ISC + 1];
    private int alertMask;
    private int ipm;

    /**
     * @param origin the GISA's host physical address, or 0 when the machine has no GISA
     */
    Gisa(long origin, String name, Sched sched) {
        this.origin = origin;
        this.name = name;
        this.sched = sched;
    }

    /** The GISA's physical address ({@code virt_to_phys(&sie_page2->gisa)}), 0 if there is none. */
    public long origin() {
        return origin;
    }

    /**
     * The checks {@code kvm_s390_gisc_register()} and {@code kvm_s390_gisc_unregister()} both open
     * with, then, when they pass, the point where {@code function} updates the reference counts.
     * {@code gisc} is a {@code u32}: a negative int is a large one.
     *
     * @return 0, -ENODEV without a GISA, -ERANGE for an ISC above 7
     */
    private int enter(int gisc, String function) {
        if (origin == 0) {
            return Errno.ENODEV.negative();
        }
        if (Integer.compareUnsigned(gisc, MAX_ISC) > 0) {
            return Errno.ERANGE.negative();
        }
        sched.point(this, gisc, Access.RMW, function);
        return 0;
    }

    /**
     * Mirrors {@code kvm_s390_gisc_register()}: takes a reference on {@code gisc}, setting its
     * bit in the interruption alert mask on the first one. {@code gisc} is a {@code u32}: a
     * negative int is a large one. The host's own ISC is not refused: interrupt.c only checks
     * {@code gisc > MAX_ISC}.
     *
     * @return the host ISC ({@link #NISC}), or -ENODEV without a GISA, -ERANGE for an ISC above 7
     */
    public int kvmS390GiscRegister(int gisc) {
        int err = enter(gisc, "kvm_s390_gisc_register");
        if (err != 0) {
            return err;
        }
        if (++refCount[gisc] == 1) {
            alertMask |= 0x80 >>> gisc;
        }
        return NISC;
    }

    /**
     * Mirrors {@code kvm_s390_gisc_unregister()}: drops a reference, clearing the alert-mask bit
     * with the last one.
     *
     * @return 0, -ENODEV without a GISA, -ERANGE for an ISC above 7, -EINVAL if no reference was held
     */
    public int kvmS390GiscUnregister(int gisc) {
        int err = enter(gisc, "kvm_s390_gisc_unregister");
        if (err != 0) {
            return err;
        }
        if (refCount[gisc] == 0) {
            return Errno.EINVAL.negative();
        }
        if (--refCount[gisc] == 0) {
            alertMask &= ~(0x80 >>> gisc);
        }
        return 0;
    }

    /**
     * Mirrors {@code gisa_set_ipm_gisc()}: an adapter interruption for guest ISC {@code gisc} is
     * pending in the GISA (the guest takes it when it enables that ISC).
     */
    void gisaSetIpmGisc(int gisc) {
        sched.point(this, Access.RMW, "gisa_set_ipm_gisc");
        ipm |= 0x80 >>> gisc;
    }

    /** The interruption pending mask, one bit per ISC (ISC 0 is 0x80). */
    public int ipm() {
        return ipm;
    }

    /** References held on {@code gisc}. */
    public int refCount(int gisc) {
        return refCount[gisc];
    }

    /** The interruption alert mask, one bit per ISC (ISC 0 is 0x80). */
    public int alertMask() {
        return alertMask;
    }

    @Override
    public String toString() {
        return name;
    }
}
