package org.gupsim.arch.s390.kvm;

import org.apache.commons.lang3.Validate;
import org.gupsim.gup.KernelVersion;

/**
 * Which arch/s390/kvm/pci.c the model runs: the code as merged in 6.0 (3c5a1b6f0a18) and still
 * in the 6.18 tree, or the code with the 2026 fixes (Farhan Ali's series, posted July 2026).
 *
 * <p>Before the fixes: when {@code account_mem()} fails (RLIMIT_MEMLOCK) or no summary bit is
 * free, {@code kvm_s390_pci_aif_enable()} unpins the pages and returns 0, as if forwarding were set
 * up; after a failed bit allocation the charged pages are never unaccounted; the GAIT entry is
 * found at {@code gait + aisb * sizeof(gaite)} entries (scaled twice); the gisc reference taken
 * at the start is not dropped on a failure. With the fixes each of these returns -ENOMEM, unaccounts,
 * indexes {@code gait + aisb}, and unregisters the gisc.
 */
public enum AifCode {
    /** The code of every kernel the model knows (6.4 to 6.18). */
    BEFORE_2026_FIXES,
    /** With the 2026 fixes; no {@link KernelVersion} of the model has them, so only chosen explicitly. */
    WITH_2026_FIXES;

    /**
     * The code {@code kernel} runs. Every {@link KernelVersion} predates the fixes: {@code latest}
     * is 6.18, and the fixes were posted in July 2026, after it; the pci.c of the current
     * torvalds/linux tree the model was written from still has the old error paths.
     */
    public static AifCode of(KernelVersion kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return BEFORE_2026_FIXES;
    }

    public boolean fixed() {
        return this == WITH_2026_FIXES;
    }
}
