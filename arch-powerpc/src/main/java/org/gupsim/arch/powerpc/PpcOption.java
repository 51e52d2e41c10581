package org.gupsim.arch.powerpc;

import java.util.List;
import org.gupsim.arch.VariantOption;

/** Options that follow a book3s64 base variant with {@code +}; declaration order is canonical order. */
public enum PpcOption implements VariantOption {
    /**
     * Radix only: invalidate other CPUs' TLBs by IPI multicast instead of a {@code tlbie}
     * broadcast. Mirrors arch/powerpc/mm/book3s64/radix_tlb.c when {@code cputlb_use_tlbie()} is
     * false ({@code tlbie_enabled} off: the {@code disable_tlbie} boot option or debugfs switch):
     * {@code _tlbiel_pid_multicast()} and {@code _tlbiel_va_range_multicast()} run
     * {@code do_tlbiel_*()} on every CPU of {@code mm_cpumask} through
     * {@code on_each_cpu_mask(..., wait=1)}, so an IRQ-off GUP-fast walker holds the flush back
     * as on x86.
     */
    IPI("ipi", "radix only: other CPUs' TLBs are flushed by an IPI multicast that the flusher waits for "
            + "(tlbie disabled), not by a tlbie broadcast");

    private final String label;
    private final String description;

    PpcOption(String label, String description) {
        this.label = label;
        this.description = description;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String description() {
        return description;
    }

    /** Every label, in canonical order. */
    public static List<String> labels() {
        return VariantOption.labels(values());
    }

    /**
     * What the option labelled {@code label} changes.
     *
     * @throws IllegalArgumentException if there is no such option, naming the allowed ones
     */
    static String describe(String label) {
        return VariantOption.describe(values(), label);
    }

    /** The option with this label, or null. */
    static PpcOption byLabel(String label) {
        return VariantOption.byLabel(values(), label);
    }
}
