package org.gupsim.tlb;

/**
 * How an architecture variant invalidates other CPUs' TLB entries for an mm. Mirrors
 * {@code flush_tlb_mm_range()} and the backends behind it. Built-in and user backends are the
 * same kind of value: a variant composed of parts (a recipe of the architecture SPI) may plug
 * in any implementation, and the comparison reasons about it only from its {@link #promise()}.
 */
public interface FlushBackend {

    /**
     * What this backend promises when other CPUs may hold the mm's translations. It must be true
     * of {@link #flushTlbMmRange} for an mm in the state {@link #initMm} leaves it in; the testkit's
     * {@code BackendPromises} checks that.
     */
    ShootdownPromise promise();

    /**
     * Sets up the backend's part of a new mm's state (mirrors its share of {@code init_new_context()}),
     * e.g. a global ASID for an mm the variant declares busy. Nothing by default.
     */
    default void initMm(TlbMm mm) {
    }

    /**
     * Invalidates translations of {@code mm} in {@code [start, end)} on every CPU that may hold
     * them, returning when the architecture considers the flush complete.
     *
     * @param freedTables page-table pages are about to be freed (x86 then also interrupts lazy CPUs)
     */
    void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables);
}
