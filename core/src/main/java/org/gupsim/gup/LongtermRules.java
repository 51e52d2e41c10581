package org.gupsim.gup;

import org.gupsim.fs.AddressSpace;
import org.gupsim.gup.GupFeatures.FastFileCheck;
import org.gupsim.gup.GupFeatures.SlowFileCheck;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.PhysMem;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.Rcu;
import org.gupsim.vm.Mmap;
import org.gupsim.vm.VmFlags;
import org.gupsim.vm.Vma;

/**
 * The rules that keep long-term write pins off dirty-tracked file memory, and the secretmem rule,
 * in each kernel version's form. GUP-fast has no VMA, so it can only look at the folio and must
 * read {@code folio->mapping} without a lock; the slow path looks at the VMA.
 *
 * <p>Why the fast path may read the mapping at all: the folio is referenced, so it cannot be freed,
 * but truncation can clear {@code folio->mapping} at any moment and the inode behind it can then be
 * evicted. Inodes are freed through RCU, and GUP-fast runs with IRQs off, which (since RCU flavours
 * were consolidated in 4.20) is a read-side critical section: a mapping read once with READ_ONCE
 * stays dereferenceable until IRQs are back on. The merged code relies on exactly that. The v6
 * posting took {@code rcu_read_lock()} explicitly on architectures that free page tables by RCU
 * and compared two reads of the mapping; reviewers noted the IRQ-off section already does the job.
 */
final class LongtermRules {
    private static final int PIN_LONGTERM_WRITE = Foll.PIN.bit() | Foll.LONGTERM.bit() | Foll.WRITE.bit();

    private final FastFileCheck fastFileCheck;
    private final SlowFileCheck slowFileCheck;
    private final boolean dirtyTrackingNeedsShared;
    private final boolean secretmemInFolioAllowed;
    private final PhysMem mem;
    private final Rcu rcu;
    private final GupArchContext ctx;

    /** What the rules need to know about the machine. */
    interface GupArchContext {
        Cpu cpu();

        /** Whether page tables are freed through MMU_GATHER_RCU_TABLE_FREE. */
        boolean rcuTableFree();
    }

