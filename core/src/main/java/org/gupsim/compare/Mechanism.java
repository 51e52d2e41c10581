package org.gupsim.compare;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.memmodel.StoreLoadCases;
import org.gupsim.sched.Violation;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TableFreePromise;

/**
 * A mechanism in which two architecture variants can differ, and which can make one scenario
 * safe on one and broken on the other. Named in a {@link Disagreement}, but only where it can
 * explain what went wrong ({@link #canExplain}): two variants differ in many ways at once, and a
 * difference that cannot touch the object a violation is about is a coincidence, not a cause.
 *
 * <p><b>Which mechanism can matter for which object</b> (spec §1-2). GUP-fast walks the page
 * tables with IRQs off and no lock, and everything it dereferences must outlive the walk:
 * <ul>
 *   <li><b>Page-table pages</b> are kept alive either by the flush (strategy A: an IPI shootdown
 *       cannot complete until the walker turns IRQs back on, and teardown frees only after the
 *       flush) or by table freeing (strategy B: MMU_GATHER_RCU_TABLE_FREE frees them after a grace
 *       period the IRQ-off walker holds open). Which tables exist, and how the walker steps through
 *       folded levels, is the page-table geometry. So every mechanism can explain a page-table
 *       use-after-free.</li>
 *   <li><b>Folios</b> are freed after the flush ({@code tlb_flush_mmu()}: tables before pages), so an
 *       IPI flush holds their free up for the walker and a broadcast does not; their size and the
 *       leaf level that maps them are the geometry. Table freeing does not delay a folio, but with
 *       MMU_GATHER_RCU_TABLE_FREE the kernel sends {@code tlb_remove_table_sync_one()}'s IPI (when no
 *       batch page can be allocated, and after khugepaged's collapse), which waits for IRQ-off
 *       walkers like an IPI flush and so also holds up what is freed after it. RCU table freeing
 *       can therefore make a folio safe where immediate freeing is not, never the other way round.</li>
 *   <li><b>Address spaces</b> (inodes) are freed by {@code i_callback()} after an RCU grace period
 *       (spec §4), whatever the architecture; what differs between variants is whether the
 *       unmapping before the eviction waits for the walker (an IPI flush) or not. Table freeing
 *       matters only through the same sync IPI, in the same direction as for folios. Page size
 *       and levels do not change when an inode is freed.</li>
 *   <li><b>Stale TLB entries</b> live until the flush reaches the CPU: the flush style (a
 *       paravirt flush defers preempted vCPUs) and what one entry covers (the page size) decide.
 *       Table freeing frees no data page and the sync IPI invalidates nothing.</li>
 *   <li><b>The walker's stack</b> is read past its copy of an entry when a level folded at run
 *       time is offset from the copy instead of the table (spec §6b-c): that is the page-table
 *       geometry and the options that fold it ({@code +lpa2}, {@code +la57}); no flush and no
 *       table freeing touches the stack.</li>
 * </ul>
 * A violation without a subject (a deadlock, a refcount underflow, a long-term write pin, a
 * {@code BUG_ON}) gives nothing to rule a mechanism out by, so every one stays a candidate.
 * {@link #OPTIONS} is what the report knows least about (an option can change the geometry, as
 * {@code +la57} and {@code +lpa2} do, or the flush, as powerpc's {@code +ipi} does), so it is never
 * ruled out either.
 *
 * <p>Flush and table freeing are judged from what the backends promise ({@link ShootdownPromise},
 * {@link TableFreePromise}), never from which backend it is, so a user's backend is named as a
 * cause exactly like a built-in one:
 * <ul>
 *   <li>a flush can explain a use-after-free only if the two sides differ in whether an IRQ-off
 *       walker holds the flush up ({@link ShootdownPromise#holdsUp()}); a stale TLB entry if they
 *       differ in any promised fact (which CPUs, waiting, deferral); any other subject likewise;</li>
 *   <li>table freeing can explain a page-table use-after-free only if the two sides differ in
 *       whether an IRQ-off walker keeps a table alive ({@link TableFreePromise#keepsTablesForIrqsOff()});
 *       a folio or address-space one (or another subject) only if the broken side never sends an
 *       IPI round and the other may ({@link TableFreePromise#mayIpiRound()}).</li>
 * </ul>
 * For the built-in backends (IPI, BROADCAST, PARAVIRT; IMMEDIATE, RCU) these rules give exactly
 * what the per-value rules before them gave.
 *
 * <p>RCU itself (whether an IRQ-off section holds a grace period, the {@code split-rcu-flavors}
 * patch) is the same for every variant of a disagreement, whose cells share their patches: what
 * differs between variants is whether table freeing waits for it.
 */
