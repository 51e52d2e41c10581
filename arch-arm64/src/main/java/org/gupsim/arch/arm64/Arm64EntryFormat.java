package org.gupsim.arch.arm64;

import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.BitEntryFormat;
import org.gupsim.pgtable.Level;

/**
 * The arm64 VMSAv8-64 descriptor format with the kernel's software bits, as in
 * arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h and pgtable.h.
 *
 * <p>Bits 1:0 say what a descriptor is: {@code 0b11} a table (above the last level) or a page
 * (at the last level), {@code 0b01} a block (a huge leaf at the PMD or PUD level), bit 0 clear
 * invalid. Lower attributes: AttrIndx 4:2, AP[1] (user) 6, AP[2] (read-only) 7, SH 9:8, AF 10,
 * nG 11; upper: DBM 51, Contiguous 52, PXN 53, UXN 54; software 55..58 (dirty, special, devmap).
 * A table descriptor carries {@code PXNTable} (bit 59) for user tables.
 *
 * <p>Write permission is the kernel's {@code PTE_WRITE}, the same bit as DBM: with hardware dirty
 * tracking the MMU clears {@code PTE_RDONLY} of a DBM entry on the first write, so a writable
 * clean entry is DBM with RDONLY, and a writable dirty one DBM without RDONLY. The software dirty
 * bit keeps dirtiness across write-protection ({@code pte_wrprotect()} moves it there).
 *
 * <p>A PROT_NONE or invalidated-but-present entry has VALID clear and {@code PTE_PRESENT_INVALID}
 * (the nG bit, meaningful only while VALID is clear) set, as since commit "arm64/mm: Remove
 * PTE_PROT_NONE bit" (≈6.10; older kernels used software bit 58).
 *
 * <p>The output address depends on the granule and on LPA2: 4K/16K without LPA2 keep address
 * bits 47:PAGE_SHIFT in place; with LPA2 bits 49:PAGE_SHIFT in place and 51:50 in descriptor bits
 * 9:8 (the shareability field moves to TCR); 64K (52-bit PA) keeps 47:16 in place and puts 51:48
 * in descriptor bits 15:12.
 *
 * <p>{@code pte_none()} / {@code pmd_none()}: an empty descriptor is all zeroes,
 * {@link BitEntryFormat}'s rule.
 *
 * <p>The contiguous bit marks each entry of a hugetlb group ({@link #mkCont}); every other bit of
 * the format treats a contiguous entry like any other, as the kernel's {@code pte_*()} helpers do.
 *
 * <p>Not modelled: uffd-wp, swap entries, MTE tags, permission overlays, guarded pages and the
 * dynamic contiguous-PTE folding of ordinary large folios (ARM64_CONTPTE).
 */
