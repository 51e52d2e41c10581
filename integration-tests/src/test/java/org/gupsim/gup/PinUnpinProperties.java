package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.fs.AddressSpace;
import org.gupsim.gup.TestMappings.Backing;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.vm.Mm;

/**
 * Pin then unpin (or get then put) restores every folio's reference count, pin count and map
 * count exactly, and while held, the references taken are exactly what spec §5 says: FOLL_GET one
 * reference a page; FOLL_PIN on a small folio {@link Folio#GUP_PIN_COUNTING_BIAS} references a
 * page, on a large folio one reference and one {@code _pincount} a page; nothing on the zero page.
 *
 * <p>A call may fault pages in (or break CoW) on its way, which changes the state legitimately.
 * So the property first makes one warm-up call and releases it, then snapshots, then makes the
 * measured call: that one finds everything in place and must change nothing but the counts.
 * Finally every folio must be back to references = mappings + page cache, with no pin left.
 */
class PinUnpinProperties {

    enum Api { PIN_FAST, PIN, PIN_UNLOCKED, PIN_REMOTE, GET_FAST, GET }

    enum Release { UNPIN_PAGES, UNPIN_DIRTY_LOCK, UNPIN_EACH }

    record Setup(KernelVersion kernel, Backing backing, boolean shared, Touch touch, Prot prot, Api api,
                 Set<Foll> flags, Release release) {
        boolean pin() {
            return api.name().startsWith("PIN");
        }
    }

    private record FolioState(int refcount, int pincount, int mapcount) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                Arbitraries.of(KernelVersion.class),
                Arbitraries.of(Backing.ANON, Backing.THP, Backing.MEMFD, Backing.HUGETLB, Backing.EXT4),
                Arbitraries.of(true, false), Arbitraries.of(Touch.class), Arbitraries.of(Prot.RW, Prot.RO),
                Arbitraries.of(Api.class), Arbitraries.subsetOf(Foll.WRITE, Foll.LONGTERM, Foll.FORCE),
                Arbitraries.of(Release.class))
                .as((k, b, shared, touch, prot, api, fs, rel) -> {
                    EnumSet<Foll> flags = EnumSet.noneOf(Foll.class);
                    flags.addAll(fs);
                    if (!api.name().startsWith("PIN")) {
                        flags.remove(Foll.LONGTERM);
                    }
                    return new Setup(k, b, shared && b != Backing.THP, touch, prot, api, flags, rel);
                });
    }

    @Property(tries = 300)
    void pinThenUnpinRestoresEveryFolio(@ForAll("setups") Setup s) {
        World w = TestMappings.boot(s.kernel(), 16);
        Mapped m = TestMappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), 8);
        int n = m.nrPages();
        Page[] pages = new Page[n];

        int warm = call(w, m, s, pages);
        release(w, s, pages, warm);

        TreeMap<Integer, FolioState> before = snapshot(w.mem());
        int got = call(w, m, s, pages);
        Statistics.label("pages taken").collect(got == 0 ? "none" : got == n ? "all" : "some");
        assertEquals(warm, got, s + ": the measured call differs from the warm-up");
        assertEquals(expectedWhileHeld(w.mem(), before, s.pin(), pages, got), snapshot(w.mem()),
                s + ": counts while held");
        release(w, s, pages, got);
        assertEquals(before, snapshot(w.mem()), s + ": counts after release");
        assertQuiescent(w.mem(), s);
        assertEquals(List.of(), w.checkAccounting(), s.toString());
        assertEquals(List.of(), m.teardown(), s + ": teardown");
    }

    private static int call(World w, Mapped m, Setup s, Page[] pages) {
        Mm mm = m.task().mm();
        int n = m.nrPages();
        Gup gup = w.gup();
        GupResult r = switch (s.api()) {
            case PIN_FAST -> gup.pinUserPagesFast(mm, m.addr(), n, s.flags(), pages);
            case GET_FAST -> gup.getUserPagesFast(mm, m.addr(), n, s.flags(), pages);
            case PIN_UNLOCKED -> gup.pinUserPagesUnlocked(mm, m.addr(), n, s.flags(), pages);
            default -> {
                mm.mmapLock().downRead(w.vm().cpu());
                try {
                    yield switch (s.api()) {
                        case PIN -> gup.pinUserPages(mm, m.addr(), n, s.flags(), pages);
                        case PIN_REMOTE -> gup.pinUserPagesRemote(mm, m.addr(), n, s.flags(), pages, new int[] {1});
                        default -> gup.getUserPages(mm, m.addr(), n, s.flags(), pages);
                    };
                } finally {
                    mm.mmapLock().upRead(w.vm().cpu());
                }
            }
        };
        return r.pages();
    }

    private static void release(World w, Setup s, Page[] pages, int n) {
        if (!s.pin()) {
            w.gup().putPages(pages, n);
            return;
        }
        switch (s.release()) {
            case UNPIN_PAGES -> w.gup().unpinUserPages(pages, n);
            case UNPIN_DIRTY_LOCK -> w.gup().unpinUserPagesDirtyLock(pages, n, true);
            case UNPIN_EACH -> {
                for (int i = 0; i < n; i++) {
                    w.gup().unpinUserPage(pages[i]);
                }
            }
        }
    }

    private static TreeMap<Integer, FolioState> snapshot(PhysMem mem) {
        TreeMap<Integer, FolioState> out = new TreeMap<>();
        for (Folio f : mem.liveFolios()) {
            out.put(f.pfn(), new FolioState(f.refcount(), f.pincount(), f.mapcount()));
        }
        return out;
    }

    /** Spec §5: what holding {@code pages[0..n)} adds to each folio. */
    private static TreeMap<Integer, FolioState> expectedWhileHeld(PhysMem mem, TreeMap<Integer, FolioState> before,
                                                                  boolean pin, Page[] pages, int n) {
        TreeMap<Integer, FolioState> out = new TreeMap<>(before);
        for (int i = 0; i < n; i++) {
            Folio f = pages[i].folio();
            if (f.zero() && pin) {
                continue; // the zero page is never pinned
            }
            FolioState st = out.get(f.pfn());
            if (st == null) {
                continue; // not a live folio (the zero page taken with FOLL_GET is outside the snapshot)
            }
            int refs = !pin ? 1 : f.large() ? 1 : Folio.GUP_PIN_COUNTING_BIAS;
            int pins = pin && f.large() ? 1 : 0;
            out.put(f.pfn(), new FolioState(st.refcount() + refs, st.pincount() + pins, st.mapcount()));
        }
        return out;
    }

    /** With nothing held, a folio's references are its mappings plus its page-cache slot. */
    private static void assertQuiescent(PhysMem mem, Setup s) {
        for (Folio f : mem.liveFolios()) {
            if (f.test(Folio.PG_PGTABLE)) {
                continue;
            }
            int cache = f.mapping() instanceof AddressSpace ? 1 : 0;
            assertEquals(f.mapcount() + cache, f.refcount(), s + ": references of " + f);
            assertEquals(0, f.pincount(), s + ": pins of " + f);
        }
    }
}
