package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.PpcMappings.Backing;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;

/**
 * The lockless walk and the locked walk agree about a generated mapping on every variant
 * ({@link WalkAgreement}): GUP-fast ({@code get_user_pages_fast_only()}, no flags) returns a page
 * exactly where the locked {@link org.gupsim.pgtable.PageTables#walk} finds a present leaf that a
 * user read may use (not special, not PROT_NONE, READ set), and then the same frame, the huge
 * leaf's subpage included, page by page and in one call over the range. Addresses one page before
 * and after the mapping are checked too; mappings go where mmap puts them or across two entries of
 * the top table. The one exception is not the walk's: GUP-fast refuses every secretmem folio it
 * finds ({@code gup_fast_folio_allowed()}).
 *
 * <p>The backings include the PUD leaf (1G on radix), except where it is giant
 * ({@link PpcMappings#GIANT_PAGES}: radix-4k's 1G, hash's 16G), which PpcHugeLeafTest walks on
 * every variant instead of a walk per page here.
 */
class PpcWalkAgreementProperties {

    record Setup(String variant, Backing backing, boolean shared, Touch touch, Prot prot, int pages,
                 boolean acrossTop) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Arbitraries.of(PpcMappings.VARIANTS).flatMap(v -> Combinators.combine(Arbitraries.just(v),
                Arbitraries.of(PpcMappings.nonGiantBackings(v)), Arbitraries.of(true, false),
                Arbitraries.of(Touch.class), Arbitraries.of(Prot.class), Arbitraries.integers().between(1, 70),
                Arbitraries.of(false, true))
                .as(Setup::new));
    }

    @Property(tries = 250)
    void gupFastAndTheLockedWalkAgreeEverywhere(@ForAll("setups") Setup s) {
        World w = PpcMappings.boot(s.variant(), KernelVersion.LATEST, s.backing());
        Mapped m = s.acrossTop()
                ? PpcMappings.mapAcrossTop(w, s.backing(), s.shared(), s.touch(), s.prot(), s.pages())
                : PpcMappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), s.pages());
        if (m == null) {
            w.teardown();
            return;
        }
        WalkAgreement.Found found = WalkAgreement.check(m, s.backing() != Backing.SECRETMEM);
        Statistics.label("leaf level").collect(found.leafLevels().isEmpty() ? "no leaf"
                : s.variant().replaceAll("\\+.*", "") + " " + found.leafLevels());
        Statistics.label("pages GUP-fast found").collect(found.pages() == 0 ? "none" : "some");
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