public final class Arm64EntryFormat extends BitEntryFormat {
    /** {@code PTE_VALID}: the MMU may use the descriptor. */
    public static final long VALID = 1L;
    /** {@code PTE_TABLE_BIT}: a table above the last level, a page at it; clear in a block. */
    public static final long TABLE_BIT = 1L << 1;
    /** {@code PTE_TYPE_PAGE}: a last-level page descriptor. */
    public static final long TYPE_PAGE = VALID | TABLE_BIT;
    /** {@code PMD_TYPE_TABLE}: an upper-level table descriptor. */
    public static final long TYPE_TABLE = VALID | TABLE_BIT;
    /** {@code PMD_TYPE_SECT}: a block descriptor. */
    public static final long TYPE_SECT = VALID;
    /** {@code PMD_TYPE_MASK}. */
    public static final long TYPE_MASK = VALID | TABLE_BIT;
    /** {@code PTE_ATTRINDX_MASK}: the MAIR index; {@code MT_NORMAL} is 0. */
    public static final long ATTRINDX_MASK = 7L << 2;
    /** {@code PTE_USER}: AP[1], EL0 may access. */
    public static final long USER = 1L << 6;
    /** {@code PTE_RDONLY}: AP[2], no writes. */
    public static final long RDONLY = 1L << 7;
    /** {@code PTE_SHARED}: SH = inner shareable (without LPA2). */
    public static final long SHARED = 3L << 8;
    /** {@code PTE_AF}: the access flag (young). */
    public static final long AF = 1L << 10;
    /** {@code PTE_NG}: not global (every user mapping). */
    public static final long NG = 1L << 11;
    /** {@code PTE_PRESENT_INVALID}: the nG bit read while VALID is clear: present for the kernel, faulting for the MMU. */
    public static final long PRESENT_INVALID = NG;
    /** {@code PTE_DBM}: hardware dirty-bit management; the kernel's {@code PTE_WRITE}. */
    public static final long DBM = 1L << 51;
    /** {@code PTE_WRITE}. */
    public static final long WRITE = DBM;
    /** {@code PTE_CONT}: one of a group of contiguous entries the TLB may cache as one. */
    public static final long CONT = 1L << 52;
    /** {@code PTE_PXN}: not executable at EL1. */
    public static final long PXN = 1L << 53;
    /** {@code PTE_UXN}: not executable at EL0. */
    public static final long UXN = 1L << 54;
    /** {@code PTE_DIRTY}: software dirty. */
    public static final long DIRTY = 1L << 55;
    /** {@code PTE_SPECIAL}. */
    public static final long SPECIAL = 1L << 56;
    /** {@code PTE_DEVMAP} (until devmap's removal in ≈6.17). */
    public static final long DEVMAP = 1L << 57;
    /** {@code PMD_TABLE_PXN}: in a table descriptor, nothing below executes at EL1. */
    public static final long TABLE_PXN = 1L << 59;

    /** {@code PTE_SWP_EXCLUSIVE}: bit 2, meaningful only in a swap PTE. */
    public static final long SWP_EXCLUSIVE = 1L << 2;
    /**
     * {@code __SWP_TYPE_SHIFT}: 6. The layout read (5.19 to 6.9) kept the type in bits 3-7 and the
     * offset in bits 8-57; since PTE_PRESENT_INVALID moved to bit 11 (nG, as this format has it)
     * the type sits in bits 6-10 and the offset from bit 12, so that neither touches bit 11
     * (UNCONFIRMED: the 6.10 layout was not read; see docs/kernel/anon-exclusive.md).
     */
    private static final int SWP_TYPE_SHIFT = 6;
    /** {@code __SWP_OFFSET_SHIFT}: 12. */
    private static final int SWP_OFFSET_SHIFT = 12;
    /** {@code __SWP_OFFSET_BITS}: 50. */
    private static final int SWP_OFFSET_BITS = 50;
    private static final long SWP_OFFSET_LIMIT = 1L << SWP_OFFSET_BITS;

    /**
     * The one-bit helpers of arch/arm64/include/asm/pgtable.h: {@code pte_write()} over
     * {@code PTE_WRITE} (DBM); {@code pte_young()}, {@code pte_mkyoung()}, {@code pte_mkold()}
     * over AF; {@code pte_special()}, {@code pte_mkspecial()} / {@code pmd_mkspecial()} over
     * {@code PTE_SPECIAL}; {@code pte_devmap()}, {@code pte_mkdevmap()} (DEVMAP and SPECIAL),
     * {@code pmd_mkdevmap()} / {@code pud_mkdevmap()} (DEVMAP) over {@code PTE_DEVMAP};
     * {@code pte_swp_exclusive()} and friends over {@code PTE_SWP_EXCLUSIVE}. The dirty helpers and
     * the write setters move {@code PTE_RDONLY} as well (hardware dirty-bit management): this class
     * overrides them.
     */
    public static final LeafBits LEAF_BITS = new LeafBits(WRITE, DIRTY, AF, SPECIAL, DEVMAP, SWP_EXCLUSIVE);

    private static final Arm64EntryFormat[] INSTANCES = {
        new Arm64EntryFormat(12, false), new Arm64EntryFormat(12, true),
        new Arm64EntryFormat(14, false), new Arm64EntryFormat(14, true),
        new Arm64EntryFormat(16, false)
    };

