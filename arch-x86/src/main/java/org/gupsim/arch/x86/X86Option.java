package org.gupsim.arch.x86;

import java.util.List;
import org.gupsim.arch.VariantOption;

/** Options that follow an x86-64 base variant with {@code +}; declaration order is canonical order. */
public enum X86Option implements VariantOption {
    /** The CPU has LA57, so the kernel uses 5-level paging (56-bit user addresses). */
    LA57("la57", "the CPU has LA57: 5-level page tables and 56-bit user addresses (mmap stays below 47 bits unless "
            + "hinted higher); without it the P4D level is folded"),
    /**
     * {@code invlpgb} only: the mm is active on three CPUs or fewer, so
     * {@code consider_global_asid()} gives it no global ASID and {@code flush_tlb_mm_range()} falls
     * back to IPIs (arch/x86/mm/tlb.c, {@code mm_active_cpus_exceeds(mm, 3)}).
     */
    FEW_CPUS("few-cpus", "invlpgb only: the mm runs on 3 CPUs or fewer, so it gets no global ASID and is flushed "
            + "by IPIs, not INVLPGB (consider_global_asid(), 6.15+)");

    private final String label;
    private final String description;

    X86Option(String label, String description) {
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
    static X86Option byLabel(String label) {
        return VariantOption.byLabel(values(), label);
    }
}
