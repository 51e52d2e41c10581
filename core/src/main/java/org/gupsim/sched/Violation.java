package org.gupsim.sched;

import org.apache.commons.lang3.Validate;

/**
 * A kernel bug the model detected.
 *
 * @param kind    what went wrong
 * @param message a sentence naming the objects involved
 * @param subject the kind of object it happened to, in words a table can show ({@code page-table},
 *                {@code folio}, {@code address-space}, {@code stale-TLB} for an access through a
 *                TLB entry that outlived its page, {@code stack} for a read past the walker's
 *                stack copy of an entry); empty when the checker does not say. It is
 *                carried as data so that summaries never parse {@link #message}.
 */
public record Violation(ViolationKind kind, String message, String subject) {
    /** The subject of a use-after-free of a page-table page. */
    public static final String PAGE_TABLE = "page-table";
    /** The subject of a use-after-free of a folio (a data page). */
    public static final String FOLIO = "folio";
    /** The subject of a use-after-free of an address space (the inode's {@code i_data}). */
    public static final String ADDRESS_SPACE = "address-space";
    /** The subject of an access through a TLB entry that outlived the page it maps. */
    public static final String STALE_TLB = "stale-TLB";
    /**
     * The subject of a read outside GUP-fast's stack copy of an entry: a run-time-folded level
     * offset from the copy instead of the table (d3f7b1bb2040, 36639013b346).
     */
    public static final String STACK = "stack";

    public Violation {
        Validate.isTrue(kind != null, "kind must not be null");
        Validate.isTrue(message != null, "message must not be null");
        Validate.isTrue(subject != null, "subject must not be null");
    }

    /** A violation whose checker names no subject. */
    public Violation(ViolationKind kind, String message) {
        this(kind, message, "");
    }

    /** A use-after-free of a {@code subject} (e.g. {@code page-table}), described by {@code message}. */
    public static Violation useAfterFree(String subject, String message) {
        return new Violation(ViolationKind.USE_AFTER_FREE, message, subject);
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
