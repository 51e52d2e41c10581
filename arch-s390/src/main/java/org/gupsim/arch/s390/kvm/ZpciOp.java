package org.gupsim.arch.s390.kvm;

/**
 * The argument of the {@code KVM_S390_ZPCI_OP} VM ioctl ({@code struct kvm_s390_zpci_op}): the
 * function handle, the op, and for REG_AEN the guest's interrupt bit vector and summary bit.
 *
 * @param fh    function handle
 * @param op    {@link #KVM_S390_ZPCIOP_REG_AEN} or {@link #KVM_S390_ZPCIOP_DEREG_AEN}
 * @param ibv   guest physical address of the adapter interrupt bit vector
 * @param sb    guest physical address of the summary bit (0: none)
 * @param flags {@link #KVM_S390_ZPCIOP_REGAEN_HOST} or 0
 * @param noi   number of interrupts
 * @param isc   guest interruption subclass
 * @param sbo   summary bit offset
 */
public record ZpciOp(int fh, int op, long ibv, long sb, int flags, int noi, int isc, int sbo) {
    public static final int KVM_S390_ZPCIOP_REG_AEN = 0;
    public static final int KVM_S390_ZPCIOP_DEREG_AEN = 1;
    /** Forwarding without the GISA assist: the host takes every alert. */
    public static final int KVM_S390_ZPCIOP_REGAEN_HOST = 1 << 0;

    /** A REG_AEN op. */
    public static ZpciOp regAen(int fh, long ibv, long sb, int flags, int noi, int isc, int sbo) {
        return new ZpciOp(fh, KVM_S390_ZPCIOP_REG_AEN, ibv, sb, flags, noi, isc, sbo);
    }

    /** A DEREG_AEN op. */
    public static ZpciOp deregAen(int fh) {
        return new ZpciOp(fh, KVM_S390_ZPCIOP_DEREG_AEN, 0, 0, 0, 0, 0, 0);
    }
}
