package org.gupsim.gup;

import org.gupsim.gup.GupFeatures.SlowFileCheck;
import org.gupsim.kernel.Kernel;
import org.gupsim.vm.Mmap;
import org.gupsim.vm.VmFlags;
import org.gupsim.vm.Vma;

/**
 * The slow path's rules that keep long-term write pins off dirty-tracked file memory, in each
 * kernel version's form ({@link GupFeatures#SLOW_FILE_CHECK},
 * {@link GupFeatures#DIRTY_TRACKING_NEEDS_SHARED}). The slow path has the VMA and looks at it;
 * GUP-fast has only the folio, and its checks are {@link GupFastFolioCheck}s.
 */
final class LongtermRules {
    private final SlowFileCheck slowFileCheck;
    private final boolean dirtyTrackingNeedsShared;

    LongtermRules(Kernel kernel) {
        this.slowFileCheck = kernel.get(GupFeatures.SLOW_FILE_CHECK);
        this.dirtyTrackingNeedsShared = kernel.get(GupFeatures.DIRTY_TRACKING_NEEDS_SHARED);
    }

    /**
     * The slow path's rule for writes to a non-anonymous VMA, as {@code check_vma_flags()} applies
     * it through {@code writable_file_mapping_allowed()} (or the posted variants).
     */
    boolean writableFileMappingAllowed(Vma vma, int flags) {
        switch (slowFileCheck) {
            case NONE:
                return true;
            case V6_INVERTED:
                // writeable_file_mapping_allowed() as posted in v6: GET or PIN, and LONGTERM, then
                // the helper returned vma_needs_dirty_tracking() itself, the negation missing.
                if ((flags & (Foll.GET.bit() | Foll.PIN.bit())) == 0 || (flags & Foll.LONGTERM.bit()) == 0) {
                    return true;
                }
                return dirtyTracking(vma);
            case V7_PIN_OR_LONGTERM:
                // v7: negated correctly, but returns early only when neither flag is set.
                if ((flags & (Foll.PIN.bit() | Foll.LONGTERM.bit())) == 0) {
                    return true;
                }
                return !dirtyTracking(vma);
            case MERGED:
            default:
                if ((flags & (Foll.PIN.bit() | Foll.LONGTERM.bit())) != (Foll.PIN.bit() | Foll.LONGTERM.bit())) {
                    return true;
                }
                return !dirtyTracking(vma);
        }
    }

    /** {@code vma_needs_dirty_tracking()} in this version's form (v8 added the shared-writable test). */
    private boolean dirtyTracking(Vma vma) {
        return dirtyTrackingNeedsShared ? Mmap.vmaNeedsDirtyTracking(vma) : Mmap.vmaFileNeedsDirtyTracking(vma);
    }

    /** Whether {@code vma} may be written by FOLL_FORCE ({@code is_cow_mapping}). */
    static boolean isCowMapping(Vma vma) {
        return VmFlags.isCowMapping(vma.flags());
    }
}