    private final int pageShift;
    private final boolean lpa2;
    /** Output-address bits kept in place. */
    private final long addrLow;
    /** Descriptor bits holding the high output-address bits (0 if none). */
    private final long addrHighField;
    /** Where those bits go in the address. */
    private final int addrHighShift;
    /** Where they sit in the descriptor. */
    private final int addrHighFieldShift;
    /** One past the highest pfn the descriptor can hold. */
    private final long pfnLimit;
    /** The message for a pfn out of range, made once: faults build leaves for every page. */
    private final String pfnRangeMessage;
    /** {@code PTE_SHARED} for this format (0 with LPA2, where bits 9:8 are address bits). */
    private final long shared;
    private final long pageNone;
    private final long pageShared;
    private final long pageSharedExec;
    private final long pageReadonly;
    private final long pageReadonlyExec;
    private final long[] protectionMap;
    private final String name;

    private Arm64EntryFormat(int pageShift, boolean lpa2) {
        super(LEAF_BITS);
        this.pageShift = pageShift;
        this.lpa2 = lpa2;
        if (pageShift == 16) {
            addrLow = ((1L << 48) - 1) & -(1L << 16);
            addrHighField = 0xfL << 12;
            addrHighShift = 48;
            addrHighFieldShift = 12;
        } else if (lpa2) {
            addrLow = ((1L << 50) - 1) & -(1L << pageShift);
            addrHighField = 3L << 8;
            addrHighShift = 50;
            addrHighFieldShift = 8;
        } else {
            addrLow = ((1L << 48) - 1) & -(1L << pageShift);
            addrHighField = 0;
            addrHighShift = 0;
            addrHighFieldShift = 0;
        }
        pfnLimit = 1L << ((addrHighField == 0 ? 48 : 52) - pageShift);
        pfnRangeMessage = "pfn must be in [0, 0x" + Long.toHexString(pfnLimit) + "), was 0x%x";
        shared = lpa2 ? 0 : SHARED;
        long pageDefault = TYPE_PAGE | AF | shared; // _PAGE_DEFAULT with ATTRINDX(MT_NORMAL) = 0
        pageNone = (pageDefault & ~VALID) | PRESENT_INVALID | RDONLY | NG | PXN | UXN;
        pageShared = pageDefault | USER | RDONLY | NG | PXN | UXN | WRITE;
        pageSharedExec = pageDefault | USER | RDONLY | NG | PXN | WRITE;
        pageReadonly = pageDefault | USER | RDONLY | NG | PXN | UXN;
        pageReadonlyExec = pageDefault | USER | RDONLY | NG | PXN;
        protectionMap = buildProtectionMap();
        name = "arm64 entry format (" + (1 << (pageShift - 10)) + "K granule" + (lpa2 ? ", LPA2" : "") + ")";
    }

    /**
     * The format for a granule.
     *
     * @param pageShift 12, 14 or 16
     * @param lpa2      FEAT_LPA2 output addresses (4K and 16K only)
     */
    public static Arm64EntryFormat of(int pageShift, boolean lpa2) {
        Validate.isTrue(pageShift == 12 || pageShift == 14 || pageShift == 16,
                "pageShift must be 12, 14 or 16, was %d", pageShift);
        Validate.isTrue(!(lpa2 && pageShift == 16), "lpa2 applies to 4K and 16K granules only");
        return INSTANCES[pageShift == 16 ? 4 : (pageShift - 12) + (lpa2 ? 1 : 0)];
    }

    public int pageShift() {
        return pageShift;
    }

    public boolean lpa2() {
        return lpa2;
    }

    /** {@code PTE_SHARED} in this format. */
    public long sharedBits() {
        return shared;
    }

    /** {@code PAGE_NONE}. */
    public long pageNone() {
        return pageNone;
    }

    /** {@code PAGE_SHARED}: writable (clean) shared. */
    public long pageShared() {
        return pageShared;
    }

    /** {@code PAGE_READONLY}, also private writable mappings (CoW on the first write). */
    public long pageReadonly() {
        return pageReadonly;
    }

    /** Mirrors arch/arm64/mm/mmap.c {@code protection_map} (without Enhanced PAN's execute-only). */
    private long[] buildProtectionMap() {
        return protectionMap((read, write, exec, sharedMap) -> {
            if (exec) {
                return sharedMap && write ? pageSharedExec : pageReadonlyExec;
            }
            if (!read && !write) {
                return pageNone;
            }
            return sharedMap && write ? pageShared : pageReadonly;
        });
    }