public enum Mechanism {
    /**
     * How other CPUs' TLBs are invalidated ({@link ShootdownPromise}): an IPI flush waits for a
     * CPU with IRQs off, so it holds up a GUP-fast walker; a hardware broadcast or a paravirt
     * flush (for a preempted vCPU) does not. It can explain a violation about any object but the
     * walker's stack, as far as the promised facts differ.
     */
    FLUSH_STYLE("flush style"),
    /**
     * When page-table pages are freed ({@link TableFreePromise}): right after the flush, or
     * after an RCU grace period (MMU_GATHER_RCU_TABLE_FREE), which an IRQ-off walker holds open.
     * This is the RCU difference between variants: RCU itself is the same everywhere, what differs
     * is whether table freeing waits for it. It explains a page-table use-after-free; a folio or
     * address-space one only where the broken variant frees tables immediately and the other
     * through RCU (the sync IPI, see above); never a stale TLB entry.
     */
    TABLE_FREEING("RCU table freeing"),
    /**
     * Page size and number of page-table levels (granule, 5-level paging). It explains a
     * violation about a page table, a folio or a TLB entry, not about an address space.
     */
    PAGE_TABLES("page tables"),
    /** Variant options written after {@code +}, e.g. {@code la57}, {@code lpa2}; never ruled out. */
    OPTIONS("variant options"),
    /**
     * The memory model the cell ran under (a comparison's {@code --memory-model} axis). It can
     * explain a violation about any object, but only on the side whose model lets a later load
     * pass a store the other side's model keeps before it ({@link StoreLoadCases#reorderedOnlyBy}):
     * what a weaker model adds are executions, so a violation found only under the stronger model
     * is not its doing. The orderings that differ are asked of the models' own definitions, never
     * a table of which model breaks what.
     */
    MEMORY_MODEL("memory model");

    private final String label;

    Mechanism(String label) {
        this.label = label;
    }

    /** How a report names it, e.g. {@code flush style}. */
    public String label() {
        return label;
    }

    /**
     * Whether this mechanism, differing between a variant that ended in {@code broken} and another,
     * can be what let {@code broken} happen on the first and not on the second (see the class
     * comment for the reasoning per subject).
     *
     * @param broken     the violation of the first variant
     * @param brokenSide the first variant's mechanisms
     * @param otherSide  the other variant's mechanisms
     */
    public boolean canExplain(Violation broken, Mechanisms brokenSide, Mechanisms otherSide) {
        Validate.isTrue(broken != null, "broken must not be null");
        Validate.isTrue(brokenSide != null && otherSide != null, "brokenSide and otherSide must not be null");
        // What values reads return decides every object alike: only the direction matters.
        if (this == MEMORY_MODEL) {
            return !reorderings(brokenSide, otherSide).isEmpty();
        }
        String subject = broken.subject();
        if (subject.isEmpty()) {
            return true;
        }
        if (subject.equals(Violation.STACK)) {
            return this == PAGE_TABLES || this == OPTIONS;
        }
        return switch (this) {
            case FLUSH_STYLE -> flushCanExplain(subject, brokenSide.shootdown(), otherSide.shootdown());
            case TABLE_FREEING -> tablesCanExplain(subject, brokenSide.tableFreeing(), otherSide.tableFreeing());
            case PAGE_TABLES -> !subject.equals(Violation.ADDRESS_SPACE);
            case OPTIONS, MEMORY_MODEL -> true;
        };
    }

    /**
     * The ways of storing ({@link StoreLoadCases#CASES}) whose store {@code weaker}'s memory model
     * lets a later load pass and {@code stronger}'s keeps before it: empty when the models are the
     * same or {@code weaker}'s is not weaker in any of them.
     */
    public static List<StoreLoadCases.Case> reorderings(Mechanisms weaker, Mechanisms stronger) {
        Validate.isTrue(weaker != null && stronger != null, "weaker and stronger must not be null");
        if (weaker.memoryModel().equals(stronger.memoryModel())) {
            return List.of();
        }
        return StoreLoadCases.reorderedOnlyBy(MemoryModels.get(weaker.memoryModel()),
                MemoryModels.get(stronger.memoryModel()));
    }

    private static boolean useAfterFree(String subject) {
        return subject.equals(Violation.PAGE_TABLE) || subject.equals(Violation.FOLIO)
                || subject.equals(Violation.ADDRESS_SPACE);
    }

    /**
     * What a walker relies on against a free is that an IRQ-off section holds the flush up; which
     * CPUs are reached beyond the walker's, or whether preempted vCPUs are deferred when the walker
     * runs, matters to stale TLB entries, not to a free.
     */
    private static boolean flushCanExplain(String subject, ShootdownPromise broken, ShootdownPromise other) {
        if (useAfterFree(subject)) {
            return broken.holdsUp() != other.holdsUp();
        }
        return !broken.sameFacts(other);
    }

    /**
     * A table lives while an IRQ-off walker holds its freeing up; anything else the same teardown
     * frees lives only through the IPI round the freeing may send, and only in one direction.
     */
    private static boolean tablesCanExplain(String subject, TableFreePromise broken, TableFreePromise other) {
        if (subject.equals(Violation.STALE_TLB)) {
            return false;
        }
        if (subject.equals(Violation.PAGE_TABLE)) {
            return broken.keepsTablesForIrqsOff() != other.keepsTablesForIrqsOff();
        }
        return !broken.mayIpiRound() && other.mayIpiRound();
    }
}
