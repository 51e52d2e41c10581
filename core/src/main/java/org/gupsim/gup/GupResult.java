package org.gupsim.gup;

import java.util.Locale;
import org.gupsim.mm.Errno;

/**
 * What a get/pin_user_pages call returned, plus how it got there.
 *
 * @param ret        the kernel's return value: pages pinned or gotten, or a negative errno
 * @param fastPinned pages the lockless fast path took before any fallback
 * @param path       which paths ran
 * @param reason     why the call stopped short or the fast path gave up (null when neither happened)
 * @param fastReason on {@link Path#FAST_SLOW}, why GUP-fast gave up and handed the rest to the slow
 *                   path, whose own reason {@code reason} then is (null if GUP-fast gave no reason)
 */
public record GupResult(long ret, int fastPinned, Path path, String reason, String fastReason) {

    /** A result without a separate reason of the fast path. */
    public GupResult(long ret, int fastPinned, Path path, String reason) {
        this(ret, fastPinned, path, reason, null);
    }

    /** Which paths a call ran. */
    public enum Path {
        /** Rejected before any walk. */
        NONE,
        /** GUP-fast did everything. */
        FAST,
        /** GUP-fast did part (maybe nothing), the slow path the rest. */
        FAST_SLOW,
        /** Only the slow path ran. */
        SLOW;

        /** How a result prints it: the constant's name in lower case, {@code _} a {@code +}, e.g. {@code fast+slow}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '+');
        }
    }

    /** Pages pinned or gotten (0 on error). */
    public int pages() {
        return ret > 0 ? (int) ret : 0;
    }

    public boolean isError() {
        return ret < 0;
    }

    /** The errno, or null if the call did not fail. */
    public Errno errno() {
        return ret < 0 ? Errno.fromReturn(ret) : null;
    }

    @Override
    public String toString() {
        return (ret < 0 ? errno().name() : Long.toString(ret)) + " (" + path.label()
                + (reason != null ? "; " + reason : "") + ")";
    }
}