    /** Mirrors {@code __phys_to_pte_val()}: the output address laid out in descriptor bits. */
    private long physToEntry(long phys) {
        long e = phys & addrLow;
        if (addrHighField != 0) {
            e |= ((phys >>> addrHighShift) << addrHighFieldShift) & addrHighField;
        }
        return e;
    }

    /** Mirrors {@code __pte_to_phys()}. */
    private long entryToPhys(long entry) {
        long phys = entry & addrLow;
        if (addrHighField != 0) {
            phys |= ((entry & addrHighField) >>> addrHighFieldShift) << addrHighShift;
        }
        return phys;
    }

    /** Mirrors {@code pte_present_invalid()}: VALID clear, PRESENT_INVALID set. */
    private static boolean presentInvalid(long entry) {
        return (entry & (VALID | PRESENT_INVALID)) == PRESENT_INVALID;
    }

    /**
     * Mirrors {@code pte_present()} / {@code pmd_present()} / {@code pud_present()}: valid, or
     * present-invalid (PROT_NONE, or a huge PMD {@code pmdp_invalidate()} cleared during a split).
     * Mirrors {@code p4d_present()} / {@code pgd_present()}: any non-zero table descriptor.
     */
    @Override
    public boolean present(Level level, long entry) {
        int l = ordinal(level);
        if (l < Level.PUD.ordinal()) {
            return entry != 0;
        }
        return (entry & VALID) != 0 || presentInvalid(entry);
    }

    /**
     * Mirrors {@code pmd_leaf()} / {@code pud_leaf()}: present and not a table descriptor, so a
     * block (or a present-invalid block). A PTE always is one; PGD and P4D entries never are.
     */
    @Override
    public boolean leaf(Level level, long entry) {
        int l = ordinal(level);
        if (l == Level.PTE.ordinal()) {
            return true;
        }
        return hugeLevel(l) && present(level, entry) && (entry & TYPE_MASK) != TYPE_TABLE;
    }

    /** Mirrors {@code pmd_page_paddr()} and friends: the output address of a table descriptor. */
    @Override
    public long tablePhys(Level level, long entry) {
        tableLevel(level);
        return entryToPhys(entry);
    }

    /**
     * Mirrors arch/arm64/include/asm/pgalloc.h {@code pmd_populate()} / {@code __pud_populate()}
     * / {@code __p4d_populate()} / {@code __pgd_populate()}: the table's address, table type, and
     * PXNTable for a user table.
     */
    @Override
    public long mkTable(Level level, long tablePhys) {
        tableLevel(level);
        Validate.isTrue(tablePhys >= 0 && entryToPhys(physToEntry(tablePhys)) == tablePhys,
                "tablePhys must be page-aligned and below the output-address limit, was 0x%x", tablePhys);
        return physToEntry(tablePhys) | TYPE_TABLE | TABLE_PXN;
    }

    /**
     * Mirrors {@code pfn_pte()}, and {@code pfn_pmd()} / {@code pfn_pud()} followed by
     * {@code pmd_mkhuge()} / {@code pud_mkhuge()}, which clear the table bit to make a block. A
     * block's output address must be aligned to its size. PUD blocks exist with a 4K granule only.
     */
    @Override
    public long mkLeaf(Level level, long pfn, long pgprot) {
        int l = ordinal(level);
        Validate.isTrue(l == Level.PTE.ordinal() || l == Level.PMD.ordinal()
                        || (l == Level.PUD.ordinal() && pageShift == 12),
                "level must be PTE, PMD or (4K granule) PUD for an arm64 leaf, was level ordinal %d", l);
        Validate.isTrue(pfn >= 0 && pfn < pfnLimit, pfnRangeMessage, pfn);
        Validate.isTrue((pgprot & (addrLow | addrHighField)) == 0,
                "pgprot must not have output-address bits, was 0x%x", pgprot);
        long e = physToEntry(pfn << pageShift) | pgprot;
        if (l != Level.PTE.ordinal()) {
            int bpl = pageShift - 3;
            long align = (1L << (l == Level.PMD.ordinal() ? bpl : 2 * bpl)) - 1;
            Validate.isTrue((pfn & align) == 0, "pfn must be aligned to the block, was 0x%x", pfn);
            e &= ~TABLE_BIT;
        }
        return e;
    }

