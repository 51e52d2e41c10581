package org.gupsim.arch.s390.kvm;

/**
 * The function information block, format 0, of an adapter-interruption registration
 * ({@code struct zpci_fib}): the guest's values on the way in, rewritten with host addresses by
 * {@code kvm_s390_pci_aif_enable()}.
 */
public final class ZpciFib {
    /** Adapter interrupt bit vector address (guest physical in, host physical out). */
    long aibv;
    /** Adapter interrupt summary bit address. */
    long aisb;
    /** Summary bit offset. */
    int aisbo;
    /** 1 when a summary bit is used. */
    int sum;
    /** Interruption subclass. */
    int isc;
    /** Number of interrupts. */
    int noi;

    public long aibv() {
        return aibv;
    }

    public long aisb() {
        return aisb;
    }

    public int isc() {
        return isc;
    }

    public int sum() {
        return sum;
    }
}
