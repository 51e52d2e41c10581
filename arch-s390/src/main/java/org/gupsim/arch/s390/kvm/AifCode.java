package org.gupsim.arch.s390.kvm;

import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.util.Args;

/**
 * Which arch/s390/kvm/pci.c the model runs: the code as merged in 6.0 (3c5a1b6f0a18, "provide
 * routines for enabling/disabling interrupt forwarding") and unchanged through 7.0, or the code
 * with the 2026 fixes, all in mainline by 7.2:
 * <ul>
 * <li>7.1-rc3 (kvm-s390-master-7.1-1): 16d990a15491 "fix GAIT table indexing due to
 *     double-scaling pointer arithmetic" (Junrui Luo) and 0cfe660559e8 "Fix aisb calculation"
 *     (Matthew Rosato);</li>
 * <li>7.2-rc3 (kvm-s390-master-7.2-1): 7b69729046a4 "Fix GISC refcount leak on AIF enable failure"
 *     (Haoxiang Li) and 3e3aa6da87d3 "Fix handling of AIF enable without AISB" (Matthew Rosato);</li>
 * <li>7.2-rc5: Farhan Ali's series, posted as v1 on 13 July 2026 and merged as 868d32ac72cb
 *     "Validate AIBV and AISB before pinning guest pages", 5580c9858f1e "Fix resource leak on IRQ
 *     registration failure", 8bf09b9b7d32 "Fix NULL dereference on AIBV allocation failure",
 *     f86842e4d6c4 "Fix missing error codes and memory unaccounting", 36f6999ecde3 "Fix memory
 *     accounting for pinned/unpinned pages" and 8fa01be5a614 "Reject adapter interrupt forwarding
 *     if already enabled".</li>
 * </ul>
 * Stable backported them (6.18.y from 6.18.33 on, per the CVE records), but the model's labels are
 * mainline releases: {@link KernelVersion#V7_2} and {@code latest} run the fixed code, every older
 * label the old one ({@link KvmFeatures#PCI_CODE}, whose values these are).
 *
 * <p>What the fixed code does differently, as modelled ({@link KvmS390Pci}): failing
 * {@code account_mem()} or bit allocation return -ENOMEM instead of 0, and a failed bit
 * allocation unaccounts; a NULL {@code airq_iv_create()} is -ENOMEM instead of a NULL dereference
 * in {@code kvm_zpci_set_airq()}; a failed REG_INT unwinds everything instead of leaving it for
 * disable; every failure after {@code kvm_s390_gisc_register()} drops that reference; the GAIT
 * and the FIB's summary-bit word are indexed once, not twice; without a summary bit the GAIT
 * entry holds 0 instead of {@code virt_to_phys(page_address(NULL))}; a second REG_AEN while
 * forwarding is on is refused. The merged diffs of the series could not be read (only the v1
 * postings of 2/5 to 5/5): the errno of the refusal, its place, and which ISC the REG_INT unwind
 * unregisters are UNCONFIRMED (see the notes there); the validation and the accounting patches
 * are not modelled.
 */
public enum AifCode {
    /** pci.c as merged in 6.0 and kept through 7.0: 6.4 to 6.15 in the model. */
    BEFORE_2026_FIXES,
    /** pci.c with the 2026 fixes: 7.2 and {@code latest}. */
    WITH_2026_FIXES;

    /** The code {@code kernel} runs ({@link KvmFeatures#PCI_CODE}): the fixed one from 7.2 on. */
    public static AifCode of(Kernel kernel) {
        Args.notNull(kernel, "kernel");
        return kernel.get(KvmFeatures.PCI_CODE);
    }

    public boolean fixed() {
        return this == WITH_2026_FIXES;
    }
}
