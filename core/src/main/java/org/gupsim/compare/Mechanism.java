package org.gupsim.compare;

/**
 * A mechanism in which two architecture variants can differ, and which can make one scenario
 * safe on one and broken on the other. Named in a {@link Disagreement}.
 */
public enum Mechanism {
    /**
     * How other CPUs' TLBs are invalidated ({@code FlushBackend.Style}): an IPI flush waits for a
     * CPU with IRQs off, so it holds up a GUP-fast walker; a hardware broadcast or a paravirt
     * flush does not.
     */
    FLUSH_STYLE("flush style"),
    /**
     * When page-table pages are freed ({@code TableFreePolicy.Kind}): right after the flush, or
     * after an RCU grace period (MMU_GATHER_RCU_TABLE_FREE), which an IRQ-off walker holds open.
     * This is the RCU difference between variants: RCU itself is the same everywhere, what differs
     * is whether table freeing waits for it.
     */
    TABLE_FREEING("RCU table freeing"),
    /** Page size and number of page-table levels (granule, 5-level paging, radix vs hash). */
    PAGE_TABLES("page tables"),
    /** Variant options written after {@code +}, e.g. {@code la57}, {@code lpa2}. */
    OPTIONS("variant options");

    private final String label;

    Mechanism(String label) {
        this.label = label;
    }

    /** How a report names it, e.g. {@code flush style}. */
    public String label() {
        return label;
    }
}
