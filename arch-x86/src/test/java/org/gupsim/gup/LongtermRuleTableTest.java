package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.callers.IoUringBuffers;
import org.gupsim.callers.PinOutcome;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4, as a table over every backing × map × prot × API ×
 * kernel version. The setup of each case follows tools/testing/selftests/mm/gup_longterm.c: create
 * the backing, map it PROT_READ|PROT_WRITE, write every page, and for the read-only column
 * mprotect it PROT_READ. The "rw" column then asks for a long-term write pin
 * (FOLL_WRITE|FOLL_LONGTERM), the "ro" column for a long-term read pin (FOLL_LONGTERM); io_uring
 * always asks for FOLL_WRITE|FOLL_LONGTERM.
 *
 * <p>The expectation of every case comes from {@link #expected}, an oracle written from the spec
 * and the posted patches, not from the model's own rule code.
 */
class LongtermRuleTableTest {
    private static final long HUGE = 2L << 20;
    private static final int SMALL_PAGES = 16;

    /** What backs the mapping. */
    enum Backing {
        ANON, MEMFD, TMPFS, HUGETLB, MEMFD_HUGETLB, EXT4, XFS, BTRFS, SECRETMEM;

        boolean hugetlb() {
            return this == HUGETLB || this == MEMFD_HUGETLB;
        }

        /** Shmem underneath: memfd, tmpfs (and MAP_SHARED|MAP_ANONYMOUS, see {@link #shmemVma}). */
        boolean shmem() {
            return this == MEMFD || this == TMPFS;
        }

        /** ext4, xfs and btrfs: page_mkwrite and writeback, so dirty-tracked when shared and writable. */
        boolean dirtyTrackedFs() {
            return this == EXT4 || this == XFS || this == BTRFS;
        }

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    enum MapType { SHARED, PRIVATE }

    enum Prot { RW, RO }

    enum Api {
        PUP("pup"), PUP_FAST("pup-fast"), IO_URING("io_uring");

        final String label;

        Api(String label) {
            this.label = label;
        }
    }

    /** What a case ends in. */
    enum Outcome { PINNED, EFAULT, EOPNOTSUPP, MMAP_EINVAL }

    /** The forms the file-backed long-term write-pin rule took (spec §4, kernel-facts Q1). */
    enum RuleGen {
        /** 6.4: no rule on either path. */
        NONE,
        /** v6 posting: fast path allows anon/shmem/hugetlb; slow path inverted, no VM_SHARED test. */
        V6,
        /** v7 posting: fast as v6; slow path negated but no VM_SHARED test, any FOLL_PIN. */
        V7,
        /** v8/merged 6.5+: shared writable dirty-tracked file mappings refused on both paths. */
        MERGED
    }

    record Case(KernelVersion kernel, Backing backing, MapType map, Prot prot, Api api, Outcome expected) {
        @Override
        public String toString() {
            return kernel.label() + " " + backing.label() + " " + map.name().toLowerCase() + " "
                    + prot.name().toLowerCase() + " " + api.label + " -> " + expected;
        }
    }

    static RuleGen ruleGen(KernelVersion k) {
        return switch (k) {
            case V6_4 -> RuleGen.NONE;
            case V6_PATCH -> RuleGen.V6;
            case V7_PATCH -> RuleGen.V7;
            case V6_5, V6_10, V6_15, V7_2, LATEST -> RuleGen.MERGED;
        };
    }

    /**
     * The oracle. Reasoning, per path:
     *
     * <p>State after the setup: in a private mapping every page was written, so each is an
     * exclusive anonymous page (CoW copy for files, a private hugetlb folio for hugetlbfs); in a
     * shared mapping each is the file's page-cache folio (shmem, hugetlbfs or ext4/xfs/btrfs).
     * MAP_SHARED|MAP_ANONYMOUS is shmem underneath and its VMA is not "anonymous".
     *
     * <p>Slow path ({@code check_vma_flags}): secretmem VMAs always -EFAULT; a write to a VMA
     * without VM_WRITE -EFAULT; a long-term write pin of a non-anonymous VMA consults
     * {@code writable_file_mapping_allowed()}: none in 6.4; v6 returns
     * {@code vma_needs_dirty_tracking()} un-negated (and that helper had no VM_SHARED test), so it
     * refuses exactly the non-anonymous VMAs that do <em>not</em> need dirty tracking (shmem,
     * hugetlbfs, private or shared); v7 refuses dirty-tracked files, private ones too; merged
     * refuses shared writable dirty-tracked files only. A long-term read pin is not checked; its
     * pages are exclusive anon (private) or in a non-CoW shared mapping, so no unshare is needed.
     *
     * <p>Fast path: a write pin finds writable PTEs. Anonymous folios and hugetlb pass every
     * version's folio check; shmem folios pass too; ext4/xfs/btrfs page-cache folios are refused
     * (to the slow path) from v6 on and pinned in 6.4. A read-only long-term pin of a non-anonymous
     * page must be unshared-checked with the VMA, so GUP-fast falls back for shared mappings.
     * Secretmem folios are refused by GUP-fast in every version (folio_is_secretmem before 6.10,
     * gup_fast_folio_allowed after) and the slow path refuses the VMA.
     *
     * <p>io_uring: before 6.5 (the v6/v7 postings were on 6.4) it pins with
     * {@code pin_user_pages()} and then refuses VMAs backed by files other than shmem and
     * hugetlbfs with -EOPNOTSUPP; from 6.5 it leaves that to GUP via {@code pin_user_pages_fast()}.
     */
    static Outcome expected(KernelVersion k, Backing b, MapType m, Prot p, Api api) {
        boolean shared = m == MapType.SHARED;
        if (b == Backing.SECRETMEM && !shared) {
            return Outcome.MMAP_EINVAL; // secretmem_mmap(): MAP_SHARED only
        }
        if (b == Backing.SECRETMEM) {
            return Outcome.EFAULT;
        }
        boolean write = api == Api.IO_URING || p == Prot.RW;
        if (write && p == Prot.RO) {
            return Outcome.EFAULT; // FOLL_WRITE to a VMA without VM_WRITE, no FOLL_FORCE
        }
        RuleGen gen = ruleGen(k);
        boolean anonVma = b == Backing.ANON && !shared;
        boolean slowRefuses = write && !anonVma && switch (gen) {
            case NONE -> false;
            case V6 -> !b.dirtyTrackedFs();
            case V7 -> b.dirtyTrackedFs();
            case MERGED -> b.dirtyTrackedFs() && shared;
        };
        boolean fastPinsAll;
        if (!shared) {
            fastPinsAll = true; // exclusive anonymous pages, writable for rw
        } else if (!write) {
            fastPinsAll = false; // R/O long-term pin of a page-cache page: gup_must_unshare(NULL) -> fall back
        } else {
            fastPinsAll = gen == RuleGen.NONE || !b.dirtyTrackedFs();
        }
        Outcome gupOutcome = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return switch (api) {
            case PUP -> gupOutcome;
            case PUP_FAST -> fastPinsAll ? Outcome.PINNED : gupOutcome;
            case IO_URING -> {
                if (gen == RuleGen.MERGED) {
                    yield fastPinsAll ? Outcome.PINNED : gupOutcome;
                }
                if (gupOutcome != Outcome.PINNED) {
                    yield gupOutcome;
                }
                // VMAs with a file other than shmem or hugetlbfs (private mappings of them too).
                yield b.dirtyTrackedFs() ? Outcome.EOPNOTSUPP : Outcome.PINNED;
            }
        };
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (KernelVersion k : KernelVersion.values()) {
            for (Backing b : Backing.values()) {
                for (MapType m : MapType.values()) {
                    for (Prot p : Prot.values()) {
                        for (Api a : Api.values()) {
                            out.add(new Case(k, b, m, p, a, expected(k, b, m, p, a)));
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
        World w = Worlds.boot("x86_64", c.kernel(), 64L << 20);
        org.gupsim.scenario.Backing b = org.gupsim.scenario.Backing.valueOf(c.backing().name());
        boolean shared = c.map() == MapType.SHARED;
        org.gupsim.testkit.Prot prot = c.prot() == Prot.RW ? org.gupsim.testkit.Prot.RW : org.gupsim.testkit.Prot.RO;
        Mapping m = Mapping.of(b, c.backing().hugetlb() ? HUGE : 0, shared, SMALL_PAGES, Touch.WRITE, prot);
        if (c.api() != Api.IO_URING) {
            LongtermPin.Result r = LongtermPin.run(w, m, c.prot() == Prot.RW, c.api() == Api.PUP_FAST);
            Outcome actual = r.outcome() == null ? null : Outcome.valueOf(r.outcome().name());
            assertEquals(c.expected(), actual, c + ": got " + r.detail());
            return;
        }
        Mapping.Attempt a = m.attempt(w);
        if (a.mapped() == null) {
            assertEquals(c.expected(), a.refused() == Errno.EINVAL ? Outcome.MMAP_EINVAL : null,
                    c + ": got mmap " + a.refused());
            return;
        }
        Mapped mapped = a.mapped();
        int nrPages = mapped.nrPages();
        IoUringBuffers ring = w.ioUring(mapped.task());
        PinOutcome o = ring.register(new long[] {mapped.addr()}, new long[] {mapped.len()});
        long ret = o.ok() ? nrPages : o.ret();
        Outcome actual = ret == nrPages ? Outcome.PINNED
                : ret == Errno.EFAULT.negative() ? Outcome.EFAULT
                : ret == Errno.EOPNOTSUPP.negative() ? Outcome.EOPNOTSUPP
                : null;
        if (actual == Outcome.PINNED) {
            Page[] pages = ring.buffers().get(0).pages();
            for (int i = 0; i < nrPages; i++) {
                assertTrue(pages[i] != null && pages[i].folio().maybeDmaPinned(), "page " + i + " pinned");
            }
        }
        assertEquals(c.expected(), actual, c + ": got " + o);
        Worlds.assertNoViolations(w.checkAccounting(), "accounting");
        ring.unregister();
        mapped.assertTearsDownClean("teardown");
    }
}
