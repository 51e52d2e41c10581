package org.gupsim.arch.powerpc;

import java.util.Arrays;
import java.util.List;

/** Options that follow a book3s64 base variant with {@code +}; declaration order is canonical order. */
public enum PpcOption {
    /**
     * Radix only: invalidate other CPUs' TLBs by IPI multicast (each CPU in the mm's cpumask runs
     * {@code tlbiel} itself) instead of a {@code tlbie} broadcast. Mirrors the {@code tlbie=off}
     * path of arch/powerpc/mm/book3s64/radix_tlb.c ({@code cputlb_use_tlbie()} false:
     * {@code exit_flush_lazy_tlbs()} / {@code do_tlbiel_*} through {@code on_each_cpu_mask()}), also
     * taken for {@code mm_needs_flush_escalation()}.
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