    /** Mirrors {@code pte_pfn()} / {@code pmd_pfn()}. */
    @Override
    public long leafPfn(Level level, long entry) {
        ordinal(level);
        return entryToPhys(entry) >>> pageShift;
    }

    /** Mirrors {@code pte_dirty()}: software dirty, or hardware dirty (writable and not read-only). */
    @Override
    public boolean leafDirty(Level level, long entry) {
        ordinal(level);
        return (entry & DIRTY) != 0 || hwDirty(entry);
    }

    /** Mirrors {@code pte_hw_dirty()}. */
    private static boolean hwDirty(long entry) {
        return (entry & WRITE) != 0 && (entry & RDONLY) == 0;
    }

    /**
     * Mirrors {@code pte_protnone()}: present-invalid, and neither user-accessible nor
     * user-executable, which tells PROT_NONE apart from a block invalidated for a split.
     */
    @Override
    public boolean leafProtnone(Level level, long entry) {
        ordinal(level);
        return presentInvalid(entry) && (entry & USER) == 0 && (entry & UXN) != 0;
    }

    /**
     * Mirrors {@code pte_access_permitted()} (without permission overlays): valid and user, and
     * {@code pte_write()} for a write. Execute-only and PROT_NONE entries fail.
     */
    @Override
    public boolean accessPermitted(Level level, long entry, boolean write) {
        ordinal(level);
        if ((entry & (VALID | USER)) != (VALID | USER)) {
            return false;
        }
        return !write || (entry & WRITE) != 0;
    }

    /** Mirrors {@code pte_mkwrite_novma()}: sets PTE_WRITE; a software-dirty entry becomes hardware-dirty. */
    @Override
    public long mkWrite(Level level, long entry) {
        ordinal(level);
        long e = entry | WRITE;
        return (e & DIRTY) != 0 ? e & ~RDONLY : e;
    }

    /** Mirrors {@code pte_wrprotect()}: hardware dirtiness moves to the software bit; clears WRITE, sets RDONLY. */
    @Override
    public long wrprotect(Level level, long entry) {
        ordinal(level);
        long e = hwDirty(entry) ? entry | DIRTY : entry;
        return (e & ~WRITE) | RDONLY;
    }

    /** Mirrors {@code pte_mkdirty()}: sets the software bit, and clears RDONLY if writable. */
    @Override
    public long mkDirty(Level level, long entry) {
        ordinal(level);
        long e = entry | DIRTY;
        return (e & WRITE) != 0 ? e & ~RDONLY : e;
    }

    /** Mirrors {@code pte_mkclean()}: clears the software bit and sets RDONLY. */
    @Override
    public long mkClean(Level level, long entry) {
        ordinal(level);
        return (entry & ~DIRTY) | RDONLY;
    }

    /**
     * Mirrors {@code pte_mkcont()} / {@code pmd_mkcont()}: marks a page or block descriptor as one
     * of a naturally aligned group (16/128/32 PTEs or 16/32/32 PMDs per granule) that maps
     * physically contiguous memory with identical attributes, which the TLB may cache as one.
     */
    public long mkCont(Level level, long entry) {
        int l = ordinal(level);
        Validate.isTrue(l == Level.PTE.ordinal() || l == Level.PMD.ordinal(),
                "level must be PTE or PMD for a contiguous entry, was level ordinal %d", l);
        return entry | CONT;
    }

    /** Mirrors {@code pte_cont()} / {@code pmd_cont()}. */
    public boolean leafCont(Level level, long entry) {
        ordinal(level);
        return (entry & CONT) != 0;
    }

