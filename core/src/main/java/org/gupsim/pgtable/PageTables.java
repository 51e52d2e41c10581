package org.gupsim.pgtable;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.util.Args;

/**
 * The page tables of one address space: the top table, table allocation (with fragments where an
 * architecture packs several tables into one page), and the locked walks that faults, zapping
 * and the GUP slow path use. Mirrors mm/pgtable-generic.c, {@code __pte_alloc()} and friends in
 * mm/memory.c, and the {@code pXd_offset()} helpers.
 */
public final class PageTables {
    static {
        // Hands the model's other packages the stores they make into tables (set_pte_at() and
        // friends); PgtableInternals loads this class on its first call if nothing has yet.
        PgtableInternals.ACCESS.install(new PgtableAccess());
    }

    private final PhysMem mem;
    private final Sched sched;
    private final EntryFormat format;
    private final int[] fragmentsPerPage;
    private final List<PtDesc> partial = new ArrayList<>();
    private Geometry geometry;
    private PageTable root;
    private int tablesLive;
    private LeafListener leafListener;
    private int ownerId;

    /** Told about every present leaf written into these tables (checkers record mapping history). */
    @FunctionalInterface
    public interface LeafListener {
        void leafInstalled(PageTables tables, long vaddr, Level level, long entry);
    }

    /**
     * @param fragmentsPerPage per level (PGD..PTE), how many tables share one page-table page;
     *                         fragment {@code i} starts {@code i * pageSize / fragments} bytes into
     *                         the page, which may leave room beyond the table (powerpc hash keeps
     *                         its hash-slot array in the second half of each PTE fragment)
     */
    public PageTables(PhysMem mem, Geometry geometry, EntryFormat format, int[] fragmentsPerPage) {
        Args.notNull(mem, "mem");
        Args.notNull(geometry, "geometry");
        Args.notNull(format, "format");
        Validate.isTrue(fragmentsPerPage != null && fragmentsPerPage.length == 5, "fragmentsPerPage must have 5 entries");
        Validate.isTrue(geometry.pageShift() == mem.pageShift(), "geometry page size must match memory page size");
        this.mem = mem;
        this.sched = mem.sched();
        this.geometry = geometry;
        this.format = format;
        for (int l = 0; l < 5; l++) {
            int frags = fragmentsPerPage[l];
            Validate.isTrue(frags >= 1, "fragmentsPerPage must be at least 1, level %s", Level.of(l));
            Validate.isTrue(frags == 1 || (long) frags * geometry.tableBytes(Level.of(l)) <= geometry.pageSize(),
                    "fragmentsPerPage of level %s: %d tables of %d bytes do not fit a page", Level.of(l), frags,
                    geometry.tableBytes(Level.of(l)));
        }
        this.fragmentsPerPage = fragmentsPerPage.clone();
        this.root = allocTable(geometry.top(), 0);
        if (root == null) {
            throw new IllegalStateException("out of memory allocating the top page table");
        }
    }

    public Geometry geometry() {
        return geometry;
    }

    public EntryFormat format() {
        return format;
    }

    public PhysMem mem() {
        return mem;
    }

    /** {@code mm->pgd}: the top table. */
    public PageTable root() {
        return root;
    }

    /** What {@link PageTable} tells of every present leaf it writes ({@link #setLeafListener}); null if nothing listens. */
    LeafListener leafListener() {
        return leafListener;
    }

    public void setLeafListener(LeafListener listener) {
        this.leafListener = listener;
    }

    /** An id of the owning address space, for checkers (0 if unset). */
    public int ownerId() {
        return ownerId;
    }

    /** Set once when the mm is made; through {@code PgtableInternals.setOwnerId} from other packages. */
    void setOwnerId(int id) {
        this.ownerId = id;
    }

    /** Page-table pages' tables currently allocated for this mm. */
    public int tablesLive() {
        return tablesLive;
    }

