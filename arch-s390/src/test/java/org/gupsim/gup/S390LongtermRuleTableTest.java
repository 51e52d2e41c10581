package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.gup.S390Mappings.Backing;
import org.gupsim.gup.S390Mappings.Where;
import org.gupsim.kernel.Release;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on s390, a smaller table than arch-x86's: backings
 * (anonymous, memfd, 1M and 2G hugetlb, ext4) × MAP_SHARED / MAP_PRIVATE × PROT_READ|PROT_WRITE
 * or PROT_READ × pin_user_pages() / pin_user_pages_fast() × 6.4, 6.5, latest × every variant ×
 * a new mm or one upgraded to 4 levels. The giant 2G page (524,288 pages, each row the cost of a
 * hundred others) has its rows on the latest kernel, in a new mm of the default variant, only:
 * hugetlb's rows are the same on every kernel of the table, a region-third leaf needs no page
 * table to pack as {@code fragments} does, and WalkAgreementProperties maps it on every variant
 * at 3, 4 and 5 levels.
 * Setup as the gup_longterm selftest: map, write every page, mprotect PROT_READ for the read-only
 * column; "rw" asks FOLL_WRITE|FOLL_LONGTERM, "ro" FOLL_LONGTERM. The oracle is written from the
 * spec, not from the model's rule code.
 */
class S390LongtermRuleTableTest {

    enum Api { PUP, PUP_FAST }

    enum Prot { RW, RO }

    record Case(String variant, Where where, KernelVersion kernel, Backing backing, boolean shared, Prot prot, Api api,
                Outcome expected) {
        @Override
        public String toString() {
            return "s390:" + variant + " " + where + " " + kernel.label() + " " + backing + " "
                    + (shared ? "shared" : "private") + " " + prot + " " + api + " -> " + expected;
        }
    }

    /**
     * 6.4 has no rule: everything is pinned. From 6.5 a long-term write pin of a shared writable
     * mapping of a file that needs dirty tracking (ext4) is refused on both paths: the slow path
     * by {@code writable_file_mapping_allowed()}, the fast path by
     * {@code gup_fast_folio_allowed()} handing the page-cache folio to the slow path. Private
     * mappings hold exclusive anonymous copies; shmem and hugetlbfs need no dirty tracking. A
     * read-only long-term pin is never refused here.
     */
    static Outcome expected(KernelVersion k, Backing b, boolean shared, Prot p) {
        boolean ruleMerged = k.release().compareTo(new Release(6, 5)) >= 0;
        boolean refused = ruleMerged && p == Prot.RW && shared && b == Backing.EXT4;
        return refused ? Outcome.EFAULT : Outcome.PINNED;
    }

    /**
     * The backings of the rows of {@code variant} at {@code k} and {@code where}: all but THP and
     * secretmem, the giant 2G page on the latest kernel in a new mm of the default variant only.
     */
    static List<Backing> backings(String variant, KernelVersion k, Where where) {
        boolean giants = variant.equals("default") && k == KernelVersion.LATEST && where == Where.LOW;
        return Arrays.stream(Backing.values())
                .filter(b -> b != Backing.THP && b != Backing.SECRETMEM && (giants || !b.giant())).toList();
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String v : GupArbitraries.everyVariantSpec("s390").stream().map(s -> s.substring("s390:".length())).toList()) {
            for (Where where : List.of(Where.LOW, Where.REGION2)) {
                for (KernelVersion k : List.of(KernelVersion.V6_4, KernelVersion.V6_5, KernelVersion.LATEST)) {
                    if (!GupArbitraries.variantSpecs("s390", k).contains("s390:" + v)) {
                        continue; // fragments before 6.7, default from 6.7 (d08d4e7cd6bf)
                    }
                    for (Backing b : backings(v, k, where)) {
                        for (boolean shared : List.of(true, false)) {
                            for (Prot p : Prot.values()) {
                                for (Api a : Api.values()) {
                                    out.add(new Case(v, where, k, b, shared, p, a, expected(k, b, shared, p)));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void longtermPinFollowsTheRule(Case c) {
        org.gupsim.testkit.Prot prot = c.prot() == Prot.RW ? org.gupsim.testkit.Prot.RW : org.gupsim.testkit.Prot.RO;
        Mapped m = S390Mappings.map(S390Mappings.boot(c.variant(), c.kernel(), c.backing(), 16), c.backing(),
                c.shared(), c.where(), Touch.WRITE, prot, 8);
        LongtermPin.Result r = LongtermPin.pin(m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST);
        assertEquals(c.expected(), r.outcome(), c + ": got " + r.detail());
    }
}
