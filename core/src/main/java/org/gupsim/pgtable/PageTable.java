package org.gupsim.pgtable;

import java.util.Objects;
import java.util.function.LongUnaryOperator;
import org.gupsim.memmodel.Order;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.WeakCell;
import org.gupsim.smp.SpinLock;

/**
 * One page table: the entries of one level for one naturally aligned address range, stored as
 * the {@code long[]} the hardware would read. Reads and writes go through {@link #read} and
 * {@link #write} so that each is a scheduling point and a read of a freed table is caught as a
 * use-after-free, which is what GUP-fast must never do. Its entries are {@link WeakCell} memory:
 * under a memory model with store buffers a CPU's entry writes reach other CPUs when its buffer
 * lets them, and {@link #read} returns what the reading CPU can see.
 */
public final class PageTable implements WeakCell {
    /**
     * The entries, in chunks of {@link #CHUNK} made on the first non-zero store into them (a
     * missing chunk reads as zeros). Most tables of a scenario hold a handful of entries, and every
     * execution of an exploration builds its machine anew: a full {@code long[512]} per table was
     * most of the memory an execution allocated and zeroed.
     */
    private final long[][] chunks;
    private final int nrEntries;
    private static final int CHUNK_SHIFT = 6;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    /** How many entries are not 0, kept by {@link #store}: {@link #empty} without a scan of the table. */
    private int used;
    private final Level level;
    private final PtDesc page;
    private final int fragment;
    private final long phys;
    private final Sched sched;
    /** Made on first use (traces, reports): most tables are never named, and a string per table costs memory. */
    private String name;
    private final PageTables owner;
    private final long vaddrBase;
    private boolean freed;
    private String freedBy;
    /**
     * {@code pmd_huge_pte()}: on a PMD table, the PTE tables deposited for the huge leaves it
     * holds (made on first deposit; null on every other table).
     */
    private java.util.ArrayDeque<PageTable> hugePte;

    PageTable(PageTables owner, Level level, PtDesc page, int fragment, int nrEntries, long phys, long vaddrBase) {
        this.owner = owner;
        this.vaddrBase = vaddrBase;
        this.nrEntries = nrEntries;
        this.chunks = new long[(nrEntries + CHUNK - 1) >>> CHUNK_SHIFT][];
        this.level = level;
        this.page = page;
        this.fragment = fragment;
        this.phys = phys;
        this.sched = owner.mem().sched();
    }

    public Level level() {
        return level;
    }

    /** Physical address of the table; upper-level entries point here. */
    public long phys() {
        return phys;
    }

    public PtDesc page() {
        return page;
    }

    public int fragment() {
        return fragment;
    }

    public int nrEntries() {
        return nrEntries;
    }

    public boolean freed() {
        return freed;
    }

    /** Who freed the table, for use-after-free reports. */
    public String freedBy() {
        return freedBy;
    }

    void markFreed(String by) {
        this.freed = true;
        this.freedBy = by;
    }

    /**
     * The split page-table lock that covers this table ({@code pte_lockptr} / {@code pmd_lockptr}).
     * It lives in the page-table page ({@code ptlock_ptr(ptdesc)}), so fragments of one page share
     * it: powerpc's 256-byte PTE fragments, s390's 2K page tables before about 6.7.
     */
    public SpinLock ptl() {
        return page.ptl(phys & -owner.geometry().pageSize(), sched);
    }

    /**
     * Mirrors the generic {@code pgtable_trans_huge_deposit()} (mm/pgtable-generic.c): keeps
     * {@code pgtable}, a PTE table no longer linked, on this PMD table's list ({@code pmd_huge_pte},
     * kept in the PMD table's page with split PMD locks), to be withdrawn when a huge leaf of this
     * table is split or zapped. The caller holds this table's lock.
     */
    void depositHugePte(PageTable pgtable) {
        if (hugePte == null) {
            hugePte = new java.util.ArrayDeque<>();
        }
        hugePte.addLast(pgtable);
    }

    /**
     * Mirrors the generic {@code pgtable_trans_huge_withdraw()}: a deposited table (FIFO), or null if none is.
     * This and the other stores of a table are package-private: the model's other packages call
     * them through {@code org.gupsim.pgtable.internal.PgtableInternals}.
     */
    PageTable withdrawHugePte() {
        return hugePte == null ? null : hugePte.pollFirst();
    }

