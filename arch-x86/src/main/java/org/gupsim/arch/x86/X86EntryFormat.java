package org.gupsim.arch.x86;

import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.BitEntryFormat;
import org.gupsim.pgtable.Level;

/**
 * The x86-64 page-table entry format, with the hardware and software bits of
 * arch/x86/include/asm/pgtable_types.h and the helpers of arch/x86/include/asm/pgtable.h.
 *
 * <p>Every level uses the same 64-bit layout: flag bits 0..11, the physical frame in bits 12..51,
 * software bits above, and NX in bit 63. Bit 7 is {@code _PAGE_PSE} in a PMD or PUD entry (a 2M
 * or 1G leaf) and {@code _PAGE_PAT} in a PTE. Bit 8 is {@code _PAGE_GLOBAL} when the entry is
 * present and {@code _PAGE_PROTNONE} when it is not, which is how a PROT_NONE (or NUMA-hinting)
 * mapping stays "present" for the kernel while the MMU faults on it.
 *
 * <p>Not modelled: shadow-stack {@code _PAGE_SAVED_DIRTY}, soft-dirty, uffd-wp, memory
 * encryption, protection keys, and the L1TF inversion of the pfn in non-present entries.
 *
 * <p>{@code pte_none()} and {@code pmd_none()} (arch/x86/include/asm/pgtable.h): an empty slot is
 * all zeroes, {@link BitEntryFormat}'s rule (the kernel also ignores the Knights Landing erratum
 * bits, which a simulated CPU never sets).
 *
 * <p>The query methods run per page in GUP-fast and allocate nothing; the class is stateless, so
 * one {@link #INSTANCE} serves every variant. The one-bit helpers come from {@link BitEntryFormat}
 * over {@link #LEAF_BITS}.
 */
public final class X86EntryFormat extends BitEntryFormat {
    /** {@code _PAGE_PRESENT}: the MMU may use the entry. */
    public static final long PRESENT = 1L;
    /** {@code _PAGE_RW}: writable. */
    public static final long RW = 1L << 1;
    /** {@code _PAGE_USER}: user mode may access. */
    public static final long USER = 1L << 2;
    /** {@code _PAGE_PWT}: write-through caching. */
    public static final long PWT = 1L << 3;
    /** {@code _PAGE_PCD}: caching disabled. */
    public static final long PCD = 1L << 4;
    /** {@code _PAGE_ACCESSED}: the young bit. */
    public static final long ACCESSED = 1L << 5;
    /** {@code _PAGE_DIRTY}. */
    public static final long DIRTY = 1L << 6;
    /** {@code _PAGE_PSE}: in a PMD or PUD entry, a huge leaf rather than a table. */
    public static final long PSE = 1L << 7;
    /** {@code _PAGE_PAT}: the same bit as {@link #PSE}, read in a PTE. */
    public static final long PAT = PSE;
    /** {@code _PAGE_GLOBAL}: not flushed on CR3 switches (kernel mappings only). */
    public static final long GLOBAL = 1L << 8;
    /** {@code _PAGE_PROTNONE}: the global bit, meaningful only while {@link #PRESENT} is clear. */
    public static final long PROTNONE = GLOBAL;
    /** {@code _PAGE_SPECIAL} (SOFTW1): no struct page refcounting behind the mapping. */
    public static final long SPECIAL = 1L << 9;
    /** {@code _PAGE_DEVMAP} (SOFTW4): ZONE_DEVICE memory. */
    public static final long DEVMAP = 1L << 58;
    /** {@code _PAGE_NX}: not executable. */
    public static final long NX = 1L << 63;
    /** {@code PTE_PFN_MASK}: physical-address bits 12..51 of an entry. */
    public static final long PTE_PFN_MASK = ((1L << 52) - 1) & ~0xfffL;
    /** {@code _PAGE_TABLE}: what {@code pXd_populate()} puts beside the table's address. */
    public static final long PAGE_TABLE = PRESENT | RW | USER | ACCESSED | DIRTY;

    /** {@code PAGE_NONE}: present for the kernel, inaccessible to the MMU. */
    public static final long PAGE_NONE = PROTNONE | ACCESSED;
    /** {@code PAGE_READONLY} (and {@code PAGE_COPY}, which is the same on x86). */
    public static final long PAGE_READONLY = PRESENT | USER | ACCESSED | NX;
    /** {@code PAGE_COPY}: private writable mappings start read-only so that writes CoW. */
    public static final long PAGE_COPY = PAGE_READONLY;
    /** {@code PAGE_SHARED}: shared writable. */
    public static final long PAGE_SHARED = PRESENT | RW | USER | ACCESSED | NX;