    /**
     * Replaces the top table and geometry, as s390's {@code crst_table_upgrade()} does when it
     * adds a level above the old top. The caller has already made the new top point to the old one.
     */
    void replaceRoot(PageTable newRoot, Geometry newGeometry) {
        Validate.isTrue(newRoot != null && newRoot.level() == newGeometry.top(), "newRoot must be at the new top level");
        this.root = newRoot;
        this.geometry = newGeometry;
    }

    /**
     * Mirrors {@code pte_alloc_one()} / {@code pmd_alloc_one()} / ... : a zeroed table for
     * {@code level}, from a partly used page-table page if the architecture uses fragments.
     * Returns null when out of memory.
     *
     * @param vaddrBase the first virtual address the table will translate
     */
    PageTable allocTable(Level level, long vaddrBase) {
        int frags = fragmentsPerPage[level.ordinal()];
        PtDesc page = null;
        int fragment = 0;
        if (frags > 1) {
            for (PtDesc p : partial) {
                if (p.level() == level) {
                    int f = p.firstFreeFragment();
                    if (f >= 0) {
                        page = p;
                        fragment = f;
                        break;
                    }
                }
            }
        }
        if (page == null) {
            page = mem.allocFolio(0, Gfp.KERNEL, PtDesc::new);
            if (page == null) {
                return null;
            }
            page.init(level, frags);
            if (frags > 1) {
                partial.add(page);
            }
        }
        long phys = ((long) page.pfn() << geometry.pageShift()) + (long) fragment * (geometry.pageSize() / frags);
        PageTable table = new PageTable(this, level, page, fragment, geometry.entries(level), phys, vaddrBase);
        page.setFragment(fragment, table);
        if (frags > 1 && page.firstFreeFragment() < 0) {
            partial.remove(page);
        }
        tablesLive++;
        return table;
    }

    /**
     * Mirrors {@code pte_free()} / {@code __tlb_remove_table()}'s final free: the table is gone,
     * and its page too once no fragment is in use. Anyone still holding the table and touching it
     * afterwards commits a use-after-free, which {@link PageTable#read} reports.
     */
    public void freeTable(PageTable table, String freedBy) {
        if (table.freed()) {
            sched.report(Violation.useAfterFree(Violation.PAGE_TABLE, "double free of " + table + " by " + freedBy
                    + ", first freed by " + table.freedBy()));
            return;
        }
        // Announced on the table itself: every walker's read of it depends on this.
        sched.point(table, -1, Access.FREE, freedBy);
        table.markFreed(freedBy);
        PtDesc page = table.page();
        page.setFragment(table.fragment(), null);
        tablesLive--;
        if (page.liveFragments() == 0) {
            partial.remove(page);
            mem.folioPut(page);
        } else if (page.nrFragments() > 1 && !partial.contains(page)) {
            partial.add(page);
        }
    }

    /**
     * A walk for checkers: no scheduling points, no reports; stops at anything unexpected. Only
     * tables still linked from the top are reached, and those are live.
     *
     * @return {@code w}, with {@code leafPresent} set if a present leaf maps {@code addr}
     */
    public Walk peekWalk(long addr, Walk w) {
        w.reset();
        Geometry g = geometry;
        PageTable t = root;
        Level level = g.top();
        while (t != null && !t.freed()) {
            int idx = g.index(level, addr);
            long e = t.peek(idx);
            w.table = t;
            w.index = idx;
            w.level = level;
            w.entry = e;
            if (format.none(level, e) || !format.present(level, e)) {
                return w;
            }
            if (level == Level.PTE || format.leaf(level, e)) {
                w.leafPresent = true;
                return w;
            }
            long pfn = format.tablePhys(level, e) >>> g.pageShift();
            Page p = mem.pfnValid(pfn) ? mem.pfnToPage(pfn) : null;
            if (!(p instanceof PtDesc desc)) {
                return w;
            }
            int frag = fragmentOf(desc, format.tablePhys(level, e), g);
            t = desc.fragment(frag);
            level = level.below();
        }
        return w;
    }