    /** Mirrors {@code READ_ONCE(*pXdp)} / {@code ptep_get()}. */
    public long read(int index, String function) {
        sched.point(this, index, Access.READ, function);
        if (freed) {
            useAfterFree(index, function);
        }
        return sched.load(this, index, get(index));
    }

    /** The first virtual address this table translates. */
    public long vaddrBase() {
        return vaddrBase;
    }

    /** The virtual address entry {@code index} translates. */
    public long vaddrOf(int index) {
        return vaddrBase + ((long) index << owner.geometry().shift(level));
    }

    /** Mirrors {@code set_pte_at()} / {@code WRITE_ONCE(*pXdp, v)} / {@code pXd_clear()}. */
    void write(int index, long value, String function) {
        sched.point(this, index, Access.WRITE, function);
        if (freed) {
            useAfterFree(index, function);
        }
        store(index, value);
        PageTables.LeafListener l = owner.leafListener();
        if (l != null && value != 0) {
            EntryFormat fmt = owner.format();
            if (fmt.present(level, value) && fmt.leaf(level, value)) {
                l.leafInstalled(owner, vaddrOf(index), level, value);
            }
        }
    }

    /**
     * Mirrors an exchange with 0 that is fully ordered on every architecture, or whose caller
     * flushes right after it (the flush orders it: {@code pmdp_collapse_flush()},
     * {@code ptep_clear_flush()}). A PTE clear whose ordering is the architecture's uses
     * {@link #getAndClear(int, Order, String)} with {@code VmArch.ptepGetAndClearOrder()}.
     */
    long getAndClear(int index, String function) {
        return getAndClear(index, Order.FULL, function);
    }

    /**
     * Mirrors {@code ptep_get_and_clear()}: an atomic exchange with 0, with the ordering the
     * architecture's implementation has ({@code VmArch.ptepGetAndClearOrder()}: a locked
     * {@code xchg} on x86, {@code xchg_relaxed()} on arm64, a bare {@code ldarx/stdcx.} loop on
     * powerpc; see docs/kernel/pte-primitives-ordering.md).
     */
    long getAndClear(int index, Order order, String function) {
        sched.point(this, index, Access.RMW, order, function);
        if (freed) {
            useAfterFree(index, function);
        }
        long old = get(index);
        store(index, 0);
        return old;
    }

    /**
     * An atomic read-modify-write of one entry, as the kernel's bit operations on entries are
     * ({@code ptep_set_wrprotect()} clears the write bit with {@code clear_bit()}).
     *
     * @return the old value
     */
    long getAndUpdate(int index, LongUnaryOperator update, String function) {
        sched.point(this, index, Access.RMW, function);
        if (freed) {
            useAfterFree(index, function);
        }
        long old = get(index);
        store(index, update.applyAsLong(old));
        return old;
    }

    private void useAfterFree(int index, String function) {
        sched.report(Violation.useAfterFree(Violation.PAGE_TABLE,
                function + " touched entry " + index + " of " + this + ", freed by " + freedBy));
    }

    /** Every store to the array goes through here, so that {@link #used} stays true. */
    private void store(int index, long value) {
        long old = get(index);
        if (old == value) {
            return;
        }
        long[] c = chunks[index >>> CHUNK_SHIFT];
        if (c == null) {
            c = new long[CHUNK];
            chunks[index >>> CHUNK_SHIFT] = c;
        }
        c[index & (CHUNK - 1)] = value;
        if (old == 0) {
            if (value != 0) {
                used++;
            }
        } else if (value == 0) {
            used--;
        }
    }

    /** Entry {@code index} as the array holds it; an index outside the table throws as an array would. */
    private long get(int index) {
        long[] c = chunks[Objects.checkIndex(index, nrEntries) >>> CHUNK_SHIFT];
        return c == null ? 0 : c[index & (CHUNK - 1)];
    }

    /** Whether every entry is empty (used before freeing a table). */
    public boolean empty() {
        return used == 0;
    }

    @Override
    public long weakValue(int index) {
        return get(index);
    }

    /** Sets the entry as memory holds it (see {@link WeakCell#setWeakValue}): no point, no leaf listener. */
    @Override
    public void setWeakValue(int index, long value) {
        store(index, value);
    }

    @Override
    public Merge weakMerge(int index) {
        return Merge.REPLACE;
    }

    /** Raw entry access for checkers that must not be scheduling points. */
    public long peek(int index) {
        return get(index);
    }

    @Override
    public String toString() {
        String n = name;
        if (n == null) {
            n = level.kernelName() + " table @0x" + Long.toHexString(phys);
            name = n;
        }
        return n;
    }
}
