package org.gupsim.gup;

import org.gupsim.fs.AddressSpace;
import org.gupsim.gup.GupFastFolioCheck.Placement;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;

/**
 * The kernel's own {@link GupFastFolioCheck}s, written against {@link GupFastPrimitives} like any
 * patch's: the file-backed long-term write-pin check in each form it had, and the secretmem check.
 *
 * <p>Why GUP-fast may read {@code folio->mapping} at all: the folio is referenced, so it cannot be
 * freed, but truncation can clear {@code folio->mapping} at any moment and the inode behind it can
 * then be evicted. Inodes are freed through RCU, and GUP-fast runs with IRQs off, which (since RCU
 * flavours were consolidated in 4.20) is a read-side critical section: a mapping read once with
 * READ_ONCE stays dereferenceable until IRQs are back on. The merged code relies on exactly that.
 * The v6 posting took {@code rcu_read_lock()} explicitly on architectures that free page tables by
 * RCU and compared two reads of the mapping; reviewers noted the IRQ-off section already does the
 * job.
 */
public final class KernelFolioChecks {
    private static final int PIN_LONGTERM_WRITE = Foll.PIN.bit() | Foll.LONGTERM.bit() | Foll.WRITE.bit();
    private static final int LONGTERM_WRITE = Foll.LONGTERM.bit() | Foll.WRITE.bit();

    /** No check (before 6.5 for file-backed folios; from 6.10 for the separate secretmem one). */
    public static final GupFastFolioCheck NONE = new KernelCheck("none", Placement.AFTER_RECHECK,
            "GUP-fast: none() refused the folio", (folio, gupFlags, k) -> true);

    /** The v6 posting's check in {@code try_grab_folio()}, with {@code stabilise_mapping_rcu()}. */
    public static final GupFastFolioCheck V6_TRY_GRAB = posted(true);

    /** The v7 posting's check in {@code try_grab_folio()}, the RCU stabilisation dropped. */
    public static final GupFastFolioCheck V7_TRY_GRAB = posted(false);

    /** 6.5's {@code folio_fast_pin_allowed()} (a6e79df92e4a), after the recheck. */
    public static final GupFastFolioCheck FOLIO_FAST_PIN_ALLOWED = merged(false);

    /** 6.10's {@code gup_fast_folio_allowed()} (f002882ca369): secretmem folded in. */
    public static final GupFastFolioCheck GUP_FAST_FOLIO_ALLOWED = merged(true);

    /** {@code folio_is_secretmem()} right after the grab, as kernels before 6.10 called it. */
    public static final GupFastFolioCheck FOLIO_IS_SECRETMEM = new KernelCheck("folio_is_secretmem",
            Placement.BEFORE_RECHECK, "GUP-fast: secretmem folio", KernelFolioChecks::folioIsSecretmemAllowed);

    private KernelFolioChecks() {
    }

