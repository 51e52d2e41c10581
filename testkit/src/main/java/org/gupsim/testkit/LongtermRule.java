package org.gupsim.testkit;

import org.apache.commons.lang3.Validate;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Release;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.LongtermPin.Outcome;

/**
 * The long-term pinning rule of the kernel (spec §4) as an oracle: what a long-term pin of a
 * mapping set up as {@code tools/testing/selftests/mm/gup_longterm.c} sets it up comes to, on each
 * kernel, through each API. Written from the kernel's code and the posted patches, not from the
 * model's rule code; nothing in it depends on the architecture, so every architecture's table
 * ({@link LongtermRuleSuite}) checks the model against the same rule.
 */
public final class LongtermRule {

    /** How the pin is asked for. */
    public enum Api {
        /** {@code pin_user_pages()} under the mmap lock. */
        PUP("pup"),
        /** {@code pin_user_pages_fast()}. */
        PUP_FAST("pup-fast"),
        /** io_uring registering the mapping as a fixed buffer ({@code FOLL_WRITE|FOLL_LONGTERM}). */
        IO_URING("io_uring");

        private final String label;

        Api(String label) {
            this.label = label;
        }

        /** {@code pup}, {@code pup-fast} or {@code io_uring}. */
        public String label() {
            return label;
        }
    }

    /** The forms the file-backed long-term write-pin rule took (spec §4, kernel-facts Q1). */
    enum RuleGen {
        /** Before 6.5: no rule on either path. */
        NONE,
        /** v6 posting: fast path allows anon/shmem/hugetlb; slow path inverted, no VM_SHARED test. */
        V6,
        /** v7 posting: fast as v6; slow path negated but no VM_SHARED test, any FOLL_PIN. */
        V7,
        /** v8/merged 6.5+: shared writable dirty-tracked file mappings refused on both paths. */
        MERGED
    }

    private static final Release MERGED_IN = new Release(6, 5);

    private LongtermRule() {
    }

    static RuleGen ruleGen(KernelVersion k) {
        return switch (k) {
            case V6_PATCH -> RuleGen.V6;
            case V7_PATCH -> RuleGen.V7;
            default -> k.release().compareTo(MERGED_IN) >= 0 ? RuleGen.MERGED : RuleGen.NONE;
        };
    }

    /**
     * What a long-term pin comes to. Reasoning, per path:
     *
     * <p>State after the setup: in a private mapping every page was written, so each is an
     * exclusive anonymous page (CoW copy for files, a private hugetlb folio for hugetlbfs); in a
     * shared mapping each is the file's page-cache folio (shmem, hugetlbfs or ext4/xfs/btrfs).
     * MAP_SHARED|MAP_ANONYMOUS is shmem underneath and its VMA is not "anonymous".
     *
     * <p>Slow path ({@code check_vma_flags}): secretmem VMAs always -EFAULT; a write to a VMA
     * without VM_WRITE -EFAULT; a long-term write pin of a non-anonymous VMA consults
     * {@code writable_file_mapping_allowed()}: none before 6.5; v6 returns
     * {@code vma_needs_dirty_tracking()} un-negated (and that helper had no VM_SHARED test), so it
     * refuses exactly the non-anonymous VMAs that do <em>not</em> need dirty tracking (shmem,
     * hugetlbfs, private or shared); v7 refuses dirty-tracked files, private ones too; merged
     * refuses shared writable dirty-tracked files only. A long-term read pin is not checked; its
     * pages are exclusive anon (private) or in a non-CoW shared mapping, so no unshare is needed.
     *
     * <p>Fast path: a write pin finds writable PTEs. Anonymous folios and hugetlb pass every
     * version's folio check; shmem folios pass too; ext4/xfs/btrfs page-cache folios are refused
     * (to the slow path) from v6 on and pinned before. A read-only long-term pin of a
     * non-anonymous page must be unshared-checked with the VMA, so GUP-fast falls back for shared
     * mappings. Secretmem folios are refused by GUP-fast in every version and the slow path
     * refuses the VMA.
     *
     * <p>io_uring: before 6.5 (the v6/v7 postings were on 6.4) it pins with
     * {@code pin_user_pages()} and then refuses VMAs backed by files other than shmem and
     * hugetlbfs with -EOPNOTSUPP; from 6.5 it leaves that to GUP via {@code pin_user_pages_fast()}.
     *
     * @param writable a write pin of a writable mapping, else a read pin of one made read-only
     *                 (io_uring always asks for a write pin)
     */
    public static Outcome expected(KernelVersion k, Backing b, boolean shared, boolean writable, Api api) {
        Validate.isTrue(k != null && b != null && api != null, "kernel, backing and api must not be null");
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL; // secretmem_mmap(): MAP_SHARED only
        }
        boolean write = api == Api.IO_URING || writable;
        if (write && !writable) {
            return Outcome.EFAULT; // FOLL_WRITE to a VMA without VM_WRITE, no FOLL_FORCE
        }
        RuleGen gen = ruleGen(k);
        // page_mkwrite and writeback: ext4, xfs and btrfs (not shmem, hugetlbfs or secretmem)
        boolean dirtyTracked = b == Backing.EXT4 || b == Backing.XFS || b == Backing.BTRFS;
        boolean anonVma = b == Backing.ANON && !shared;
        boolean slowRefuses = write && !anonVma && switch (gen) {
            case NONE -> false;
            case V6 -> !dirtyTracked;
            case V7 -> dirtyTracked;
            case MERGED -> dirtyTracked && shared;
        };
        boolean fastPinsAll;
        if (!shared) {
            fastPinsAll = true; // exclusive anonymous pages, writable for rw
        } else if (!write) {
            fastPinsAll = false; // R/O long-term pin of a page-cache page: gup_must_unshare(NULL) -> fall back
        } else {
            fastPinsAll = gen == RuleGen.NONE || !dirtyTracked;
        }
        Outcome gup = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return switch (api) {
            case PUP -> gup;
            case PUP_FAST -> fastPinsAll ? Outcome.PINNED : gup;
            case IO_URING -> {
                if (gen == RuleGen.MERGED) {
                    yield fastPinsAll ? Outcome.PINNED : gup;
                }
                if (gup != Outcome.PINNED) {
                    yield gup;
                }
                yield dirtyTracked ? Outcome.EOPNOTSUPP : Outcome.PINNED; // files other than shmem or hugetlbfs
            }
        };
    }
}
