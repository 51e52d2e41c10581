package org.gupsim.arch.toy;

import org.gupsim.pgtable.BitEntryFormat;
import org.gupsim.pgtable.Level;

/**
 * The toy architecture's entry format: the simplest layout that has every helper the generic
 * code calls, one bit each. It mirrors no real architecture (it is x86-64's idea with the bits
 * renumbered and nothing else): bit 0 present, 1 write, 2 user, 3 huge (a 2M leaf in a PMD),
 * 4 young, 5 dirty, 6 special, 7 devmap, 8 PROT_NONE (present for the kernel while bit 0 is
 * clear), the frame from bit 12. A swap PTE has bits 0 and 8 clear, its type in bits 9..13, the
 * exclusive marker in bit 14 and its offset from bit 16.
 */
final class ToyEntryFormat extends BitEntryFormat {
    static final long PRESENT = 1L;
    static final long WRITE = 1L << 1;
    static final long USER = 1L << 2;
    static final long HUGE = 1L << 3;
    static final long YOUNG = 1L << 4;
    static final long DIRTY = 1L << 5;
    static final long SPECIAL = 1L << 6;
    static final long DEVMAP = 1L << 7;
    static final long PROTNONE = 1L << 8;
    static final long SWP_EXCLUSIVE = 1L << 14;
    static final long FRAME = ((1L << 52) - 1) & ~0xfffL;

    private static final long PAGE_NONE = PROTNONE | YOUNG;
    private static final long PAGE_READONLY = PRESENT | USER | YOUNG;
    private static final long PAGE_SHARED = PAGE_READONLY | WRITE;
    /** Any access is readable; private writable is read-only until CoW; only shared writable is writable. */
    private static final long[] PROTECTION_MAP = protectionMap((read, write, exec, shared) ->
            !read && !write && !exec ? PAGE_NONE : write && shared ? PAGE_SHARED : PAGE_READONLY);

    static final ToyEntryFormat INSTANCE = new ToyEntryFormat();

    private ToyEntryFormat() {
        super(new LeafBits(WRITE, DIRTY, YOUNG, SPECIAL, DEVMAP, SWP_EXCLUSIVE));
    }

    /** Present, or PROT_NONE at a leaf level (a PROT_NONE leaf keeps its page, as in the kernel). */
    @Override
    public boolean present(Level level, long entry) {
        int l = ordinal(level);
        long mask = l == Level.PTE.ordinal() || l == Level.PMD.ordinal() ? PRESENT | PROTNONE : PRESENT;
        return (entry & mask) != 0;
    }

    @Override
    public boolean leaf(Level level, long entry) {
        return leafByBit(ordinal(level), entry, HUGE);
    }

    @Override
    public long tablePhys(Level level, long entry) {
        tableLevel(level);
        return entry & FRAME;
    }

    @Override
    public long mkTable(Level level, long tablePhys) {
        tableLevel(level);
        if ((tablePhys & ~FRAME) != 0) {
            throw new IllegalArgumentException("tablePhys must be 4K-aligned and below 2^52, was 0x"
                    + Long.toHexString(tablePhys));
        }
        return tablePhys | PRESENT | WRITE | USER;
    }

    /** A 4K PTE, or a 2M leaf at the PMD with HUGE; a huge leaf's frame is aligned. */
    @Override
    public long mkLeaf(Level level, long pfn, long pgprot) {
        int l = ordinal(level);
        if (l != Level.PTE.ordinal() && l != Level.PMD.ordinal()) {
            throw new IllegalArgumentException("level must be PTE or PMD for a toy leaf, was " + level);
        }
        if (pfn < 0 || pfn >= 1L << 40 || (l == Level.PMD.ordinal() && (pfn & 511) != 0)) {
            throw new IllegalArgumentException("pfn must be in [0, 2^40) and aligned to the leaf, was 0x"
                    + Long.toHexString(pfn));
        }
        return (pfn << 12) | pgprot | (l == Level.PMD.ordinal() ? HUGE : 0);
    }

    @Override
    public long leafPfn(Level level, long entry) {
        ordinal(level);
        return (entry & FRAME) >>> 12;
    }

    @Override
    public boolean leafProtnone(Level level, long entry) {
        ordinal(level);
        return (entry & (PRESENT | PROTNONE)) == PROTNONE;
    }

    @Override
    public boolean accessPermitted(Level level, long entry, boolean write) {
        ordinal(level);
        long need = write ? PRESENT | USER | WRITE : PRESENT | USER;
        return (entry & need) == need;
    }

    /** Keeps the frame, young, dirty, special, devmap and HUGE; the rest comes from {@code pgprot}. */
    @Override
    public long modify(Level level, long entry, long pgprot) {
        ordinal(level);
        long keep = FRAME | YOUNG | DIRTY | SPECIAL | DEVMAP | HUGE;
        return (entry & keep) | (pgprot & ~keep);
    }

    @Override
    public long vmGetPageProt(long vmFlags) {
        return PROTECTION_MAP[protectionIndex(vmFlags)];
    }

    @Override
    public boolean hasPteSpecial() {
        return true;
    }

    @Override
    public long mkSwpPte(int type, long offset) {
        if (type < 0 || type >= 32 || offset < 0 || offset >= 1L << 48) {
            throw new IllegalArgumentException("type must be in [0, 32) and offset in [0, 2^48), was "
                    + type + ", 0x" + Long.toHexString(offset));
        }
        return ((long) type << 9) | (offset << 16);
    }

    @Override
    public int swpType(long pte) {
        return (int) ((pte >>> 9) & 31);
    }

    @Override
    public long swpOffset(long pte) {
        return pte >>> 16;
    }

    @Override
    protected String describeEntry(Level level, long entry) {
        StringBuilder sb = new StringBuilder(40);
        sb.append(leaf(level, entry) ? "pfn=0x" + Long.toHexString(leafPfn(level, entry))
                : "table=0x" + Long.toHexString(entry & FRAME));
        flag(sb, entry, PRESENT, "P");
        flag(sb, entry, WRITE, "W");
        flag(sb, entry, USER, "U");
        flag(sb, entry, HUGE, "HUGE");
        flag(sb, entry, YOUNG, "Y");
        flag(sb, entry, DIRTY, "D");
        flag(sb, entry, SPECIAL, "SPECIAL");
        flag(sb, entry, DEVMAP, "DEVMAP");
        flag(sb, entry, PROTNONE, "PROTNONE");
        other(sb, entry, FRAME | 0x1ff);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "toy entry format";
    }
}
