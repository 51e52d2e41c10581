package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.smp.Cpu;

/**
 * The oracle of a walk-agreement property: GUP-fast's lockless walk and the locked walk
 * ({@link PageTables#walk} under the mmap lock) agree about one mapping.
 *
 * <ul>
 *   <li>At every page of the mapping and one page either side, {@code get_user_pages_fast_only()}
 *       of one page, no flags, returns a page exactly where the locked walk finds a leaf a user
 *       read may take (present, readable, not PROT_NONE, not special) and GUP-fast may pin its
 *       folio, and then the frame that leaf maps at that address.</li>
 *   <li>One call over the whole mapping, which crosses every table boundary the mapping straddles,
 *       returns exactly the leading run of those pages.</li>
 * </ul>
 *
 * <p>Place the mapping with {@link #acrossTopEntry} to straddle two entries of the mm's top table:
 * a lockless walk that goes wrong on folded levels then fails here, at every address where it
 * reads through its stack copy (arm64 before 36639013b346) or over the crossing where a folded
 * loop steps past the copy (the walk before d3f7b1bb2040 on s390).
 */
public final class WalkAgreement {

    private WalkAgreement() {
    }

    /**
     * What {@link #check} found.
     *
     * @param pages      pages GUP-fast returned one at a time (each where the locked walk agreed)
     * @param leafLevels the levels of the leaves those pages came from
     */
    public record Found(int pages, Set<Level> leafLevels) {
    }

    /**
     * Checks that the walks agree about {@code m}, failing the test where they do not, and gives
     * every page taken back.
     *
     * @param folioAllowed false where GUP-fast refuses every folio of the mapping whatever its
     *                     walk found ({@code gup_fast_folio_allowed()} and secretmem), so that it
     *                     must return nothing
     */
    public static Found check(Mapped m, boolean folioAllowed) {
        Validate.isTrue(m != null, "m must not be null");
        World w = m.world();
        PageTables pt = m.task().mm().pageTables();
        long page = m.pageSize();
        long from = m.addr() - page;
        int n = m.nrPages() + 2;
        long[] expected = new long[n];
        Set<Level> levels = EnumSet.noneOf(Level.class);
        int found = 0;
        Page[] one = new Page[1];
        Walk walk = new Walk();
        for (int i = 0; i < n; i++) {
            long a = from + i * page;
            expected[i] = folioAllowed ? usablePfn(m, pt, a, walk) : -1;
            one[0] = null;
            GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
            long got = r.pages() == 1 ? one[0].pfn() : -1;
            assertEquals(expected[i], got, "at 0x" + Long.toHexString(a) + ": locked walk " + walk + " "
                    + describe(pt, walk) + ", GUP-fast " + r);
            if (got >= 0) {
                w.gup().putPages(one, 1);
                levels.add(walk.level);
                found++;
            }
        }
        int leading = 0;
        while (leading < n - 2 && expected[leading + 1] >= 0) {
            leading++;
        }
        Page[] all = new Page[m.nrPages()];
        GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), m.addr(), all.length, EnumSet.noneOf(Foll.class),
                all);
        assertEquals(leading, r.pages(), "one call over [0x" + Long.toHexString(m.addr()) + ", 0x"
                + Long.toHexString(m.addr() + m.len()) + "): " + r);
        for (int i = 0; i < r.pages(); i++) {
            assertEquals(expected[i + 1], all[i].pfn(), "one call, page " + i);
        }
        w.gup().putPages(all, r.pages());
        return new Found(found, levels);
    }

    /** The frame a user read at {@code a} may take according to the locked walk, or -1. */
    private static long usablePfn(Mapped m, PageTables pt, long a, Walk walk) {
        Cpu cpu = m.world().vm().cpu();
        m.task().mm().mmapLock().downRead(cpu);
        try {
            pt.walk(a, walk, "test");
        } finally {
            m.task().mm().mmapLock().upRead(cpu);
        }
        EntryFormat f = pt.format();
        if (!walk.leafPresent || !f.accessPermitted(walk.level, walk.entry, false)
                || f.leafProtnone(walk.level, walk.entry) || f.leafSpecial(walk.level, walk.entry)) {
            return -1;
        }
        Geometry g = pt.geometry();
        return f.leafPfn(walk.level, walk.entry) + ((a & (g.size(walk.level) - 1)) >>> g.pageShift());
    }

    private static String describe(PageTables pt, Walk walk) {
        return walk.level == null ? "nothing" : pt.format().describe(walk.level, walk.entry);
    }

    /**
     * {@link #acrossTopEntry(World, long, long)} for {@code m}, aligned as mmap aligns it: a huge
     * page to its size, private anonymous memory of a PMD or more to the PMD size (where PMD
     * leaves exist), anything else to the base page.
     */
    public static long acrossTopEntry(World w, Mapping m) {
        Validate.isTrue(w != null, "w must not be null");
        Validate.isTrue(m != null, "m must not be null");
        int pageShift = w.mem().pageShift();
        long len = m.length(pageShift);
        Geometry g = w.arch().newMmGeometry();
        long align = 1L << pageShift;
        if (m.hugePageSize() != 0) {
            align = m.hugePageSize();
        } else if (m.backing() == Backing.ANON && !m.shared() && g.leafAllowed(Level.PMD)
                && len >= g.size(Level.PMD)) {
            align = g.size(Level.PMD);
        }
        return acrossTopEntry(w, len, align);
    }

    /**
     * An {@code mmap()} hint for {@code len} bytes, aligned to {@code align}, that straddles the
     * boundary between two entries of the top table a new mm of {@code w} has: the highest such
     * boundary below {@code mmap_base} with room below it, else the lowest above with room below
     * {@code TASK_SIZE}. Half the mapping (rounded down to {@code align}, at least one unit) lies
     * below the boundary; a mapping of one unit ends at it. Returns 0 (let the kernel choose) if the
     * top table has a single entry below {@code TASK_SIZE}, or its entries span less than
     * {@code align}.
     */
    public static long acrossTopEntry(World w, long len, long align) {
        Validate.isTrue(w != null, "w must not be null");
        Validate.isTrue(align > 0 && (align & (align - 1)) == 0, "align must be a power of two, was %d", align);
        Validate.isTrue(len >= align, "len must be at least align (%d), was %d", align, len);
        ArchVariant v = w.arch();
        Geometry g = v.newMmGeometry();
        long span = g.size(g.top());
        if (span < align) {
            return 0;
        }
        long below = Math.max(align, (len / 2) & -align);
        long boundary = (v.mmapBase() - 1) & -span;
        if (boundary < below + span) {
            boundary = ((v.mmapBase() - 1) | (span - 1)) + 1;
            if (boundary <= 0 || Long.compareUnsigned(boundary - below + len, v.taskSizeMax()) > 0) {
                return 0;
            }
        }
        return boundary - below;
    }
}