    /** What a check decides, {@link GupFastFolioCheck#allowed}. */
    @FunctionalInterface
    private interface Rule {
        boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k);
    }

    /** One of the kernel's checks: its name, where it runs, its refusal and the rule it applies. */
    private record KernelCheck(String name, Placement placement, String refusal, Rule rule)
            implements GupFastFolioCheck {
        @Override
        public boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k) {
            return rule.allowed(folio, gupFlags, k);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static GupFastFolioCheck posted(boolean v6) {
        return new KernelCheck("folio_longterm_write_pin_allowed", Placement.IN_TRY_GRAB,
                "GUP-fast: file-backed folio refused for a long-term write pin (try_grab_folio)",
                (folio, gupFlags, k) -> folioLongtermWritePinAllowed(v6, folio, gupFlags, k));
    }

    private static GupFastFolioCheck merged(boolean withSecretmem) {
        return new KernelCheck(withSecretmem ? "gup_fast_folio_allowed" : "folio_fast_pin_allowed",
                Placement.AFTER_RECHECK,
                "GUP-fast: folio not allowed (file-backed long-term write pin, or secretmem)",
                (folio, gupFlags, k) -> gupFastFolioAllowed(withSecretmem, folio, gupFlags, k));
    }

    /**
     * Mirrors {@code folio_is_secretmem()} (6.6; {@code page_is_secretmem()} before): secretmem
     * folios are order-0 and on the LRU, so anything else is skipped without looking at the
     * mapping; then {@code folio->mapping} is read, masked, and read again to make sure it is a
     * plain address space, before {@code mapping->a_ops} is dereferenced. Like the merged
     * check, that dereference relies on the IRQ-off section alone.
     */
    private static boolean folioIsSecretmemAllowed(Folio folio, int gupFlags, GupFastPrimitives k) {
        if (k.folioTestLarge(folio) || !k.folioTestLru(folio)) {
            return true;
        }
        FolioMapping m = k.readOnceMapping(folio);
        if (m == null || GupFastPrimitives.mappingHasFlags(m) || m != k.readOnceMapping(folio)) {
            return true;
        }
        return !k.secretmemMapping((AddressSpace) m, "folio_is_secretmem");
    }

    /**
     * The posted {@code folio_longterm_write_pin_allowed()}, for FOLL_LONGTERM|FOLL_WRITE: hugetlb
     * yes; otherwise anonymous or shmem-backed only. v6 first stabilises the mapping
     * ({@code stabilise_mapping_rcu()}): where tables are RCU-freed it reads the mapping, takes
     * {@code rcu_read_lock()} and requires a second read to agree, else falls back to the slow
     * path; elsewhere it trusts the IRQ-off section. Note the several separate reads of
     * {@code folio->mapping}: truncation may change it between any two of them.
     */
    private static boolean folioLongtermWritePinAllowed(boolean v6, Folio folio, int gupFlags, GupFastPrimitives k) {
        if ((gupFlags & LONGTERM_WRITE) != LONGTERM_WRITE || k.folioTestHugetlb(folio)) {
            return true;
        }
        boolean rcuLocked = false;
        boolean stable = true;
        if (v6 && k.rcuTableFree()) {
            FolioMapping first = k.readOnceMapping(folio);
            k.rcuReadLock();
            rcuLocked = true;
            stable = first == k.readOnceMapping(folio);
        }
        boolean ret = false;
        if (stable) {
            AddressSpace mapping = k.folioMapping(folio);
            boolean anon = k.folioTestAnon(folio);
            ret = anon || (mapping != null && k.shmemMapping(mapping));
        }
        if (rcuLocked) {
            k.rcuReadUnlock();
        }
        return ret;
    }

    /**
     * Mirrors {@code gup_fast_folio_allowed()} (6.10+) and {@code folio_fast_pin_allowed()} (6.5–6.9,
     * the same without the secretmem part, which those kernels checked separately): true unless
     * PIN, LONGTERM and WRITE are all set (or, from 6.10, the folio is order-0 and may be
     * secretmem); slab → false; hugetlb → true; then the mapping, read exactly once: it may be
     * cleared by truncation at any time, and the IRQ-off section keeps what was read from being
     * freed (inodes are freed by RCU).
     */
    private static boolean gupFastFolioAllowed(boolean withSecretmem, Folio folio, int gupFlags,
                                               GupFastPrimitives k) {
        boolean rejectFileBacked = (gupFlags & PIN_LONGTERM_WRITE) == PIN_LONGTERM_WRITE;
        boolean checkSecretmem = withSecretmem && !k.folioTestLarge(folio);
        if (!rejectFileBacked && !checkSecretmem) {
            return true;
        }
        if (k.folioTestSlab(folio)) {
            return false;
        }
        if (k.folioTestHugetlb(folio)) {
            return true;
        }
        FolioMapping mapping = k.readOnceMapping(folio);
        if (mapping == null) {
            return false;
        }
        if (GupFastPrimitives.mappingHasFlags(mapping)) {
            return GupFastPrimitives.mappingAnon(mapping);
        }
        AddressSpace as = (AddressSpace) mapping;
        if (checkSecretmem && k.secretmemMapping(as)) {
            return false;
        }
        return !rejectFileBacked || k.shmemMapping(as);
    }
}