    LongtermRules(Kernel kernel, PhysMem mem, Rcu rcu, GupArchContext ctx) {
        this.fastFileCheck = kernel.get(GupFeatures.FAST_FILE_CHECK);
        this.slowFileCheck = kernel.get(GupFeatures.SLOW_FILE_CHECK);
        this.dirtyTrackingNeedsShared = kernel.get(GupFeatures.DIRTY_TRACKING_NEEDS_SHARED);
        this.secretmemInFolioAllowed = kernel.get(GupFeatures.SECRETMEM_IN_FOLIO_ALLOWED);
        this.mem = mem;
        this.rcu = rcu;
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ fast path

    /**
     * The check the v6 and v7 postings made inside {@code try_grab_folio()}; true for every other
     * version. Runs after the reference is taken and before the caller's PMD/PTE recheck.
     */
    boolean tryGrabCheck(Folio folio, int flags) {
        FastFileCheck c = fastFileCheck;
        if (c != FastFileCheck.V6_TRY_GRAB_RCU && c != FastFileCheck.V7_TRY_GRAB) {
            return true;
        }
        if ((flags & Foll.WRITE.bit()) == 0 || (flags & Foll.LONGTERM.bit()) == 0) {
            return true;
        }
        return folioLongtermWritePinAllowed(folio, c == FastFileCheck.V6_TRY_GRAB_RCU);
    }

    /**
     * The posted {@code folio_longterm_write_pin_allowed()}: hugetlb yes; otherwise anonymous or
     * shmem-backed only. v6 first stabilises the mapping ({@code stabilise_mapping_rcu()}): where
     * tables are RCU-freed it reads the mapping, takes {@code rcu_read_lock()} and requires a second
     * read to agree, else falls back to the slow path; elsewhere it trusts the IRQ-off section.
     * Note the several separate reads of {@code folio->mapping}: truncation may change it between
     * any two of them.
     */
    private boolean folioLongtermWritePinAllowed(Folio folio, boolean v6) {
        if (folio.hugetlb()) {
            return true;
        }
        Cpu cpu = ctx.cpu();
        boolean rcuLocked = false;
        boolean stable = true;
        if (v6 && ctx.rcuTableFree()) {
            FolioMapping first = mem.readMapping(folio);
            rcu.rcuReadLock(cpu);
            rcuLocked = true;
            stable = first == mem.readMapping(folio);
        }
        boolean ret = false;
        if (stable) {
            // folio_mapping(): NULL for anon (flag bits set) or truncated folios.
            FolioMapping m = mem.readMapping(folio);
            AddressSpace mapping = (m instanceof AddressSpace as) ? as : null;
            // folio_test_anon(): another read of folio->mapping.
            FolioMapping again = mem.readMapping(folio);
            boolean anon = again != null && (again.mappingFlags() & FolioMapping.PAGE_MAPPING_ANON) != 0;
            ret = anon || (mapping != null && mapping.shmemMapping("shmem_mapping"));
        }
        if (rcuLocked) {
            rcu.rcuReadUnlock(cpu);
        }
        return ret;
    }

    /**
     * Mirrors {@code gup_fast_folio_allowed()} (6.10+) and, for 6.5–6.9, {@code folio_fast_pin_allowed()}
     * (the same without the secretmem part, which those kernels checked separately). Runs after
     * the PMD/PTE recheck, so the folio is known to have been mapped at this address.
     */
    boolean gupFastFolioAllowed(Folio folio, int flags) {
        if (fastFileCheck != FastFileCheck.AFTER_RECHECK) {
            return true;
        }
        boolean rejectFileBacked = (flags & PIN_LONGTERM_WRITE) == PIN_LONGTERM_WRITE;
        boolean checkSecretmem = secretmemInFolioAllowed && !folio.large();
        if (!rejectFileBacked && !checkSecretmem) {
            return true;
        }
        if (folio.test(Folio.PG_SLAB)) {
            return false;
        }
        if (folio.hugetlb()) {
            return true;
        }
        // Read the mapping exactly once: it may be cleared by truncation at any time, and the
        // IRQ-off section keeps what we read from being freed (inodes are freed by RCU).
        FolioMapping mapping = mem.readMapping(folio);
        if (mapping == null) {
            return false;
        }
        int mappingFlags = mapping.mappingFlags() & FolioMapping.PAGE_MAPPING_FLAGS;
        if (mappingFlags != 0) {
            return (mappingFlags & FolioMapping.PAGE_MAPPING_ANON) != 0;
        }
        AddressSpace as = (AddressSpace) mapping;
        if (checkSecretmem && as.secretmemMapping("secretmem_mapping")) {
            return false;
        }
        return !rejectFileBacked || as.shmemMapping("shmem_mapping");
    }

    /**
     * Mirrors {@code folio_is_secretmem()} as kernels before 6.10 checked it in GUP-fast, right after
     * grabbing the folio. Secretmem folios are order-0 and on the LRU, so anything else is skipped
     * without looking at the mapping; then {@code folio->mapping} is read, masked, and read again to
     * make sure it is a plain address space, before {@code mapping->a_ops} is dereferenced. Like the
     * merged check, that dereference relies on the IRQ-off section alone.
     */
    boolean separateSecretmemCheckRejects(Folio folio) {
        if (secretmemInFolioAllowed || folio.large() || !folio.test(Folio.PG_LRU)) {
            return false;
        }
        FolioMapping m = mem.readMapping(folio);
        if (m == null || (m.mappingFlags() & FolioMapping.PAGE_MAPPING_FLAGS) != 0 || m != mem.readMapping(folio)) {
            return false;
        }
        return ((AddressSpace) m).secretmemMapping("folio_is_secretmem");
    }

    // ------------------------------------------------------------------ slow path

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
