package org.gupsim.arch.powerpc;

import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.BitEntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * The book3s64 Linux page-table entry format, shared by the radix and hash MMUs, with the bits of
 * arch/powerpc/include/asm/book3s/64/pgtable.h and the helpers there, in radix.h and hash.h.
 *
 * <p>Permission bits sit at the bottom (EXEC, WRITE, READ, PRIVILEGED), then the cache-control
 * bits, DIRTY (C) and ACCESSED (R), the software bits SW3 (soft-dirty), SW2 (special), SW1
 * (devmap), then the real page number up to bit 52. {@code _PAGE_PTE} (bit 62) marks a leaf at any
 * level, {@code _PAGE_PRESENT} (bit 63) a valid entry; {@code _PAGE_INVALID} (SW0, bit 61) keeps
 * an entry "present" for the kernel while PRESENT is cleared during a THP split or an access-flag
 * update. A PROT_NONE (or NUMA-hinting) leaf is PRESENT with PRIVILEGED and no R/W/X.
 *
 * <p>Table entries hold the next table's physical address with PRESENT; radix also puts the next
 * level's index size into the low bits (NLS, {@code RADIX_PMD_VAL_BITS} and friends), because
 * the radix MMU walks these very tables. Hash sets PRESENT alone ({@code HASH_PMD_VAL_BITS}).
 *
 * <p>Not modelled: protection keys, SAO and cache-inhibited mappings, swap entries, and the hash
 * MMU's HPTE bookkeeping bits ({@code H_PAGE_HASHPTE}, {@code H_PAGE_BUSY}, {@code H_PAGE_COMBO},
 * {@code H_PAGE_THP_HUGE}), which only the hash fault handler sets; the masks that preserve them
 * are kept. The query methods allocate nothing; one instance serves every variant of a base.
 */
public final class PpcEntryFormat extends BitEntryFormat {
    /** {@code _PAGE_EXEC}. */
    public static final long EXEC = 0x1L;
    /** {@code _PAGE_WRITE}. */
    public static final long WRITE = 0x2L;
    /** {@code _PAGE_READ}. */
    public static final long READ = 0x4L;
    /** {@code _PAGE_RW}: write implies read. */
    public static final long RW = READ | WRITE;
    /** {@code _PAGE_RWX}. */
    public static final long RWX = READ | WRITE | EXEC;
    /** {@code _PAGE_PRIVILEGED}: kernel access only; with no RWX it marks PROT_NONE. */
    public static final long PRIVILEGED = 0x8L;
    /** {@code _PAGE_SAO}: strong access order. */
    public static final long SAO = 0x10L;
    /** {@code _PAGE_NON_IDEMPOTENT}. */
    public static final long NON_IDEMPOTENT = 0x20L;
    /** {@code _PAGE_TOLERANT}: cache inhibited. */
    public static final long TOLERANT = 0x30L;
    /** {@code _PAGE_DIRTY}: the C (changed) bit. */
    public static final long DIRTY = 0x80L;
    /** {@code _PAGE_ACCESSED}: the R (referenced) bit. */
    public static final long ACCESSED = 0x100L;
    /** {@code _PAGE_SOFT_DIRTY} ({@code _RPAGE_SW3}). */
    public static final long SOFT_DIRTY = 0x200L;
    /** {@code _PAGE_SPECIAL} ({@code _RPAGE_SW2}). */
    public static final long SPECIAL = 0x400L;
    /** {@code _PAGE_DEVMAP} ({@code _RPAGE_SW1}). */
    public static final long DEVMAP = 0x800L;
    /** {@code H_PAGE_COMBO} ({@code _RPAGE_RPN0}), hash 64K: a 64K page made of 4K hardware pages. */
    public static final long H_PAGE_COMBO = 0x1000L;
    /** {@code H_PAGE_4K_PFN} = {@code H_PAGE_THP_HUGE} ({@code _RPAGE_RPN1}), hash 64K. */
    public static final long H_PAGE_THP_HUGE = 0x2000L;
    /** {@code H_PAGE_HASHPTE} ({@code _RPAGE_RPN43}): the PTE has an HPTE in the hash table. */
    public static final long H_PAGE_HASHPTE = 0x0080000000000000L;
    /** {@code H_PAGE_BUSY} ({@code _RPAGE_RPN44}): PTE and hash entry being updated. */
    public static final long H_PAGE_BUSY = 0x0100000000000000L;
    /** {@code _PAGE_HPTEFLAGS}: what hash keeps across updates and ignores in {@code pte_none()}. */
    public static final long HPTEFLAGS = H_PAGE_BUSY | H_PAGE_HASHPTE | H_PAGE_COMBO;
    /** {@code _PAGE_INVALID} ({@code _RPAGE_SW0}): present for the kernel while PRESENT is clear. */
    public static final long INVALID = 0x2000000000000000L;
    /** {@code _PAGE_PTE}: a leaf (PTE or huge PMD/PUD), not a pointer to a table. */
    public static final long PTE = 0x4000000000000000L;
    /** {@code _PAGE_PRESENT}: the entry holds a translation. */
    public static final long PRESENT = 0x8000000000000000L;
    /** {@code PMD_MASKED_BITS} / {@code PUD_MASKED_BITS} / {@code P4D_MASKED_BITS}: what a table pointer is not. */
    public static final long TABLE_MASKED_BITS = 0xc0000000000000ffL;
    /** {@code _PAGE_PA_MAX}: the kernel uses physical addresses below 2^53. */
    public static final int PAGE_PA_MAX = 53;
    /**
     * {@code _PAGE_SWP_EXCLUSIVE}: bit 5 ({@code _PAGE_NON_IDEMPOTENT}), free in a swap PTE, whose
     * type takes bits 0-4 (UNCONFIRMED: book3s64's define was not read; see
     * docs/kernel/anon-exclusive.md).
     */
    public static final long SWP_EXCLUSIVE = NON_IDEMPOTENT;