    /**
     * Mirrors {@code pte_modify()} / {@code pmd_modify()}: the permission, validity and memory-type
     * bits come from {@code pgprot}; the rest (address, AF, SH, the block type, software bits)
     * stays. Hardware dirtiness is saved in the software bit first, and a software-dirty writable
     * result is made hardware-dirty again.
     */
    @Override
    public long modify(Level level, long entry, long pgprot) {
        ordinal(level);
        long mask = USER | PXN | UXN | RDONLY | PRESENT_INVALID | VALID | WRITE | ATTRINDX_MASK;
        long e = hwDirty(entry) ? entry | DIRTY : entry;
        e = (e & ~mask) | (pgprot & mask);
        return (e & DIRTY) != 0 ? mkDirty(level, e) : e;
    }

    /** Mirrors arch/arm64/mm/mmap.c {@code vm_get_page_prot()}: {@code protection_map}; bits above VM_SHARED ignored. */
    @Override
    public long vmGetPageProt(long vmFlags) {
        return protectionMap[protectionIndex(vmFlags)];
    }

    /**
     * Mirrors arch/arm64/include/asm/pgtable.h {@code __swp_entry()}: bits 0-1 clear (not valid,
     * no table bit), bit 11 clear (not PTE_PRESENT_INVALID), the type above bit 6, the offset from
     * bit 12.
     */
    @Override
    public long mkSwpPte(int type, long offset) {
        checkSwpEntry(type, offset, SWP_OFFSET_BITS);
        return ((long) type << SWP_TYPE_SHIFT) | (offset << SWP_OFFSET_SHIFT);
    }

    /** Mirrors arch/arm64/include/asm/pgtable.h {@code __swp_type()}. */
    @Override
    public int swpType(long pte) {
        return (int) ((pte >>> SWP_TYPE_SHIFT) & 31);
    }

    /** Mirrors arch/arm64/include/asm/pgtable.h {@code __swp_offset()}. */
    @Override
    public long swpOffset(long pte) {
        return (pte >>> SWP_OFFSET_SHIFT) & (SWP_OFFSET_LIMIT - 1);
    }

    /**
     * A trace form: {@code table=0x...} or {@code pfn=0x...} plus flags, e.g.
     * {@code pfn=0x1234 V PAGE U RDONLY AF nG DBM PXN UXN}. Bit 11 reads {@code PRESENT_INVALID}
     * while VALID is clear; unknown bits are shown as {@code other=0x...}.
     */
    @Override
    protected String describeEntry(Level level, long entry) {
        int l = level.ordinal();
        StringBuilder sb = new StringBuilder(64);
        boolean isLeaf = leaf(level, entry);
        if (isLeaf) {
            sb.append("pfn=0x").append(Long.toHexString(leafPfn(level, entry)));
        } else {
            sb.append("table=0x").append(Long.toHexString(entryToPhys(entry)));
        }
        flag(sb, entry, VALID, "V");
        if ((entry & TABLE_BIT) != 0) {
            sb.append(l == Level.PTE.ordinal() ? " PAGE" : " TABLE");
        } else if (isLeaf && l != Level.PTE.ordinal()) {
            sb.append(" BLOCK");
        }
        if ((entry & ATTRINDX_MASK) != 0) {
            sb.append(" ATTR").append((entry & ATTRINDX_MASK) >>> 2);
        }
        flag(sb, entry, USER, "U");
        flag(sb, entry, RDONLY, "RDONLY");
        if (shared != 0) {
            flag(sb, entry, SHARED, "SH");
        }
        flag(sb, entry, AF, "AF");
        flag(sb, entry, NG, (entry & VALID) == 0 ? "PRESENT_INVALID" : "nG");
        flag(sb, entry, DBM, "DBM");
        flag(sb, entry, CONT, "CONT");
        flag(sb, entry, PXN, "PXN");
        flag(sb, entry, UXN, "UXN");
        flag(sb, entry, DIRTY, "DIRTY");
        flag(sb, entry, SPECIAL, "SPECIAL");
        flag(sb, entry, DEVMAP, "DEVMAP");
        flag(sb, entry, TABLE_PXN, "PXNTable");
        long known = addrLow | addrHighField | VALID | TABLE_BIT | ATTRINDX_MASK | USER | RDONLY | shared | AF | NG
                | DBM | CONT | PXN | UXN | DIRTY | SPECIAL | DEVMAP | TABLE_PXN;
        other(sb, entry, known);
        return sb.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
