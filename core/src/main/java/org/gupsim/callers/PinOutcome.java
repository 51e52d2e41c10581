package org.gupsim.callers;

import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;

/**
 * What a GUP caller's operation returned.
 *
 * @param ret    0 or pages pinned on success, a negative errno on failure, as the kernel function returns
 * @param pinned pages left pinned by the operation
 * @param gup    the last GUP call it made (null if it failed before calling GUP)
 * @param reason why it failed, in words (null on success)
 */
public record PinOutcome(long ret, int pinned, GupResult gup, String reason) {
    public boolean ok() {
        return ret >= 0;
    }

    public Errno errno() {
        return ret < 0 ? Errno.fromReturn(ret) : null;
    }
}