    /** {@code _PAGE_BASE}. */
    public static final long PAGE_BASE = PRESENT | ACCESSED;
    /** {@code PAGE_NONE}: present, privileged, no access; {@code pte_protnone()} is true. */
    public static final long PAGE_NONE = PAGE_BASE | PRIVILEGED;
    /** {@code PAGE_EXECONLY_X}. */
    public static final long PAGE_EXECONLY_X = PAGE_BASE | EXEC;
    /** {@code PAGE_READONLY} (= {@code PAGE_COPY}). */
    public static final long PAGE_READONLY = PAGE_BASE | READ;
    /** {@code PAGE_COPY}: private writable mappings start read-only so that writes CoW. */
    public static final long PAGE_COPY = PAGE_READONLY;
    /** {@code PAGE_SHARED}. */
    public static final long PAGE_SHARED = PAGE_BASE | RW;

    /**
     * The one-bit helpers of arch/powerpc/include/asm/book3s/64/pgtable.h: {@code pte_write()}
     * over {@code _PAGE_WRITE} (saved-write of PROT_NONE entries is gone since 6.3) and
     * {@code pte_wrprotect()} clearing it; {@code pte_dirty()} over the C bit, set by the radix
     * MMU or the hash fault path, and {@code pte_mkclean()} clearing it (soft-dirty stays);
     * {@code pte_young()}, {@code pte_mkyoung()}, {@code pte_mkold()} over the R bit;
     * {@code pte_special()}, {@code pte_mkspecial()} over SW2; {@code pte_devmap()} over SW1;
     * {@code pte_swp_exclusive()} and friends over {@code _PAGE_SWP_EXCLUSIVE}. This class
     * overrides {@code pte_mkwrite_novma()} (write implies read), {@code pte_mkdirty()} (C and
     * soft-dirty), {@code pte_devmap()} and the huge {@code pmd_mkdevmap()}, which involve
     * {@code _PAGE_PTE}.
     */
    public static final LeafBits LEAF_BITS = new LeafBits(WRITE, DIRTY, ACCESSED, SPECIAL, DEVMAP, SWP_EXCLUSIVE);

    /** {@code RADIX_PTE_NONE_MASK}: an empty radix PTE may still get an R or C writeback. */
    private static final long RADIX_PTE_NONE_MASK = DIRTY | ACCESSED;
    /** {@code protection_map} of arch/powerpc/mm/pgtable.c, indexed by VM_READ|VM_WRITE|VM_EXEC|VM_SHARED. */
    private static final long[] PROTECTION_MAP = buildProtectionMap();

    private final boolean radix;
    private final int pageShift;
    private final long rpnMask;
    private final long pfnLimit;
    /** The message for a pfn out of range, made once: faults build leaves for every page. */
    private final String pfnRangeMessage;
    /** Per level, the bits {@code pXd_populate()} ORs beside the table address (NLS on radix). */
    private final long[] tableValBits = new long[5];
    /** Per level, log2 of base pages in a leaf there (PMD and PUD). */
    private final int[] leafOrder = new int[5];

