package org.gupsim.testkit;

import org.apache.commons.lang3.Validate;
import org.gupsim.callers.CallerFeatures;
import org.gupsim.gup.GupFeatures;
import org.gupsim.gup.GupFeatures.SlowFileCheck;
import org.gupsim.gup.KernelFolioChecks;
import org.gupsim.kernel.Kernel;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.LongtermPin.Outcome;

/**
 * The long-term pinning rule of the kernel (spec §4) as an oracle: what a long-term pin of a
 * mapping set up as {@code tools/testing/selftests/mm/gup_longterm.c} sets it up comes to, on each
 * kernel, through each API. Written from the kernel's code and the posted patches, not from the
 * model's rule code; nothing in it depends on the architecture, so every architecture's table
 * ({@link LongtermRuleSuite}) checks the model against the same rule.
 *
 * <p>Which form of the rule a kernel has is read from its features, never from its release
 * number: {@link GupFeatures#SLOW_FILE_CHECK} (none, the v6 and v7 postings, merged),
 * {@link GupFeatures#FOLIO_CHECK} (whether GUP-fast checks file folios at all) and
 * {@link CallerFeatures#IO_URING_FILE_CHECK_IN_GUP}. What each form then does is this class's own
 * reasoning, below.
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

    private LongtermRule() {
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
    public static Outcome expected(Kernel k, Backing b, boolean shared, boolean writable, Api api) {
        Validate.isTrue(k != null && b != null && api != null, "kernel, backing and api must not be null");
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL; // secretmem_mmap(): MAP_SHARED only
        }
        boolean write = api == Api.IO_URING || writable;
        if (write && !writable) {
            return Outcome.EFAULT; // FOLL_WRITE to a VMA without VM_WRITE, no FOLL_FORCE
        }
        SlowFileCheck slow = k.get(GupFeatures.SLOW_FILE_CHECK);
        boolean fastChecksFiles = k.get(GupFeatures.FOLIO_CHECK) != KernelFolioChecks.NONE;
        // page_mkwrite and writeback: ext4, xfs and btrfs (not shmem, hugetlbfs or secretmem)
        boolean dirtyTracked = b == Backing.EXT4 || b == Backing.XFS || b == Backing.BTRFS;
        boolean anonVma = b == Backing.ANON && !shared;
        boolean slowRefuses = write && !anonVma && switch (slow) {
            case NONE -> false;
            case V6_INVERTED -> !dirtyTracked;
            case V7_PIN_OR_LONGTERM -> dirtyTracked;
            case MERGED -> dirtyTracked && shared;
        };
        boolean fastPinsAll;
        if (!shared) {
            fastPinsAll = true; // exclusive anonymous pages, writable for rw
        } else if (!write) {
            fastPinsAll = false; // R/O long-term pin of a page-cache page: gup_must_unshare(NULL) -> fall back
        } else {
            fastPinsAll = !fastChecksFiles || !dirtyTracked;
        }
        Outcome gup = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return switch (api) {
            case PUP -> gup;
            case PUP_FAST -> fastPinsAll ? Outcome.PINNED : gup;
            case IO_URING -> {
                if (k.get(CallerFeatures.IO_URING_FILE_CHECK_IN_GUP)) {
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