    private static final int PAGE_SHIFT = 12;
    /** {@code SWP_TYPE_BITS}: the swap type sits in the top five bits of a swap PTE. */
    private static final int SWP_TYPE_BITS = 5;
    /** {@code SWP_OFFSET_SHIFT} = {@code SWP_OFFSET_FIRST_BIT} (PROTNONE's bit + 1) + {@code SWP_TYPE_BITS}. */
    private static final int SWP_OFFSET_SHIFT = 9 + SWP_TYPE_BITS;
    /**
     * {@code _PAGE_SWP_EXCLUSIVE}: bit 7 (PSE), which {@code pte_present()} does not look at. The
     * PAE layout comment of the same series puts E at bit 7; the 64-bit define was not read
     * (UNCONFIRMED, see docs/kernel/anon-exclusive.md).
     */
    public static final long SWP_EXCLUSIVE = PSE;
    /** The highest pfn bits 12..51 can hold, plus one. */
    private static final long PFN_LIMIT = 1L << 40;
    /** {@code _PAGE_CHG_MASK}: what {@code pte_modify()} keeps (soft-dirty, uffd-wp, ENC, saved-dirty not modelled). */
    private static final long PAGE_CHG_MASK = PTE_PFN_MASK | PCD | PWT | SPECIAL | ACCESSED | DIRTY | DEVMAP;
    /** {@code _HPAGE_CHG_MASK}: the huge-entry variant also keeps PSE. */
    private static final long HPAGE_CHG_MASK = PAGE_CHG_MASK | PSE;
    /** Per level, the bits {@code pXd_present()} tests; bit 7 counts only for a PMD (see {@link #present}). */
    private static final long[] PRESENT_MASK = {
        PRESENT,                        // pgd_present
        PRESENT,                        // p4d_present
        PRESENT | PROTNONE,             // pud: hugetlb 1G leaves use the pte rules
        PRESENT | PROTNONE | PSE,       // pmd_present
        PRESENT | PROTNONE              // pte_present
    };
    /**
     * The one-bit helpers of arch/x86/include/asm/pgtable.h: {@code pte_write()},
     * {@code pte_mkwrite_novma()} and {@code pte_wrprotect()} over RW (no shadow stacks here);
     * {@code pte_dirty()}, {@code pte_mkdirty()}, {@code pte_mkclean()} over the hardware DIRTY
     * (soft-dirty not modelled); {@code pte_young()}, {@code pte_mkyoung()}, {@code pte_mkold()}
     * over ACCESSED; {@code pte_special()} / {@code pte_mkspecial()} over SPECIAL, a software bit
     * for mappings without refcounted struct pages (pfnmaps, the zero page), which GUP-fast must
     * skip; {@code pte_devmap()}, {@code pte_mkdevmap()} (SPECIAL too), {@code pmd_mkdevmap()},
     * {@code pud_mkdevmap()} over DEVMAP; {@code pte_swp_exclusive()} and friends over
     * SWP_EXCLUSIVE. The pmd_ and pud_ forms use the same bits.
     */
    public static final LeafBits LEAF_BITS = new LeafBits(RW, DIRTY, ACCESSED, SPECIAL, DEVMAP, SWP_EXCLUSIVE);

    /** The shared instance; the format has no state. (After {@link #LEAF_BITS}, which its constructor reads.) */
    public static final X86EntryFormat INSTANCE = new X86EntryFormat();

    /**
     * Mirrors arch/x86/mm/pgprot.c {@code protection_map}: no access is PAGE_NONE, shared
     * writable PAGE_SHARED, anything else PAGE_READONLY (PAGE_COPY for private writable: CoW on
     * the first write); VM_EXEC drops NX.
     */
    private static final long[] PROTECTION_MAP = protectionMap((read, write, exec, shared) -> {
        if (!read && !write && !exec) {
            return PAGE_NONE;
        }
        long prot = write && shared ? PAGE_SHARED : PAGE_READONLY;
        return exec ? prot & ~NX : prot;
    });

