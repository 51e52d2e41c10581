package org.gupsim.tlb;

/**
 * How an architecture variant invalidates other CPUs' TLB entries for an mm. Mirrors
 * {@code flush_tlb_mm_range()} and the backends behind it.
 */
public interface FlushBackend {

    /** The style, as reports name it. */
    enum Style {
        /** Interrupt every CPU in the mask and wait: a CPU with IRQs off holds the flush up. */
        IPI,
        /** Hardware broadcast (arm64 TLBI IS, s390 IPTE/IDTE, powerpc tlbie, AMD INVLPGB): nobody waits. */
        BROADCAST,
        /** A hypervisor flushes preempted vCPUs later; running ones still get IPIs. */
        PARAVIRT
    }

    Style style();

    /**
     * Invalidates translations of {@code mm} in {@code [start, end)} on every CPU that may hold
     * them, returning when the architecture considers the flush complete.
     *
     * @param freedTables page-table pages are about to be freed (x86 then also interrupts lazy CPUs)
     */
    void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables);
}
