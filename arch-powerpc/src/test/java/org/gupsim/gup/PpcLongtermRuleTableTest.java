package org.gupsim.gup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every powerpc variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}. Setup as tools/testing/selftests/mm/gup_longterm.c: map
 * PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the read-only column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM. Hugetlb uses the variant's PMD leaf size
 * (2M on radix, 16M on hash). The oracle is arch-x86's LongtermRuleTableTest's, restricted to
 * these kernels and APIs; nothing in it depends on the architecture.
 */
class PpcLongtermRuleTableTest {
    private static final int SMALL_PAGES = 8;

    enum Backing {
        ANON(org.gupsim.scenario.Backing.ANON), MEMFD(org.gupsim.scenario.Backing.MEMFD),
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB), EXT4(org.gupsim.scenario.Backing.EXT4),
        SECRETMEM(org.gupsim.scenario.Backing.SECRETMEM);

        final org.gupsim.scenario.Backing backing;

        Backing(org.gupsim.scenario.Backing backing) {
            this.backing = backing;
        }

        boolean dirtyTrackedFs() {
            return this == EXT4;
        }
    }

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
        boolean merged = k.atLeast(6, 5);
        boolean anonVma = b == Backing.ANON && !shared;
        boolean slowRefuses = write && !anonVma && merged && b.dirtyTrackedFs() && shared;
        boolean fastPinsAll = !shared || (write && (!merged || !b.dirtyTrackedFs()));
        Outcome gup = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return api == Api.PUP_FAST && fastPinsAll ? Outcome.PINNED : gup;
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String v : List.of("radix-64k", "radix-4k", "hash-64k")) {
            for (KernelVersion k : List.of(KernelVersion.V6_4, KernelVersion.V6_5, KernelVersion.LATEST)) {
                for (Backing b : Backing.values()) {
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
        World w = PpcMappings.boot(c.variant(), c.kernel(), 64);
        boolean shared = c.map() == MapType.SHARED;
        long huge = c.backing() == Backing.HUGETLB ? PpcMappings.pmdSize(w) : 0;
        Mapping m = Mapping.of(c.backing().backing, huge, shared, SMALL_PAGES, Touch.WRITE, org.gupsim.testkit.Prot.RW);
        LongtermPin.assertOutcome(c.expected(), w, m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST, c.toString());
    }
}