    /** Use {@link #INSTANCE}; public so tests and benchmarks may make their own. */
    public X86EntryFormat() {
        super(LEAF_BITS);
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pte_present()}, {@code pmd_present()},
     * {@code pud_present()}: a PTE counts as present if the MMU may use it or it is PROT_NONE, so
     * that NUMA-hinting and PROT_NONE entries keep their page. A PMD also counts while PSE alone is
     * set, because {@code pmdp_invalidate()} clears PRESENT of a huge PMD during a split and
     * {@code pmd_present()} must keep saying yes. PGD and P4D entries are tables and need PRESENT.
     */
    @Override
    public boolean present(Level level, long entry) {
        return (entry & PRESENT_MASK[ordinal(level)]) != 0;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pmd_leaf()} / {@code pud_leaf()}: at the two
     * levels where the CPU supports large pages, PSE says the entry maps memory directly. A PTE is
     * always a leaf; PGD and P4D entries never are (x86 has no 512G pages).
     */
    @Override
    public boolean leaf(Level level, long entry) {
        return leafByBit(ordinal(level), entry, PSE);
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pmd_page_vaddr()} and friends: the next
     * table's physical address is the entry's frame bits, flags stripped.
     */
    @Override
    public long tablePhys(Level level, long entry) {
        tableLevel(level);
        return entry & PTE_PFN_MASK;
    }

    /**
     * Mirrors arch/x86/include/asm/pgalloc.h {@code pmd_populate()} / {@code pud_populate()} /
     * {@code p4d_populate()} / {@code pgd_populate()}: the table's address with {@code _PAGE_TABLE}.
     * The table entry itself is user-accessible and writable; permissions are decided at the leaf.
     */
    @Override
    public long mkTable(Level level, long tablePhys) {
        tableLevel(level);
        Validate.isTrue((tablePhys & ~PTE_PFN_MASK) == 0,
                "tablePhys must be 4K-aligned and below 2^52, was 0x%x", tablePhys);
        return tablePhys | PAGE_TABLE;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pfn_pte()}, and {@code pfn_pmd()} /
     * {@code pfn_pud()} followed by {@code pmd_mkhuge()} / {@code pud_mkhuge()}: frame bits plus
     * the protection template, plus PSE for a 2M or 1G leaf, whose frame must be naturally
     * aligned because the CPU reads the low frame bits of a large page as PAT and reserved bits.
     */
    @Override
    public long mkLeaf(Level level, long pfn, long pgprot) {
        int l = ordinal(level);
        Validate.isTrue(l == Level.PTE.ordinal() || hugeLevel(l),
                "level must be PTE, PMD or PUD for an x86 leaf, was level ordinal %d", l);
        Validate.isTrue(pfn >= 0 && pfn < PFN_LIMIT, "pfn must be in [0, 2^40), was 0x%x", pfn);
        Validate.isTrue((pgprot & PTE_PFN_MASK) == 0, "pgprot must not have frame bits, was 0x%x", pgprot);
        long pse = 0;
        if (l != Level.PTE.ordinal()) {
            long align = l == Level.PMD.ordinal() ? 511 : (1L << 18) - 1;
            Validate.isTrue((pfn & align) == 0, "pfn must be aligned to the huge page, was 0x%x", pfn);
            pse = PSE;
        }
        return (pfn << PAGE_SHIFT) | pgprot | pse;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pte_pfn()} / {@code pmd_pfn()}: the frame
     * bits. Huge leaves are made aligned, so no PAT_LARGE bit sits in them.
     */
    @Override
    public long leafPfn(Level level, long entry) {
        ordinal(level);
        return (entry & PTE_PFN_MASK) >>> PAGE_SHIFT;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pte_protnone()} / {@code pmd_protnone()}: the
     * global bit read while PRESENT is clear. The MMU faults on such an entry; the kernel still
     * treats it as mapped.
     */
    @Override
    public boolean leafProtnone(Level level, long entry) {
        ordinal(level);
        return (entry & (PRESENT | PROTNONE)) == PROTNONE;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code __pte_access_permitted()} (without protection
     * keys): the MMU itself must allow a user access, so PRESENT and USER, and RW for a write. A
     * PROT_NONE entry has PRESENT clear and so fails, which keeps GUP-fast off NUMA-hinting entries.
     */
    @Override
    public boolean accessPermitted(Level level, long entry, boolean write) {
        ordinal(level);
        long need = write ? PRESENT | USER | RW : PRESENT | USER;
        return (entry & need) == need;
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code pte_modify()} / {@code pmd_modify()}: mprotect
     * must change permissions without losing what the entry records about the page, so the frame,
     * caching bits, accessed, dirty, special and devmap (and PSE of a huge leaf) stay; the rest,
     * including PRESENT versus PROTNONE, comes from {@code pgprot}.
     */
    @Override
    public long modify(Level level, long entry, long pgprot) {
        int l = ordinal(level);
        long keep = hugeLevel(l) ? HPAGE_CHG_MASK : PAGE_CHG_MASK;
        return (entry & keep) | (pgprot & ~keep);
    }

