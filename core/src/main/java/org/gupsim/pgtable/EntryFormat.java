package org.gupsim.pgtable;

/**
 * An architecture's page-table entry format: the SPI every architecture module implements.
 *
 * <p>Entries are {@code long}s as the hardware stores them. Upper-level entries point to the next
 * table by its physical address; leaf entries (PTEs, and huge mappings at the levels the
 * {@link Geometry} allows) carry a pfn and protection bits. Protections travel as an
 * architecture-specific template ({@code pgprot_t}) made by {@link #vmGetPageProt}. Methods
 * mirror the kernel's {@code pte_*()} / {@code pmd_*()} helpers; {@code level} tells which.
 */
public interface EntryFormat {

    /** Mirrors {@code pXd_none()}: the entry is empty. */
    boolean none(Level level, long entry);

    /** Mirrors {@code pXd_present()} (a PROT_NONE leaf counts as present, as in the kernel). */
    boolean present(Level level, long entry);

    /** Mirrors {@code pXd_leaf()}: a present entry that maps memory rather than a table. PTEs always are. */
    boolean leaf(Level level, long entry);

    /** Physical address of the next-level table a non-leaf entry points to ({@code pXd_page_vaddr}). */
    long tablePhys(Level level, long entry);

    /** Mirrors {@code pXd_populate()}: an entry pointing to the table at {@code tablePhys}. */
    long mkTable(Level level, long tablePhys);

    /** Mirrors {@code pfn_pte()} / {@code pfn_pmd()} + {@code pmd_mkhuge()}. */
    long mkLeaf(Level level, long pfn, long pgprot);

    /** Mirrors {@code pte_pfn()} / {@code pmd_pfn()}: the first frame the leaf maps. */
    long leafPfn(Level level, long entry);

    /** Mirrors {@code pte_write()}. */
    boolean leafWrite(Level level, long entry);

    /** Mirrors {@code pte_dirty()}. */
    boolean leafDirty(Level level, long entry);

    /** Mirrors {@code pte_young()}. */
    boolean leafYoung(Level level, long entry);

    /** Mirrors {@code pte_special()}: no struct page refcounting behind this mapping. */
    boolean leafSpecial(Level level, long entry);

    /** Mirrors {@code pte_devmap()}: ZONE_DEVICE memory. */
    boolean leafDevmap(Level level, long entry);

    /** Mirrors {@code pte_protnone()}: present for the kernel but inaccessible (PROT_NONE, NUMA hinting). */
    boolean leafProtnone(Level level, long entry);

    /** Mirrors {@code pte_access_permitted(pte, write)}: user-accessible, and writable if asked. */
    boolean accessPermitted(Level level, long entry, boolean write);

    long mkWrite(Level level, long entry);

    long wrprotect(Level level, long entry);

    long mkDirty(Level level, long entry);

    long mkClean(Level level, long entry);

    long mkYoung(Level level, long entry);

    long mkOld(Level level, long entry);

    long mkSpecial(Level level, long entry);

    long mkDevmap(Level level, long entry);

    /** Mirrors {@code pte_modify()}: keeps pfn, dirty and accessed, takes the rest from {@code pgprot}. */
    long modify(Level level, long entry, long pgprot);

    /**
     * Mirrors {@code vm_get_page_prot(vm_flags)}: the protection template for a VMA, from the
     * VM_READ/VM_WRITE/VM_EXEC/VM_SHARED bits ({@code protection_map}).
     */
    long vmGetPageProt(long vmFlags);

    /** Whether this architecture has {@code pte_special()} (ARCH_HAS_PTE_SPECIAL). */
    boolean hasPteSpecial();

    // ---- swap PTEs: what stands in a PTE while its page is swapped out or being migrated

    /**
     * Mirrors {@code __swp_entry_to_pte(__swp_entry(type, offset))}: a PTE that is neither none
     * nor present and names a swap slot ({@code type} a swap device, {@code offset} a slot in it) or,
     * for the migration types of include/linux/swapops.h, the pfn of a page under migration. Only
     * PTE-level swap entries are modelled.
     *
     * @throws IllegalArgumentException if {@code type} or {@code offset} do not fit the format
     */
    long mkSwpPte(int type, long offset);

    /** Mirrors {@code __swp_type(__pte_to_swp_entry(pte))}; {@code pte} must be a swap PTE. */
    int swpType(long pte);

    /** Mirrors {@code __swp_offset(__pte_to_swp_entry(pte))}; {@code pte} must be a swap PTE. */
    long swpOffset(long pte);

    /**
     * Mirrors {@code pte_swp_exclusive()}: the swap PTE remembers that the page was
     * {@code PageAnonExclusive} when it was unmapped (the bit is not part of the swap entry itself).
     */
    boolean swpExclusive(long pte);

    /** Mirrors {@code pte_swp_mkexclusive()}. */
    long swpMkExclusive(long pte);

    /** Mirrors {@code pte_swp_clear_exclusive()}. */
    long swpClearExclusive(long pte);

    /** Mirrors {@code is_swap_pte()}: a PTE that is neither none nor present. */
    default boolean isSwapPte(long pte) {
        return !none(Level.PTE, pte) && !present(Level.PTE, pte);
    }

    /** A short human form of an entry for traces, e.g. {@code "pfn=0x1234 P RW U A D"}. */
    String describe(Level level, long entry);
}