    /**
     * @param radix    radix MMU ({@code radix_enabled()}), else hash
     * @param geometry the index sizes, for the NLS field and leaf alignment
     */
    public PpcEntryFormat(boolean radix, Geometry geometry) {
        super(LEAF_BITS);
        Validate.isTrue(geometry != null, "geometry must not be null");
        this.radix = radix;
        this.pageShift = geometry.pageShift();
        this.rpnMask = ((1L << PAGE_PA_MAX) - 1) & -(1L << pageShift);
        this.pfnLimit = 1L << (PAGE_PA_MAX - pageShift);
        this.pfnRangeMessage = "pfn must be in [0, 2^" + (PAGE_PA_MAX - pageShift) + "), was 0x%x";
        for (int l = 0; l < 4; l++) {
            Level below = Level.of(l + 1);
            tableValBits[l] = PRESENT | (radix ? geometry.bits(below) : 0);
        }
        leafOrder[Level.PMD.ordinal()] = geometry.shift(Level.PMD) - pageShift;
        leafOrder[Level.PUD.ordinal()] = geometry.shift(Level.PUD) - pageShift;
    }

    private static long[] buildProtectionMap() {
        return protectionMap((read, write, exec, shared) -> {
            if (!read && !write) {
                return exec ? PAGE_EXECONLY_X : PAGE_NONE;
            }
            long prot = write && shared ? PAGE_SHARED : PAGE_READONLY; // PAGE_COPY(_X) for private writable
            return exec ? prot | EXEC : prot;
        });
    }

    /** Whether this is the radix flavour. */
    public boolean radix() {
        return radix;
    }

    /** {@code PTE_RPN_MASK}: bits PAGE_SHIFT..52. */
    public long rpnMask() {
        return rpnMask;
    }

    /**
     * Mirrors {@code pte_none()} ({@code radix__pte_none()}: R and C writebacks do not count;
     * {@code hash__pte_none()}: the HPTE flags do not) and {@code pmd_none()} / {@code pud_none()}
     * / {@code p4d_none()}: all zero.
     */
    @Override
    public boolean none(Level level, long entry) {
        if (ordinal(level) == Level.PTE.ordinal()) {
            return (entry & ~(radix ? RADIX_PTE_NONE_MASK : HPTEFLAGS)) == 0;
        }
        return entry == 0;
    }

    /**
     * Mirrors {@code pte_present()}: a hardware-valid leaf (PRESENT and PTE), or one marked
     * INVALID while an update has PRESENT cleared; {@code pmd_present()}: PRESENT or INVALID (a
     * THP being split); {@code pud_present()} / {@code p4d_present()}: PRESENT.
     */
    @Override
    public boolean present(Level level, long entry) {
        int l = ordinal(level);
        if (l == Level.PTE.ordinal()) {
            return (entry & (PRESENT | PTE)) == (PRESENT | PTE) || (entry & (INVALID | PTE)) == (INVALID | PTE);
        }
        if (l == Level.PMD.ordinal()) {
            return (entry & (PRESENT | INVALID)) != 0;
        }
        return (entry & PRESENT) != 0;
    }

    /**
     * Mirrors {@code pmd_leaf()} / {@code pud_leaf()}: {@code _PAGE_PTE} marks a huge leaf. A PTE
     * is always a leaf; the model has no leaves above the PUD.
     */
    @Override
    public boolean leaf(Level level, long entry) {
        return leafByBit(ordinal(level), entry, PTE);
    }

    /** Mirrors {@code pmd_page_vaddr()} / {@code pud_pgtable()}: the entry less {@code PMD_MASKED_BITS}. */
    @Override
    public long tablePhys(Level level, long entry) {
        tableLevel(level);
        return entry & ~TABLE_MASKED_BITS;
    }

    /**
     * Mirrors {@code pmd_populate()} / {@code pud_populate()} / {@code p4d_populate()}: the table's
     * physical address with {@code PMD_VAL_BITS} and friends, which on radix carry the next
     * level's index size for the hardware walker.
     */
    @Override
    public long mkTable(Level level, long tablePhys) {
        int l = tableLevel(level);
        Validate.isTrue(tablePhys >= 0 && (tablePhys & TABLE_MASKED_BITS) == 0,
                "tablePhys must be 256-byte aligned and below 2^62, was 0x%x", tablePhys);
        return tablePhys | tableValBits[l];
    }

