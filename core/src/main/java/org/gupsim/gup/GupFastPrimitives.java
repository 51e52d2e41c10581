package org.gupsim.gup;

import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.PhysMem;
import org.gupsim.smp.Rcu;

/**
 * The kernel primitives a {@link GupFastFolioCheck} reads shared state with, named as the kernel
 * names them. Every access another CPU can race with is a scheduling point, recorded in the trace
 * under the kernel function that makes it, and a dereference of a freed address space is reported
 * as a use-after-free: a check written against this facade is explored and traced exactly like
 * the kernel's own. Page flags a reference keeps stable ({@code folio_test_hugetlb()} and the
 * like) are plain reads.
 */
public final class GupFastPrimitives {
    private final Gup gup;
    private final PhysMem mem;
    private final Rcu rcu;
    private final boolean rcuTableFree;

    GupFastPrimitives(Gup gup, PhysMem mem, Rcu rcu, boolean rcuTableFree) {
        this.gup = gup;
        this.mem = mem;
        this.rcu = rcu;
        this.rcuTableFree = rcuTableFree;
    }

    /** {@code READ_ONCE(folio->mapping)}: one racy read (truncation may clear it at any time). */
    public FolioMapping readOnceMapping(Folio folio) {
        return mem.readMapping(folio);
    }

    /**
     * Mirrors {@code folio_mapping()} as GUP-fast may use it: reads {@code folio->mapping} once;
     * null for an anonymous (or KSM, or movable) folio and for one truncation took away.
     */
    public AddressSpace folioMapping(Folio folio) {
        return addressSpace(mem.readMapping(folio));
    }

    /** Mirrors {@code folio_test_anon()}: reads {@code folio->mapping} once and tests PAGE_MAPPING_ANON. */
    public boolean folioTestAnon(Folio folio) {
        return mappingAnon(mem.readMapping(folio));
    }

    /** Whether a mapping value already read has PAGE_MAPPING_ANON set (anonymous or KSM); false for null. */
    public static boolean mappingAnon(FolioMapping m) {
        return m != null && (m.mappingFlags() & FolioMapping.PAGE_MAPPING_ANON) != 0;
    }

    /** Whether a mapping value already read has any of PAGE_MAPPING_FLAGS set (not an address_space). */
    public static boolean mappingHasFlags(FolioMapping m) {
        return m != null && (m.mappingFlags() & FolioMapping.PAGE_MAPPING_FLAGS) != 0;
    }

    /** A mapping value already read as an address_space, or null if it is none (null, anon, KSM, movable). */
    public static AddressSpace addressSpace(FolioMapping m) {
        return m instanceof AddressSpace as && !mappingHasFlags(m) ? as : null;
    }

    /** Mirrors {@code shmem_mapping()}: dereferences {@code mapping->a_ops}. */
    public boolean shmemMapping(AddressSpace mapping) {
        return mapping.shmemMapping("shmem_mapping");
    }

    /** Mirrors {@code secretmem_mapping()}: dereferences {@code mapping->a_ops}. */
    public boolean secretmemMapping(AddressSpace mapping) {
        return secretmemMapping(mapping, "secretmem_mapping");
    }

    /**
     * {@code mapping->a_ops == &secretmem_aops} as the kernel writes it inline in {@code function}
     * (e.g. {@code folio_is_secretmem}), which the trace names.
     */
    public boolean secretmemMapping(AddressSpace mapping, String function) {
        return mapping.secretmemMapping(function);
    }

    /** Mirrors {@code folio_test_hugetlb()}. */
    public boolean folioTestHugetlb(Folio folio) {
        return folio.hugetlb();
    }

    /** Mirrors {@code folio_test_large()}. */
    public boolean folioTestLarge(Folio folio) {
        return folio.large();
    }

    /** Mirrors {@code folio_test_slab()}. */
    public boolean folioTestSlab(Folio folio) {
        return folio.test(Folio.PG_SLAB);
    }

    /** Mirrors {@code folio_test_lru()}. */
    public boolean folioTestLru(Folio folio) {
        return folio.test(Folio.PG_LRU);
    }

    /** Mirrors {@code rcu_read_lock()} on the CPU running GUP-fast. */
    public void rcuReadLock() {
        rcu.rcuReadLock(gup.cpu());
    }

    /** Mirrors {@code rcu_read_unlock()} on the CPU running GUP-fast. */
    public void rcuReadUnlock() {
        rcu.rcuReadUnlock(gup.cpu());
    }

    /**
     * {@code IS_ENABLED(CONFIG_MMU_GATHER_RCU_TABLE_FREE)} on this machine: whether page tables
     * are freed through RCU (the v6 posting took {@code rcu_read_lock()} only then).
     */
    public boolean rcuTableFree() {
        return rcuTableFree;
    }
}