    /**
     * The table an upper-level entry points at. Mirrors {@code pmd_page_vaddr()} and friends:
     * physical address to table. A pointer to a frame that is no longer a page-table page (the
     * table was freed and the frame reused) yields the stale table object, whose reads report the
     * use-after-free.
     */
    public PageTable tableAt(long phys) {
        long pfn = phys >>> geometry.pageShift();
        Page p = mem.pfnValid(pfn) ? mem.pfnToPage(pfn) : null;
        if (!(p instanceof PtDesc desc)) {
            sched.report(Violation.useAfterFree(Violation.PAGE_TABLE,
                    "entry points at 0x" + Long.toHexString(phys) + ", which is not a page table"));
            return null;
        }
        return desc.fragment(fragmentOf(desc, phys, geometry));
    }

    /** Which fragment of its page-table page the table at {@code phys} is: fragments are equal slices of the page. */
    private static int fragmentOf(PtDesc desc, long phys, Geometry g) {
        int n = desc.nrFragments();
        return n == 1 ? 0 : (int) ((phys & (g.pageSize() - 1)) / (g.pageSize() / n));
    }

    /**
     * A locked walk from the top table to the entry for {@code addr}. It stops at the first empty
     * or non-present upper entry, at a huge leaf, or at the PTE. Mirrors the descent of
     * {@code follow_page_mask()} / {@code walk_page_range()}; the caller holds the mmap lock.
     *
     * @return {@code w}, filled in
     */
    public Walk walk(long addr, Walk w, String function) {
        return descend(addr, Level.PTE, false, w, function);
    }

    /**
     * A locked walk like {@link #walk} that stops at {@code target}: e.g. at the PMD entry, as
     * {@code mm_find_pmd()} does. It stops earlier at an empty or non-present upper entry or a
     * huge leaf above {@code target}; {@code w.level} says where.
     */
    public Walk walkTo(long addr, Level target, Walk w, String function) {
        return descend(addr, target, false, w, function);
    }

    /**
     * Like {@link #walk}, but allocates missing tables down to {@code target} and stops there.
     * Mirrors {@code pgd_offset()}, {@code p4d_alloc()}, {@code pud_alloc()}, {@code pmd_alloc()},
     * {@code pte_alloc()}. It stops early at an existing huge leaf above {@code target}.
     *
     * @return {@code w} pointing at the entry at {@code target} (or the leaf met above it), or
     *         null when a table could not be allocated
     */
    public Walk walkAlloc(long addr, Level target, Walk w, String function) {
        return descend(addr, target, true, w, function);
    }

    private Walk descend(long addr, Level target, boolean alloc, Walk w, String function) {
        w.reset();
        Geometry g = geometry;
        PageTable t = root;
        Level level = g.top();
        while (true) {
            int idx = g.index(level, addr);
            long e = t.read(idx, function);
            w.table = t;
            w.index = idx;
            w.level = level;
            w.entry = e;
            if (level == target) {
                w.leafPresent = format.present(level, e) && format.leaf(level, e);
                return w;
            }
            if (format.none(level, e)) {
                if (!alloc) {
                    return w;
                }
                Level below = level.below();
                long span = g.size(below) << g.bits(below);
                PageTable fresh = allocTable(below, addr & -span);
                if (fresh == null) {
                    return null;
                }
                e = format.mkTable(level, fresh.phys());
                t.write(idx, e, function);
                w.entry = e;
            } else if (!format.present(level, e)) {
                return alloc ? null : w;
            } else if (format.leaf(level, e)) {
                w.leafPresent = true;
                return w;
            }
            PageTable next = tableAt(format.tablePhys(level, e));
            if (next == null) {
                return alloc ? null : w;
            }
            w.parent = t;
            w.parentIndex = idx;
            w.parentEntry = e;
            t = next;
            level = level.below();
        }
    }
}
