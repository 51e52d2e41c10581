package org.gupsim.testkit;

/** How a {@link Mapping} leaves its pages before the call under test. */
public enum Touch {
    /** Not touched: nothing is faulted in. */
    NONE,
    /** Read-faulted: anonymous pages map the shared zero page, file pages the page cache. */
    READ,
    /** Write-faulted: every page present and writable (private file pages are CoW copies). */
    WRITE,
    /** Write-faulted over the first half only (for one huge page, that faults all of it). */
    WRITE_FIRST_HALF
}
