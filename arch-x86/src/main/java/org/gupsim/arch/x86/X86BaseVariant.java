package org.gupsim.arch.x86;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.gupsim.arch.Labelled;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.ParavirtFlush;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.TableFreePolicy;

/**
 * The base variants of x86-64: how TLBs are shot down and when page-table pages are freed, and
 * which kernels had each, read from the kernel's features ({@link X86Features}), never from its
 * release number, so a patched kernel has what its features say. The declaration order is the
 * listing order.
 */
public enum X86BaseVariant implements Labelled {
    /**
     * Kernels before 6.15 on bare metal: {@code native_flush_tlb_multi()} IPIs, and the native
     * {@code tlb_remove_table} frees the table right after the flush. GUP-fast is safe because its
     * IRQ-off section holds the IPI, and so the freeing, back.
     */
    NATIVE("native", "IPI shootdown, tables freed right after the flush (before 6.15)",
            IpiFlush::new, ImmediateTableFree::new,
            k -> k.get(X86Features.RCU_TABLE_FREE)
                    ? Optional.of("since a37259732a7d (6.15) x86 frees page tables through RCU in every "
                            + "configuration (native-rcu); tables freed right after the IPI flush are bare metal "
                            + "before it")
                    : Optional.empty()),
    /**
     * 6.15 and later (commit a37259732a7d): still IPIs, but tables are always freed through
     * MMU_GATHER_RCU_TABLE_FREE, after an RCU grace period.
     */
    NATIVE_RCU("native-rcu", "IPI shootdown, tables freed after an RCU grace period (6.15+, a37259732a7d)",
            IpiFlush::new, () -> new RcuTableFree(true), X86BaseVariant::needsRcuTableFree),
    /**
     * A KVM guest with the paravirt flush ({@code kvm_flush_tlb_multi()}): preempted vCPUs are not
     * interrupted but flushed by the host before they run again. Because a preempted vCPU may be
     * in the middle of GUP-fast, such guests free tables through RCU (paravirt tlb_remove_table).
     */
    PARAVIRT("paravirt", "KVM paravirt flush: preempted vCPUs flushed later by the host, no IPI; RCU table freeing",
            ParavirtFlush::new, () -> new RcuTableFree(true), k -> Optional.empty()),
    /**
     * AMD INVLPGB (6.15+, 4afeb0ed1753): an mm with a global ASID, which the kernel gives an mm
     * active on more than 3 CPUs, is flushed by hardware broadcast, no IPI at all; only RCU table
     * freeing (a37259732a7d) keeps GUP-fast's tables alive. The variant's mm is such a busy one;
     * {@code +few-cpus} is one that is not ({@link X86FlushTlbMmRange}).
     */
    INVLPGB("invlpgb", "AMD INVLPGB broadcast flush of an mm busy on 4+ CPUs, no IPI; RCU table freeing (6.15+)",
            () -> new X86FlushTlbMmRange(true), () -> new RcuTableFree(true),
            k -> !k.get(X86Features.GLOBAL_ASIDS)
                    ? Optional.of("global ASIDs and AMD INVLPGB broadcast flushes came with the INVLPGB series "
                            + "in 6.15; before, every remote flush is an IPI (native)")
                    : needsRcuTableFree(k));

    private final String label;
    private final String description;
    private final Supplier<FlushBackend> flushBackend;
    private final Supplier<TableFreePolicy> tableFreePolicy;
    private final Function<Kernel, Optional<String>> unavailableOn;

    X86BaseVariant(String label, String description, Supplier<FlushBackend> flushBackend,
            Supplier<TableFreePolicy> tableFreePolicy, Function<Kernel, Optional<String>> unavailableOn) {
        this.label = label;
        this.description = description;
        this.flushBackend = flushBackend;
        this.tableFreePolicy = tableFreePolicy;
        this.unavailableOn = unavailableOn;
    }

    /**
     * Bare metal with RCU table freeing: only once a37259732a7d (6.15) selected
     * MMU_GATHER_RCU_TABLE_FREE unconditionally. Before, RCU freeing came only with a paravirt flush
     * ({@code paravirt}), and bare metal's {@code native_tlb_remove_table} freed right after the IPI.
     */
    private static Optional<String> needsRcuTableFree(Kernel k) {
        return k.get(X86Features.RCU_TABLE_FREE) ? Optional.empty()
                : Optional.of("before a37259732a7d (6.15) bare-metal x86 freed page tables right after the IPI flush "
                        + "(native); only a paravirt flush freed them through RCU (paravirt)");
    }

    /** The name users type, e.g. {@code native-rcu}. */
    @Override
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Why {@code kernel} did not have this base, or empty if it did. */
    Optional<String> unavailableOn(Kernel kernel) {
        return unavailableOn.apply(kernel);
    }

    /** A fresh flush backend for a variant object. */
    FlushBackend newFlushBackend() {
        return flushBackend.get();
    }

    /** A fresh table-freeing policy for a variant object. */
    TableFreePolicy newTableFreePolicy() {
        return tableFreePolicy.get();
    }
}