    /**
     * Mirrors arch/x86/mm/pgprot.c {@code vm_get_page_prot()} and its {@code protection_map}: the
     * hardware cannot express write-only or exec-only, so any access makes the page readable;
     * private writable mappings get the read-only {@code PAGE_COPY} so the first write faults and
     * copies; only shared writable mappings are RW; VM_EXEC drops NX. No access at all is
     * {@code PAGE_NONE}. Bits above VM_SHARED are ignored (caching modes and pkeys not modelled).
     */
    @Override
    public long vmGetPageProt(long vmFlags) {
        return PROTECTION_MAP[protectionIndex(vmFlags)];
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable_64.h {@code __swp_entry()}: the type in the top five
     * bits, the offset inverted (so that a stale swap PTE read as a frame points at memory that
     * does not exist, the L1TF mitigation) and stored from bit 9 up, bits 0 (PRESENT) and 8
     * (PROTNONE) clear so that {@code pte_present()} says no.
     */
    @Override
    public long mkSwpPte(int type, long offset) {
        checkSwpEntry(type, offset, 64 - SWP_OFFSET_SHIFT);
        return (~offset << SWP_OFFSET_SHIFT >>> SWP_TYPE_BITS) | ((long) type << (64 - SWP_TYPE_BITS));
    }

    /** Mirrors arch/x86/include/asm/pgtable_64.h {@code __swp_type()}: the top five bits. */
    @Override
    public int swpType(long pte) {
        return (int) (pte >>> (64 - SWP_TYPE_BITS));
    }

    /** Mirrors arch/x86/include/asm/pgtable_64.h {@code __swp_offset()}: shifted up past the type, then down, un-inverted. */
    @Override
    public long swpOffset(long pte) {
        return (~pte << SWP_TYPE_BITS) >>> SWP_OFFSET_SHIFT;
    }

    /**
     * A trace form: {@code table=0x...} plus flags for an upper-level table entry, or
     * {@code pfn=0x...} plus flags for a leaf, e.g. {@code pfn=0x1234 P RW U A D}. Bit 8 reads
     * {@code PROTNONE} while PRESENT is clear and {@code G} otherwise; bit 7 reads {@code PSE} in a
     * PMD or PUD and {@code PAT} in a PTE. Unknown bits are shown as {@code other=0x...}.
     */
    @Override
    protected String describeEntry(Level level, long entry) {
        int l = level.ordinal();
        StringBuilder sb = new StringBuilder(48);
        if (leaf(level, entry)) {
            sb.append("pfn=0x").append(Long.toHexString(leafPfn(level, entry)));
        } else {
            sb.append("table=0x").append(Long.toHexString(entry & PTE_PFN_MASK));
        }
        flag(sb, entry, PRESENT, "P");
        flag(sb, entry, RW, "RW");
        flag(sb, entry, USER, "U");
        flag(sb, entry, PWT, "PWT");
        flag(sb, entry, PCD, "PCD");
        flag(sb, entry, ACCESSED, "A");
        flag(sb, entry, DIRTY, "D");
        flag(sb, entry, PSE, hugeLevel(l) ? "PSE" : l == Level.PTE.ordinal() ? "PAT" : "PS");
        flag(sb, entry, GLOBAL, (entry & PRESENT) == 0 ? "PROTNONE" : "G");
        flag(sb, entry, SPECIAL, "SPECIAL");
        flag(sb, entry, DEVMAP, "DEVMAP");
        flag(sb, entry, NX, "NX");
        long known = PTE_PFN_MASK | PRESENT | RW | USER | PWT | PCD | ACCESSED | DIRTY | PSE | GLOBAL
                | SPECIAL | DEVMAP | NX;
        other(sb, entry, known);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "x86-64 entry format";
    }
}
