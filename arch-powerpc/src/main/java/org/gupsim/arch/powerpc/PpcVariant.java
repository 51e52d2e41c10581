package org.gupsim.arch.powerpc;

import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantOption;
import org.gupsim.memmodel.Order;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.RcuTableFree;

/**
 * One configured book3s64 variant, e.g. {@code radix-64k+ipi}: a value. Two variants with the
 * same base and options are equal.
 *
 * <p>Shootdown: radix invalidates with a {@code tlbie} broadcast (no IPI), or with the IPI
 * multicast of option {@link #IPI}; hash removes HPTEs with {@code tlbie}, also a
 * broadcast. Table freeing: MMU_GATHER_RCU_TABLE_FREE everywhere; {@code tlb_needs_table_invalidate()}
 * is {@code radix_enabled()}, because the hash MMU never walks the Linux tables and so caches
 * nothing of a freed one.
 */
public final class PpcVariant extends AbstractArchVariant {
    /**
     * Radix only: invalidate other CPUs' TLBs by IPI multicast instead of a {@code tlbie}
     * broadcast. Mirrors arch/powerpc/mm/book3s64/radix_tlb.c when {@code cputlb_use_tlbie()} is
     * false ({@code tlbie_enabled} off: the {@code disable_tlbie} boot option or debugfs switch):
     * {@code _tlbiel_pid_multicast()} and {@code _tlbiel_va_range_multicast()} run
     * {@code do_tlbiel_*()} on every CPU of {@code mm_cpumask} through
     * {@code on_each_cpu_mask(..., wait=1)}, so an IRQ-off GUP-fast walker holds the flush back
     * as on x86.
     */
    public static final VariantOption IPI = new VariantOption("ipi", "radix only: other CPUs' TLBs are flushed by an "
            + "IPI multicast that the flusher waits for (tlbie disabled), not by a tlbie broadcast");
    /** The options that follow a base with {@code +}, in canonical order. */
    public static final List<VariantOption> OPTIONS = List.of(IPI);

    private final PpcBaseVariant base;
    private final Set<VariantOption> options;

    /**
     * @param architecture the architecture that made this variant
     * @param base         MMU and page size
     * @param options      {@link #IPI} (radix only), of {@link #OPTIONS}
     * @throws IllegalArgumentException for a null base or option, an option of another architecture, or
     *                                  {@code ipi} on hash
     */
    public PpcVariant(Architecture architecture, PpcBaseVariant base, Set<VariantOption> options) {
        // Radix picks tlbiel, tlbie or an IPI multicast per flush (RadixTlbFlush); hash removes
        // hashed entries with tlbie, a broadcast.
        super(architecture, name(base, options),
                base.radix() ? new RadixTlbFlush(!options.contains(IPI)) : new BroadcastFlush(),
                new RcuTableFree(base.radix()), base.layout());
        this.base = base;
        this.options = VariantOption.inOrder(OPTIONS, options);
    }

    /** The canonical name, base then options in declaration order; checks the arguments first. */
    private static String name(PpcBaseVariant base, Set<VariantOption> options) {
        Validate.isTrue(base != null, "base must not be null");
        Set<VariantOption> canonical = VariantOption.inOrder(OPTIONS, options);
        Validate.isTrue(base.radix() || !canonical.contains(IPI),
                "variant option 'ipi' needs a radix base (hash removes HPTEs with tlbie only), was '%s'",
                base.label());
        return VariantOption.variantName(base.label(), canonical);
    }

    public PpcBaseVariant base() {
        return base;
    }

    /** Whether other CPUs are flushed by IPI multicast rather than tlbie. */
    public boolean ipi() {
        return options.contains(IPI);
    }

    /**
     * {@code radix__pmdp_collapse_flush()} (arch/powerpc/mm/book3s64/radix_pgtable.c) clears the
     * PMD, then {@code serialize_against_pte_lookup()} IPIs every CPU of the mm and waits ("we can
     * ensure that by sending IPI because gup walk happens with IRQ disabled"), then flushes the
     * range. So on powerpc a collapse waits for IRQ-off walkers whatever the TLB flush is. That
     * {@code hash__pmdp_collapse_flush()} does the same IPI is from our reading of older sources
     * (UNCONFIRMED for current kernels).
     */
    @Override
    public boolean pmdpCollapseFlushSerializes() {
        return true;
    }

    /**
     * Mirrors {@code radix__pgtable_trans_huge_deposit()}: radix keeps the deposited PTE tables on
     * a list whose {@code list_head} lives in the first two words of each table, so a deposited
     * table holds two kernel pointers where PTEs were: not PTE data, which is why a lockless
     * walker must never see a table after it is deposited (2ba99c5e0881). Hash stores the table
     * pointer beside the PMD instead (modelled as the generic list).
     */
    @Override
    public void pgtableTransHugeDeposit(PageTable pmdTable, PageTable pgtable) {
        if (base.radix()) {
            // INIT_LIST_HEAD(): next and prev point at the list_head itself, a linear-map address.
            long self = LINEAR_MAP | pgtable.phys();
            PgtableInternals.write(pgtable, 0, self, "radix__pgtable_trans_huge_deposit");
            PgtableInternals.write(pgtable, 1, self, "radix__pgtable_trans_huge_deposit");
        }
        PgtableInternals.depositHugePte(pmdTable, pgtable);
    }

    /** Mirrors {@code radix__pgtable_trans_huge_withdraw()}, which zeroes the two words again. */
    @Override
    public PageTable pgtableTransHugeWithdraw(PageTable pmdTable) {
        PageTable t = PgtableInternals.withdrawHugePte(pmdTable);
        if (t != null && base.radix()) {
            PgtableInternals.write(t, 0, 0, "radix__pgtable_trans_huge_withdraw");
            PgtableInternals.write(t, 1, 0, "radix__pgtable_trans_huge_withdraw");
        }
        return t;
    }

    /**
     * powerpc has its own {@code __tlb_remove_table()} (its PMD and PUD tables are not
     * {@code struct ptdesc}), so CONFIG_PT_RECLAIM is never built for it.
     */
    @Override
    public boolean haveArchTlbRemoveTable() {
        return true;
    }

    /** Where the kernel's linear map of physical memory starts on book3s64 ({@code PAGE_OFFSET}). */
    private static final long LINEAR_MAP = 0xc000000000000000L;

    /**
     * book3s64's {@code ptep_get_and_clear()} is {@code pte_update()}: radix's
     * {@code __radix_pte_update()} is an {@code ldarx/stdcx.} loop with no barrier
     * (arch/powerpc/include/asm/book3s/64/radix.h), orders nothing. Hash's
     * {@code hash__pte_update()} is the same kind of loop (UNCONFIRMED: not read here).
     */
    @Override
    public Order ptepGetAndClearOrder() {
        return Order.RELAXED;
    }
}
