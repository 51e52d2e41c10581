package org.gupsim.tlb;

import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * What a {@link FlushBackend} promises about the flush it makes when other CPUs may hold the mm's
 * translations: data that the comparison reads to explain why a scenario is safe on one variant
 * and broken on another, so a user's backend is named as a cause exactly like a built-in one.
 * A conformance check (the testkit's {@code BackendPromises}) runs each declaration against what
 * the backend really does.
 *
 * <p>Why these facts (spec §1): GUP-fast walks with IRQs off. A flush that waits for every CPU it
 * reaches to take it with IRQs on cannot complete, and nothing freed behind it can be freed, while
 * a walker is inside that section (strategy A). A flush the hardware or a hypervisor completes
 * without the walker's cooperation does not hold it up: then only table freeing can.
 *
 * @param name            how reports name it, e.g. {@code IPI}, {@code BROADCAST}; two variants are
 *                        told apart by their facts, the name is what a reader sees
 * @param reach           which CPUs the flush reaches
 * @param waitsForIrqsOff the flusher does not return before every CPU it reaches has taken the flush
 *                        in an interrupt, so a CPU with IRQs off holds it up
 * @param defersPreempted a vCPU the hypervisor has preempted is not interrupted; the hypervisor
 *                        flushes it before it runs again (KVM's PV flush), so it holds nothing up
 */
public record ShootdownPromise(String name, Reach reach, boolean waitsForIrqsOff, boolean defersPreempted) {

    /** Which CPUs a flush reaches. */
    public enum Reach {
        /** Every CPU in {@code mm_cpumask()}, lazy-TLB ones included (powerpc's IPI multicast, Intel RAR). */
        MM_CPUMASK,
        /**
         * The CPUs of {@code mm_cpumask()} that are not in lazy-TLB mode; lazy ones too when page
         * tables are being freed (x86 {@code native_flush_tlb_multi()}, {@code should_flush_tlb()}).
         */
        MM_CPUMASK_NOT_LAZY,
        /** Every CPU of the machine, by hardware broadcast (arm64 TLBI IS, s390 IPTE/IDTE, tlbie, INVLPGB). */
        ALL_CPUS;

        /** How a listing says it. */
        public String text() {
            return switch (this) {
                case MM_CPUMASK -> "mm_cpumask";
                case MM_CPUMASK_NOT_LAZY -> "mm_cpumask, lazy CPUs only when tables are freed";
                case ALL_CPUS -> "all CPUs";
            };
        }
    }

    /** Whether a CPU with IRQs off, in the middle of GUP-fast, holds a flush up. */
    public enum HoldsUp {
        /** Always: an IPI that is waited for (strategy A). */
        ALWAYS,
        /** Only while the vCPU runs: a preempted one is left to the hypervisor. */
        UNLESS_PREEMPTED,
        /** Never: the hardware, microcode or hypervisor completes the flush without it. */
        NEVER
    }

    public ShootdownPromise {
        Validate.isTrue(name != null && !name.isBlank(), "name must not be empty");
        Args.notNull(reach, "reach");
        Validate.isTrue(!defersPreempted || waitsForIrqsOff,
                "defersPreempted describes a flush that waits for the CPUs it interrupts; %s does not", name);
    }

    /** Interrupts every CPU it reaches and waits for each: an IRQ-off walker holds it up. */
    public static ShootdownPromise ipi(String name, Reach reach) {
        return new ShootdownPromise(name, reach, true, false);
    }

    /** Completed without the targets' cooperation: an IRQ-off walker holds nothing up. */
    public static ShootdownPromise noWait(String name, Reach reach) {
        return new ShootdownPromise(name, reach, false, false);
    }

    /** Derived from {@link #waitsForIrqsOff} and {@link #defersPreempted}. */
    public HoldsUp holdsUp() {
        if (!waitsForIrqsOff) {
            return HoldsUp.NEVER;
        }
        return defersPreempted ? HoldsUp.UNLESS_PREEMPTED : HoldsUp.ALWAYS;
    }

    /** Whether the facts (not the name) are the same as {@code other}'s. */
    public boolean sameFacts(ShootdownPromise other) {
        return reach == other.reach && waitsForIrqsOff == other.waitsForIrqsOff
                && defersPreempted == other.defersPreempted;
    }

    /** One line for listings: {@code IPI (mm_cpumask; waits for IRQ-off CPUs)}. */
    public String describe() {
        String wait = !waitsForIrqsOff ? "no wait for IRQ-off CPUs"
                : defersPreempted ? "waits for IRQ-off CPUs, not for preempted vCPUs" : "waits for IRQ-off CPUs";
        return name + " (" + reach.text() + "; " + wait + ")";
    }

    @Override
    public String toString() {
        return name;
    }
}