    /**
     * Mirrors {@code pfn_pte()} (which adds {@code _PAGE_PTE}) and {@code pfn_pmd()} /
     * {@code pfn_pud()} with {@code pmd_mkhuge()}: the frame, the protection, {@code _PAGE_PTE}.
     * A huge leaf's frame must be aligned to its size.
     */
    @Override
    public long mkLeaf(Level level, long pfn, long pgprot) {
        int l = ordinal(level);
        Validate.isTrue(l == Level.PTE.ordinal() || hugeLevel(l),
                "level must be PTE, PMD or PUD for a book3s64 leaf, was level ordinal %d", l);
        Validate.isTrue(pfn >= 0 && pfn < pfnLimit, pfnRangeMessage, pfn);
        Validate.isTrue((pgprot & rpnMask) == 0, "pgprot must not have frame bits, was 0x%x", pgprot);
        if (l != Level.PTE.ordinal()) {
            Validate.isTrue((pfn & ((1L << leafOrder[l]) - 1)) == 0,
                    "pfn must be aligned to the huge page, was 0x%x", pfn);
        }
        return (pfn << pageShift) | pgprot | PTE;
    }

    /** Mirrors {@code pte_pfn()}: {@code (pte & PTE_RPN_MASK) >> PAGE_SHIFT}. */
    @Override
    public long leafPfn(Level level, long entry) {
        ordinal(level);
        return (entry & rpnMask) >>> pageShift;
    }

    /**
     * Mirrors {@code pte_devmap()}: SW1 together with {@code _PAGE_PTE}, because in a table entry
     * that bit is not reserved for software.
     */
    @Override
    public boolean leafDevmap(Level level, long entry) {
        ordinal(level);
        return (entry & (DEVMAP | PTE)) == (DEVMAP | PTE);
    }

    /**
     * Mirrors {@code pte_protnone()} / {@code pmd_protnone()}: a present leaf with none of
     * READ, WRITE, EXEC (PAGE_NONE sets PRIVILEGED so the MMU refuses the user).
     */
    @Override
    public boolean leafProtnone(Level level, long entry) {
        ordinal(level);
        return (entry & (PRESENT | PTE | RWX)) == (PRESENT | PTE);
    }

    /**
     * Mirrors {@code pte_access_permitted()}: present, not privileged, READ (cleared for
     * PROT_NONE and exec-only), WRITE for a write. {@code pmd_access_permitted()} first refuses
     * a PMD that is being serialised against lockless walkers (INVALID without PRESENT, set by
     * {@code pmdp_invalidate()} during a THP split).
     */
    @Override
    public boolean accessPermitted(Level level, long entry, boolean write) {
        int l = ordinal(level);
        if ((entry & (PRIVILEGED | READ)) != READ || (write && (entry & WRITE) == 0) || (entry & PTE) == 0) {
            return false; // privileged, unreadable (PROT_NONE, exec-only), read-only, or not a leaf
        }
        if ((entry & PRESENT) != 0) {
            return true;
        }
        // pte_present() also accepts INVALID, but pmd_is_serializing() refuses it at the PMD.
        return (entry & INVALID) != 0 && l != Level.PMD.ordinal();
    }

    /** Mirrors {@code pte_mkwrite_novma()}: write implies read, so both are set. */
    @Override
    public long mkWrite(Level level, long entry) {
        ordinal(level);
        return entry | RW;
    }

    /** Mirrors {@code pte_mkdirty()}: C and soft-dirty. */
    @Override
    public long mkDirty(Level level, long entry) {
        ordinal(level);
        return entry | DIRTY | SOFT_DIRTY;
    }

    /**
     * Mirrors {@code pte_mkdevmap()} (SPECIAL and DEVMAP) and {@code pmd_mkdevmap()} /
     * {@code pud_mkdevmap()} (PTE and DEVMAP).
     */
    @Override
    public long mkDevmap(Level level, long entry) {
        return ordinal(level) == Level.PTE.ordinal() ? super.mkDevmap(level, entry) : entry | PTE | DEVMAP;
    }

    /**
     * Mirrors {@code pte_modify()} (keeps {@code _PAGE_CHG_MASK}: frame, HPTE flags, dirty,
     * accessed, special, PTE, soft-dirty, devmap) and {@code pmd_modify()} / {@code pud_modify()}
     * (keep {@code _HPAGE_CHG_MASK}, which has THP_HUGE instead of SPECIAL); the rest, PRESENT
     * and the permissions included, comes from {@code pgprot}.
     */
    @Override
    public long modify(Level level, long entry, long pgprot) {
        int l = ordinal(level);
        long common = rpnMask | HPTEFLAGS | DIRTY | ACCESSED | PTE | SOFT_DIRTY | DEVMAP;
        long keep = hugeLevel(l) ? common | H_PAGE_THP_HUGE : common | SPECIAL;
        return (entry & keep) | (pgprot & ~keep);
    }

