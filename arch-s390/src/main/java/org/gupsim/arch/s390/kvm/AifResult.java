package org.gupsim.arch.s390.kvm;

import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;

/**
 * What an AIF call returned, and where and why it stopped.
 *
 * @param rc     the kernel's return value: 0 or a negative errno
 * @param failed the step that failed, or null when every step succeeded; a failed step with
 *               {@code rc == 0} is the silent failure of the pci.c before 7.2 ({@link #silentFailure()})
 * @param gup    the GUP call of the failed pin (its errno is what the kernel drops for -EIO), or null
 * @param reason in words, or null on success
 */
public record AifResult(int rc, AifStep failed, GupResult gup, String reason) {

    static final AifResult OK = new AifResult(0, null, null, null);

    public boolean ok() {
        return rc == 0 && failed == null;
    }

    /** Returned 0, but forwarding was not set up: the bug of the pci.c before 7.2 (fixed by f86842e4d6c4). */
    public boolean silentFailure() {
        return rc == 0 && failed != null;
    }

    /** The errno, or null for 0. */
    public Errno errno() {
        return rc < 0 ? Errno.fromReturn(rc) : null;
    }

    /** {@code 0}, {@code EIO (aisb-pin: ...)} or {@code 0 but account-mem failed: ...}. */
    @Override
    public String toString() {
        if (ok()) {
            return "0";
        }
        String where = failed.label() + ": " + reason;
        return rc == 0 ? "0 but " + where : errno() + " (" + where + ")";
    }
}
