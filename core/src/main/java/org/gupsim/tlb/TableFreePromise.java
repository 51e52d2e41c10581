package org.gupsim.tlb;

import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * What a {@link TableFreePolicy} promises about when a page-table page it was handed is given
 * back: data the comparison reads, like {@link ShootdownPromise}.
 *
 * <p>Why these facts (spec §1): a walker with IRQs off holds an RCU grace period open and holds
 * up an IPI round that waits for every CPU ({@code tlb_remove_table_sync_one()}); it holds up
 * nothing if the table is freed right after the flush. The IPI round also holds up whatever the
 * same teardown frees after it (folios, the inode behind them), which is why RCU table freeing,
 * through its fallback, can make a folio safe where immediate freeing does not.
 *
 * @param name     how reports name it, e.g. {@code RCU}, {@code IMMEDIATE}
 * @param waitsFor what freeing normally waits for after the TLB flush
 * @param fallback what it waits for when the batch page of {@code tlb_remove_table()} cannot be
 *                 allocated; the same as {@code waitsFor} for a policy that needs no batch page
 */
public record TableFreePromise(String name, Wait waitsFor, Wait fallback) {

    /** What freeing a table waits for after the TLB flush. */
    public enum Wait {
        /** Nothing: freed right after the flush. */
        NOTHING,
        /** An IPI to every other CPU, waited for ({@code tlb_remove_table_sync_one()}). */
        IPI_ROUND,
        /** An RCU grace period ({@code call_rcu()}, MMU_GATHER_RCU_TABLE_FREE). */
        RCU_GRACE_PERIOD;

        /** How a listing says it. */
        public String text() {
            return switch (this) {
                case NOTHING -> "nothing";
                case IPI_ROUND -> "an IPI round";
                case RCU_GRACE_PERIOD -> "an RCU grace period";
            };
        }

        /** Whether a CPU with IRQs off holds it up. */
        public boolean holdsForIrqsOff() {
            return this != NOTHING;
        }
    }

    public TableFreePromise {
        Validate.isTrue(name != null && !name.isBlank(), "name must not be empty");
        Args.notNull(waitsFor, "waitsFor");
        Args.notNull(fallback, "fallback");
    }

    /** Whether an IRQ-off walker keeps a table it walks alive, whichever way the table goes. */
    public boolean keepsTablesForIrqsOff() {
        return waitsFor.holdsForIrqsOff() && fallback.holdsForIrqsOff();
    }

    /**
     * Whether freeing may send an IPI round, which an IRQ-off walker holds up along with anything
     * the same teardown frees after it.
     */
    public boolean mayIpiRound() {
        return waitsFor == Wait.IPI_ROUND || fallback == Wait.IPI_ROUND;
    }

    /** Whether this is MMU_GATHER_RCU_TABLE_FREE: tables normally go through {@code call_rcu()}. */
    public boolean rcuTableFree() {
        return waitsFor == Wait.RCU_GRACE_PERIOD;
    }

    /** Whether the facts (not the name) are the same as {@code other}'s. */
    public boolean sameFacts(TableFreePromise other) {
        return waitsFor == other.waitsFor && fallback == other.fallback;
    }

    /** One line for listings: {@code RCU (waits for an RCU grace period; without a batch page, an IPI round)}. */
    public String describe() {
        return name + " (waits for " + waitsFor.text()
                + (fallback == waitsFor ? "" : "; without a batch page, " + fallback.text()) + ")";
    }

    @Override
    public String toString() {
        return name;
    }
}
