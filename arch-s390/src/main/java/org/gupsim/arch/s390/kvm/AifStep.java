package org.gupsim.arch.s390.kvm;

/** Where a KVM_S390_ZPCI_OP or an AIF enable/disable stopped short. */
public enum AifStep {
    /** No device with that function handle on the VM ({@code get_zdev_from_kvm_by_fh()}). */
    ZDEV_LOOKUP("lookup"),
    /** The device is registered with another VM. */
    KVM_OWNER("owner"),
    /** Unknown REG_AEN flags or an unknown op. */
    ARGS("args"),
    /** The device is not enabled for interpretation ({@code zdev->gisa == 0}). */
    GISA("gisa"),
    /** Forwarding is on already (refused from 7.2; before, a second REG_AEN ran on). */
    ALREADY_ENABLED("enabled"),
    /** {@code kvm_s390_gisc_register()} refused the guest ISC. */
    GISC("gisc"),
    /** Pinning the guest's adapter interrupt bit vector page. */
    AIBV_PIN("aibv-pin"),
    /** Pinning the guest's adapter interrupt summary bit page. */
    AISB_PIN("aisb-pin"),
    /** {@code account_mem()}: RLIMIT_MEMLOCK. */
    ACCOUNT_MEM("account-mem"),
    /** No free host summary bit ({@code airq_iv_alloc_bit()}). */
    SUMMARY_BIT("summary-bit"),
    /** {@code airq_iv_create()} of the guest's interrupt vector returned NULL. */
    AIRQ_IV_CREATE("airq-iv-create"),
    /** Registering the interruption with the firmware (MPCIFC REG_INT). */
    REG_INT("reg-int"),
    /** Clearing the interruption with the firmware (MPCIFC DEREG_INT). */
    CLEAR_INT("dereg-int");

    private final String label;

    AifStep(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
