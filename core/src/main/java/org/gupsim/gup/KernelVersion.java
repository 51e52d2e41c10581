package org.gupsim.gup;

import java.util.Arrays;
import java.util.List;

/**
 * Kernel versions whose GUP rules differ, as values: one scenario runs across all of them.
 *
 * <p>The file-backed long-term write-pin rule came with Lorenzo Stoakes' 2023 series. Its v6
 * (the seed) and v7 postings differ from what was merged in 6.5 (v8/v9): see
 * spec/kernel-semantics.md §4 and the notes on each policy below. Where the posted patches and the
 * spec page disagreed, the patches as posted win.
 */
public enum KernelVersion {
    /** Before the series: no file-backed check on either path. */
    V6_4("6.4", 6, 4, FastFileCheck.NONE, SlowFileCheck.NONE, false),
    /**
     * The seed, posted 2 May 2023: fast check inside {@code try_grab_folio()} before the PTE
     * recheck, mapping stabilised by a double read under {@code rcu_read_lock()} where tables are
     * RCU-freed; slow check {@code writeable_file_mapping_allowed()} returning
     * {@code vma_needs_dirty_tracking()} without the negation (reviewers caught it), and that
     * helper not yet looking at VM_SHARED.
     */
    V6_PATCH("v6-patch", 6, 4, FastFileCheck.V6_TRY_GRAB_RCU, SlowFileCheck.V6_INVERTED, false),
    /**
     * v7 of the series: RCU stabilisation dropped; slow check negated correctly but applied when
     * either FOLL_PIN or FOLL_LONGTERM is set, and still without the VM_SHARED test, so private file
     * mappings failed in {@code vfio_pin_pages_remote()} (spec §7 table).
     */
    V7_PATCH("v7-patch", 6, 4, FastFileCheck.V7_TRY_GRAB, SlowFileCheck.V7_PIN_OR_LONGTERM, false),
    /** Merged (a6e79df92e4a, 8ac268436e6d): {@code folio_fast_pin_allowed()} after the recheck. */
    V6_5("6.5", 6, 5, FastFileCheck.AFTER_RECHECK, SlowFileCheck.MERGED, true),
    /**
     * f002882ca369: secretmem folded into {@code gup_fast_folio_allowed()}. v6.10 as released:
     * arm64's fix of GUP-fast through a run-time folded PUD (36639013b346) came in v6.11-rc1 and
     * reached stable only in 6.10.3.
     */
    V6_10("6.10", 6, 10, FastFileCheck.AFTER_RECHECK, SlowFileCheck.MERGED, true),
    /** a37259732a7d: x86 always frees tables through RCU; fsdax folios not long-term pinnable. */
    V6_15("6.15", 6, 15, FastFileCheck.AFTER_RECHECK, SlowFileCheck.MERGED, true),
    /**
     * 7.2, released 2026-08-16: the first mainline release with every 2026 fix of KVM's s390 PCI
     * adapter-interrupt forwarding (arch/s390/kvm/pci.c; merged for 7.1-rc3 and 7.2-rc3 to rc5, see
     * the s390 module's {@code AifCode}). Its GUP rules are taken to be the 6.10 ones (with 6.15's
     * fsdax and x86 table-freeing changes): the model's mm/gup.c was read from a 6.18 tree and
     * 7.2's was not re-read, so that part is UNCONFIRMED.
     */
    V7_2("7.2", 7, 2, FastFileCheck.AFTER_RECHECK, SlowFileCheck.MERGED, true),
    /**
     * The newest mainline release the model follows, the default: today 7.2, the same kernel as
     * {@link #V7_2} (which keeps naming it when this moves on). Before 7.2 was added this label
     * meant 6.18, whose pci.c predates the 2026 fixes. 7.3 and later are not modelled.
     */
    LATEST("latest", 7, 2, FastFileCheck.AFTER_RECHECK, SlowFileCheck.MERGED, true);

    /** Where and how GUP-fast refuses long-term write pins of file folios. */
    public enum FastFileCheck {
        /** No check. */
        NONE,
        /** v6: in try_grab_folio before the recheck, double read of the mapping under RCU. */
        V6_TRY_GRAB_RCU,
        /** v7: in try_grab_folio before the recheck, no RCU. */
        V7_TRY_GRAB,
        /** Merged: after the PMD/PTE recheck, mapping read once with READ_ONCE. */
        AFTER_RECHECK
    }

    /** How the slow path's {@code check_vma_flags()} treats writes to file mappings. */
    public enum SlowFileCheck {
        NONE, V6_INVERTED, V7_PIN_OR_LONGTERM, MERGED
    }

    private final String label;
    private final int major;
    private final int minor;
    private final FastFileCheck fastFileCheck;
    private final SlowFileCheck slowFileCheck;
    private final boolean dirtyTrackingChecksShared;

    KernelVersion(String label, int major, int minor, FastFileCheck fast, SlowFileCheck slow, boolean shared) {
        this.label = label;
        this.major = major;
        this.minor = minor;
        this.fastFileCheck = fast;
        this.slowFileCheck = slow;
        this.dirtyTrackingChecksShared = shared;
    }

    /** The name users type: {@code 6.4}, {@code v6-patch}, {@code latest}. */
    public String label() {
        return label;
    }

    public FastFileCheck fastFileCheck() {
        return fastFileCheck;
    }

    public SlowFileCheck slowFileCheck() {
        return slowFileCheck;
    }

    /** v8 and later: {@code vma_needs_dirty_tracking()} first requires a shared writable VMA. */
    public boolean dirtyTrackingChecksShared() {
        return dirtyTrackingChecksShared;
    }

    /** 6.10+: secretmem is checked inside {@code gup_fast_folio_allowed()}. */
    public boolean secretmemInFolioAllowed() {
        return atLeast(6, 10);
    }

    /** ≈6.15+: {@code folio_is_longterm_pinnable()} refuses fsdax folios. */
    public boolean fsdaxNotLongtermPinnable() {
        return atLeast(6, 15);
    }

    /** Whether this is {@code major.minor} or later (patch postings count as the release they were based on). */
    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /** The release number, e.g. {@code 7.2} for latest. */
    public String release() {
        return major + "." + minor;
    }

    /** Every label, for error messages and listings. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(KernelVersion::label).toList();
    }

    /**
     * Parses a label.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static KernelVersion parse(String label) {
        for (KernelVersion k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kernel must be one of " + labels() + ", was '" + label + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
