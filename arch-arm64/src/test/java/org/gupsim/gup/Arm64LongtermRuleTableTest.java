package org.gupsim.gup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.gup.Arm64Mappings.Backing;
import org.gupsim.kernel.Release;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every arm64 variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}, each kernel with the variants it has (6.4 and 6.5 have
 * neither the 4K and 16K 52-bit builds nor +lpa2), set up as
 * tools/testing/selftests/mm/gup_longterm.c does (map PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the "ro" column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM). Hugetlb comes in every size the variant
 * has: the PMD block (2M, 32M or 512M), the contiguous-PTE group (64K, 2M or 2M), the
 * contiguous-PMD group (32M, 1G or 16G) and, with 4K granules, the 1G PUD block. The giant ones
 * ({@link Arm64Mappings#GIANT_PAGES}: 1G with 4K and 16K, 16G with 64K) have their rows on one
 * variant per granule ({@link Arm64Mappings#GIANT_TABLE_VARIANTS}) only, each row costing as
 * much as a hundred others; Arm64WalkAgreementProperties reaches them on every variant. The
 * oracle is written from the spec, not from the model's rule code; it is the merged-rule part of
 * arch-x86's table, which must not depend on the architecture.
 */
class Arm64LongtermRuleTableTest {
    private static final int SMALL_PAGES = 16;
    private static final List<KernelVersion> KERNELS = List.of(KernelVersion.V6_4, KernelVersion.V6_5,
            KernelVersion.LATEST);

    enum MapType { SHARED, PRIVATE }

    enum Prot { RW, RO }

    enum Api { PUP, PUP_FAST }

    record Case(String variant, KernelVersion kernel, Backing backing, MapType map, Prot prot, Api api,
                Outcome expected) {
        @Override
        public String toString() {
            return "arm64:" + variant + " " + kernel.label() + " " + backing.name().toLowerCase() + " "
                    + map.name().toLowerCase() + " " + prot.name().toLowerCase() + " "
                    + api.name().toLowerCase().replace('_', '-') + " -> " + expected;
        }
    }

    /**
     * The oracle. Secretmem: MAP_SHARED only, and refused by both paths. A write to a read-only
     * VMA: -EFAULT. 6.4 has no file rule; 6.5+ refuses long-term write pins of shared writable
     * dirty-tracked file mappings (ext4) on the slow path, and the fast path sends their folios to
     * it. Private mappings hold exclusive anonymous pages, pinned by both paths. A read-only
     * long-term pin of a shared page-cache page falls back to the slow path, which pins it.
     */
    static Outcome expected(KernelVersion k, Backing b, MapType m, Prot p) {
        boolean shared = m == MapType.SHARED;
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL;
        }
        boolean write = p == Prot.RW;
        boolean anonVma = b == Backing.ANON && !shared;
        boolean merged = k.release().compareTo(new Release(6, 5)) >= 0;
        boolean dirtyTrackedFs = b == Backing.EXT4;
        boolean slowRefuses = write && !anonVma && merged && dirtyTrackedFs && shared;
        return slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (KernelVersion k : KERNELS) {
            for (String v : Arm64Mappings.variants(k)) {
                List<Backing> backings = Arm64Mappings.backings(Arm64Mappings.variant(v, k)).stream()
                        .filter(b -> b != Backing.THP && Arm64Mappings.tabled(v, b)).toList();
                for (Backing b : backings) {
                    for (MapType m : MapType.values()) {
                        for (Prot p : Prot.values()) {
                            for (Api a : Api.values()) {
                                out.add(new Case(v, k, b, m, p, a, expected(k, b, m, p)));
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
        World w = Arm64Mappings.boot(c.variant(), c.kernel(), c.backing());
        Mapping m = c.backing().mapping(w.arch(), c.map() == MapType.SHARED, Touch.WRITE, org.gupsim.testkit.Prot.RW,
                SMALL_PAGES);
        LongtermPin.assertOutcome(c.expected(), w, m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST, c.toString());
    }
}