    /**
     * Mirrors arch/powerpc/mm/book3s64/pgtable.c {@code vm_get_page_prot()} over
     * arch/powerpc/mm/pgtable.c {@code protection_map}: write implies read; private writable
     * mappings get the read-only PAGE_COPY; VM_EXEC adds EXEC; no access at all is PAGE_NONE.
     * Exec-only is PAGE_EXECONLY_X on radix, but hash cannot express it, so there VM_READ is
     * added first (6.7+). Bits above VM_SHARED (VM_SAO, pkeys) are ignored.
     */
    @Override
    public long vmGetPageProt(long vmFlags) {
        long f = vmFlags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED);
        if (!radix && (f & (VM_READ | VM_WRITE | VM_EXEC)) == VM_EXEC) {
            f |= VM_READ;
        }
        return PROTECTION_MAP[protectionIndex(f)];
    }

    /**
     * Mirrors arch/powerpc/include/asm/book3s/64/pgtable.h {@code __swp_entry()} and
     * {@code __swp_entry_to_pte()}: the type in bits 0-4 ({@code _PAGE_BIT_SWAP_TYPE} 0), the
     * offset where a frame number would be, and {@code _PAGE_PTE}, with PRESENT and INVALID clear
     * so that {@code pte_present()} says no (UNCONFIRMED, from the layout as remembered; see
     * docs/kernel/anon-exclusive.md).
     */
    @Override
    public long mkSwpPte(int type, long offset) {
        checkSwpEntry(type, offset, PAGE_PA_MAX - pageShift);
        return type | ((offset << pageShift) & rpnMask) | PTE;
    }

    /** Mirrors arch/powerpc/include/asm/book3s/64/pgtable.h {@code __swp_type()}. */
    @Override
    public int swpType(long pte) {
        return (int) (pte & 31);
    }

    /** Mirrors arch/powerpc/include/asm/book3s/64/pgtable.h {@code __swp_offset()}. */
    @Override
    public long swpOffset(long pte) {
        return (pte & rpnMask) >>> pageShift;
    }

    /**
     * A trace form: {@code table=0x... P nls=5} for a table entry (nls on radix only);
     * {@code pfn=0x... P PTE R W X A D ...} for a leaf. Unknown bits are shown as
     * {@code other=0x...}.
     */
    @Override
    protected String describeEntry(Level level, long entry) {
        int l = level.ordinal();
        StringBuilder sb = new StringBuilder(48);
        long known;
        if (leaf(level, entry) && (l == Level.PTE.ordinal() || (entry & PTE) != 0)) {
            sb.append("pfn=0x").append(Long.toHexString(leafPfn(level, entry)));
            flag(sb, entry, PRESENT, "P");
            flag(sb, entry, INVALID, "INVALID");
            flag(sb, entry, PTE, "PTE");
            flag(sb, entry, READ, "R");
            flag(sb, entry, WRITE, "W");
            flag(sb, entry, EXEC, "X");
            flag(sb, entry, PRIVILEGED, "PRIV");
            flag(sb, entry, ACCESSED, "A");
            flag(sb, entry, DIRTY, "D");
            flag(sb, entry, SOFT_DIRTY, "SOFT_DIRTY");
            flag(sb, entry, SPECIAL, "SPECIAL");
            flag(sb, entry, DEVMAP, "DEVMAP");
            flag(sb, entry, H_PAGE_HASHPTE, "HASHPTE");
            flag(sb, entry, H_PAGE_BUSY, "BUSY");
            flag(sb, entry, H_PAGE_COMBO, "COMBO");
            flag(sb, entry, H_PAGE_THP_HUGE, "THP_HUGE");
            known = rpnMask | PRESENT | INVALID | PTE | RWX | PRIVILEGED | ACCESSED | DIRTY | SOFT_DIRTY | SPECIAL
                    | DEVMAP | HPTEFLAGS | H_PAGE_THP_HUGE;
        } else {
            sb.append("table=0x").append(Long.toHexString(entry & ~TABLE_MASKED_BITS));
            flag(sb, entry, PRESENT, "P");
            if (radix) {
                sb.append(" nls=").append(entry & 0x1f);
            }
            known = ~TABLE_MASKED_BITS | PRESENT | (radix ? 0x1fL : 0);
        }
        other(sb, entry, known);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "book3s64 " + (radix ? "radix" : "hash") + " entry format (" + (1 << (pageShift - 10)) + "K pages)";
    }
}
