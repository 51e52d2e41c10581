package org.gupsim.gup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.PpcMappings.Backing;
import org.gupsim.kernel.Release;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every powerpc variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}. Setup as tools/testing/selftests/mm/gup_longterm.c: map
 * PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the read-only column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM. Hugetlb comes in both sizes the variant
 * has: the PMD leaf (2M on radix, 16M on hash) and the PUD leaf (1G on radix, 16G on hash). The
 * giant PUD pages ({@link PpcMappings#GIANT_PAGES}: radix-4k's 1G, hash's 16G), each row of
 * which costs as much as a hundred others, have their rows on the latest kernel only (hugetlb's
 * rows are the same on every kernel of the table) and not on the {@code +ipi} variants
 * ({@code +ipi} changes only how other CPUs' TLBs are flushed, which a pin on one CPU never asks
 * for); PpcHugeLeafTest pins them on every variant. The
 * oracle is arch-x86's LongtermRuleTableTest's, restricted to these kernels and APIs; nothing in
 * it depends on the architecture.
 */
class PpcLongtermRuleTableTest {
    private static final int SMALL_PAGES = 8;

    enum MapType { SHARED, PRIVATE }

    enum Prot { RW, RO }

    enum Api { PUP, PUP_FAST }

    record Case(String variant, KernelVersion kernel, Backing backing, MapType map, Prot prot, Api api,
                Outcome expected) {
        @Override
        public String toString() {
            return variant + " " + kernel.label() + " " + backing.name().toLowerCase() + " "
                    + map.name().toLowerCase() + " " + prot.name().toLowerCase() + " "
                    + api.name().toLowerCase() + " -> " + expected;
        }
    }

    /** The oracle; see arch-x86 LongtermRuleTableTest#expected for the reasoning, path by path. */
    static Outcome expected(KernelVersion k, Backing b, MapType m, Prot p, Api api) {
        boolean shared = m == MapType.SHARED;
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL;
        }
        boolean write = p == Prot.RW;
        boolean merged = k.release().compareTo(new Release(6, 5)) >= 0;
        boolean anonVma = b == Backing.ANON && !shared;
        boolean dirtyTrackedFs = b == Backing.EXT4;
        boolean slowRefuses = write && !anonVma && merged && dirtyTrackedFs && shared;
        boolean fastPinsAll = !shared || (write && (!merged || !dirtyTrackedFs));
        Outcome gup = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return api == Api.PUP_FAST && fastPinsAll ? Outcome.PINNED : gup;
    }

    /**
     * The backings of the table on {@code variant} with kernel {@code k}: all but THP, giant pages
     * only on the latest kernel and without {@code +ipi}.
     */
    static List<Backing> backings(String variant, KernelVersion k) {
        ArchVariant v = PpcMappings.variant(variant, k);
        boolean giants = k == KernelVersion.LATEST && !variant.contains("+ipi");
        return Arrays.stream(Backing.values()).filter(b -> b != Backing.THP && (giants || !b.giant(v))).toList();
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String v : PpcMappings.VARIANTS) {
            for (KernelVersion k : List.of(KernelVersion.V6_4, KernelVersion.V6_5, KernelVersion.LATEST)) {
                for (Backing b : backings(v, k)) {
                    for (MapType m : MapType.values()) {
                        for (Prot p : Prot.values()) {
                            for (Api a : Api.values()) {
                                out.add(new Case(v, k, b, m, p, a, expected(k, b, m, p, a)));
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
        World w = PpcMappings.boot(c.variant(), c.kernel(), c.backing());
        Mapping m = c.backing().mapping(w.arch(), c.map() == MapType.SHARED, Touch.WRITE, org.gupsim.testkit.Prot.RW,
                SMALL_PAGES);
        LongtermPin.assertOutcome(c.expected(), w, m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST, c.toString());
    }
}
