package org.gupsim.gup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.arch.ArchVariant;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every arm64 variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}, set up as tools/testing/selftests/mm/gup_longterm.c does
 * (map PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the "ro" column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM). Hugetlb uses the variant's default huge
 * page size (2M, 32M or 512M) and the contiguous-PTE size (64K, 2M or 2M). The oracle is written from the spec, not from the model's rule
 * code; it is the merged-rule part of arch-x86's table, which must not depend on the architecture.
 */
class Arm64LongtermRuleTableTest {
    private static final int SMALL_PAGES = 16;
    private static final List<KernelVersion> KERNELS = List.of(KernelVersion.V6_4, KernelVersion.V6_5,
            KernelVersion.LATEST);

    enum Backing {
        ANON, MEMFD, HUGETLB, HUGETLB_CONT_PTE, EXT4, SECRETMEM;

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
        boolean merged = k.atLeast(6, 5);
        boolean slowRefuses = write && !anonVma && merged && b.dirtyTrackedFs() && shared;
        return slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (KernelVersion k : KERNELS) {
            for (String v : Arm64Mappings.variants(k)) {
                for (Backing b : Backing.values()) {
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
        World w = Arm64Mappings.boot(c.variant(), c.kernel());
        ArchVariant v = w.arch();
        boolean shared = c.map() == MapType.SHARED;
        org.gupsim.scenario.Backing b = switch (c.backing()) {
            case ANON -> org.gupsim.scenario.Backing.ANON;
            case MEMFD -> org.gupsim.scenario.Backing.MEMFD;
            case HUGETLB, HUGETLB_CONT_PTE -> org.gupsim.scenario.Backing.HUGETLB;
            case EXT4 -> org.gupsim.scenario.Backing.EXT4;
            case SECRETMEM -> org.gupsim.scenario.Backing.SECRETMEM;
        };
        long huge = switch (c.backing()) {
            case HUGETLB -> v.hugePageSizes()[0];
            case HUGETLB_CONT_PTE -> v.hugePageSizes()[1];
            default -> 0;
        };
        Mapping m = Mapping.of(b, huge, shared, SMALL_PAGES, Touch.WRITE, org.gupsim.testkit.Prot.RW);
        LongtermPin.assertOutcome(c.expected(), w, m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST, c.toString());
    }
}
