package org.gupsim.arch.powerpc;

import java.util.Arrays;
import java.util.List;

/** Options that follow a book3s64 base variant with {@code +}; declaration order is canonical order. */
public enum PpcOption {
    /**
     * Radix only: invalidate other CPUs' TLBs by IPI multicast instead of a {@code tlbie}
     * broadcast. Mirrors arch/powerpc/mm/book3s64/radix_tlb.c when {@code cputlb_use_tlbie()} is
     * false ({@code tlbie_enabled} off: the {@code disable_tlbie} boot option or debugfs switch):
     * {@code _tlbiel_pid_multicast()} and {@code _tlbiel_va_range_multicast()} run
     * {@code do_tlbiel_*()} on every CPU of {@code mm_cpumask} through
     * {@code on_each_cpu_mask(..., wait=1)}, so an IRQ-off GUP-fast walker holds the flush back
     * as on x86.
     */
    IPI("ipi");

    private final String label;

    PpcOption(String label) {
        this.label = label;
    }

    /** The name users type after {@code +}. */
    public String label() {
        return label;
    }

    /** Every label, in canonical order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(PpcOption::label).toList();
    }

    /** The option with this label, or null. */
    static PpcOption byLabel(String label) {
        for (PpcOption o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        return null;
    }
}
