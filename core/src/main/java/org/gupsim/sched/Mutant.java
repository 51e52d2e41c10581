package org.gupsim.sched;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Named deviations from the kernel a user can switch on, to see what a check or barrier buys:
 * values passed to a machine, never forks of the code. Each names the kernel mechanism it removes.
 */
public enum Mutant {
    /** GUP-fast walks with IRQs on (no {@code local_irq_save()} around {@code gup_fast_pgd_range()}). */
    NO_IRQ_DISABLE("no-irq-disable", "GUP-fast walks with IRQs enabled"),
    /** GUP-fast does not recheck the PTE after grabbing the folio. */
    NO_PTE_RECHECK("no-pte-recheck", "GUP-fast skips the PTE recheck after grabbing a folio"),
    /** GUP-fast does not recheck the PMD after grabbing the folio (before 70cbc3cc78a9). */
    NO_PMD_RECHECK("no-pmd-recheck", "GUP-fast skips the PMD recheck (before 70cbc3cc78a9)"),
    /** Page tables are freed right after the TLB flush whatever the architecture's policy. */
    IMMEDIATE_TABLE_FREE("immediate-table-free", "page tables freed right after the TLB flush, not via RCU"),
    /** Pre-4.20 RCU: IRQ-off regions do not hold off {@code call_rcu()} grace periods. */
    SPLIT_RCU_FLAVORS("split-rcu-flavors", "pre-4.20 RCU: IRQ-off does not hold off call_rcu()"),
    /**
     * GUP-fast offsets folded levels from its stack copy of the entry, as generic GUP-fast did
     * before d3f7b1bb2040 ({@code pXd_offset(&copy, addr)} instead of
     * {@code pXd_offset_lockless(pXdp, pXd, addr)}).
     */
    FOLDED_OFFSET_ON_COPY("folded-offset-on-copy",
            "GUP-fast offsets folded levels from its stack copy (before d3f7b1bb2040)"),
    /**
     * KVM frees a deleted memslot without waiting for {@code kvm->srcu} readers: no
     * {@code synchronize_srcu_expedited()} between publishing the new memslot array and freeing
     * the old slot (virt/kvm/kvm_main.c {@code kvm_swap_active_memslots()}), so a
     * {@code gfn_to_hva()} that found the slot may read it after it was freed.
     */
    NO_MEMSLOT_SRCU_SYNC("no-memslot-srcu-sync",
            "KVM frees a deleted memslot without waiting for kvm->srcu readers (no synchronize_srcu)");

    private final String label;
    private final String description;

    Mutant(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The name users type, e.g. {@code no-irq-disable}. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Mutant::label).toList();
    }

    /**
     * Parses a label.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Mutant parse(String label) {
        for (Mutant m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mutant must be one of " + labels() + ", was '" + label + "'");
    }

    /** No mutants. */
    public static Set<Mutant> none() {
        return EnumSet.noneOf(Mutant.class);
    }

    @Override
    public String toString() {
        return label;
    }
}
