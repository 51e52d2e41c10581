package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.PpcMappings.Backing;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * The lockless walk and the locked walk agree at every address of a generated mapping, on every
 * variant: GUP-fast ({@code get_user_pages_fast_only()}, one page at a time, no flags) returns a
 * page exactly where the locked {@link PageTables#walk} finds a present leaf that a user read may
 * use (not special, not PROT_NONE, READ set), and then the same frame, the huge leaf's subpage
 * included. Addresses one page before and after the mapping are checked too. The one exception is
 * not the walk's: GUP-fast refuses every secretmem folio it finds ({@code gup_fast_folio_allowed()}).
 * The backings include the PUD leaf (1G on radix), except where it is giant
 * ({@link PpcMappings#GIANT_PAGES}: radix-4k's 1G, hash's 16G), which PpcHugeLeafTest walks on
 * every variant instead of a walk per page here.
 */
class PpcWalkAgreementProperties {

    record Setup(String variant, Backing backing, boolean shared, Touch touch, Prot prot, int pages) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Arbitraries.of(PpcMappings.VARIANTS).flatMap(v -> Combinators.combine(Arbitraries.just(v),
                Arbitraries.of(PpcMappings.nonGiantBackings(v)), Arbitraries.of(true, false),
                Arbitraries.of(Touch.class), Arbitraries.of(Prot.class), Arbitraries.integers().between(1, 70))
                .as(Setup::new));
    }

    @Property(tries = 250)
    void gupFastAndTheLockedWalkAgreeEverywhere(@ForAll("setups") Setup s) {
        World w = PpcMappings.boot(s.variant(), KernelVersion.LATEST, s.backing());
        Mapped m = PpcMappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), s.pages());
        if (m == null) {
            w.teardown();
            return;
        }
        PageTables pt = m.task().mm().pageTables();
        EntryFormat f = pt.format();
        long page = m.pageSize();
        Page[] out = new Page[1];
        Walk walk = new Walk();
        int agreedPresent = 0;
        String leafLevel = "no leaf";
        for (long a = m.addr() - page; a < m.addr() + m.len() + page; a += page) {
            out[0] = null;
            GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), out);
            pt.walk(a, walk, "test");
            long expectedPfn = -1;
            if (s.backing() != Backing.SECRETMEM && walk.leafPresent && !f.leafSpecial(walk.level, walk.entry) && !f.leafProtnone(walk.level, walk.entry)
                    && f.accessPermitted(walk.level, walk.entry, false)) {
                long leafSize = pt.geometry().size(walk.level);
                expectedPfn = f.leafPfn(walk.level, walk.entry) + ((a & (leafSize - 1)) >>> pt.geometry().pageShift());
            }
            if (walk.leafPresent) {
                leafLevel = s.variant().replaceAll("\\+.*", "") + " " + walk.level;
            }
            long gotPfn = r.pages() == 1 ? out[0].pfn() : -1;
            assertEquals(expectedPfn, gotPfn, s + " at 0x" + Long.toHexString(a) + ": walk " + walk + ", fast " + r);
            if (r.pages() == 1) {
                agreedPresent++;
                w.gup().putPages(out, 1);
            }
        }
        Statistics.label("leaf level").collect(leafLevel);
        Statistics.label("pages GUP-fast found").collect(agreedPresent == 0 ? "none" : "some");
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
