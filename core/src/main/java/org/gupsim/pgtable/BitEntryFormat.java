package org.gupsim.pgtable;

/**
 * What the architectures' entry formats have in common, written once: the level check every
 * helper makes, the VM_* indices of {@code protection_map}, the helpers that set, clear or test
 * one bit of a leaf, the swap-PTE exclusive marker, and the frame of {@link #describe}.
 *
 * <p>The kernel writes {@code pte_young()}, {@code pte_mkyoung()}, {@code pte_mkold()},
 * {@code pte_special()}, {@code pte_swp_exclusive()} and the like once per architecture, each one
 * line over that architecture's bit. Here an architecture names its bits once, in a
 * {@link LeafBits}, whose Javadoc in the architecture's class says which of its helpers each bit
 * stands for; the helpers below apply them. An architecture whose helper does more than one bit
 * says (arm64's {@code pte_mkdirty()} also clears {@code PTE_RDONLY}; s390's emulate referenced
 * and changed with hardware bits) overrides that helper and documents the override.
 *
 * <p>Every method here runs per page in GUP-fast and allocates nothing.
 */
public abstract class BitEntryFormat implements EntryFormat {
    /** {@code VM_READ}: index bit of {@code protection_map}. */
    public static final long VM_READ = 0x1;
    /** {@code VM_WRITE}. */
    public static final long VM_WRITE = 0x2;
    /** {@code VM_EXEC}. */
    public static final long VM_EXEC = 0x4;
    /** {@code VM_SHARED}. */
    public static final long VM_SHARED = 0x8;
    /** The {@code vm_flags} bits that index {@code protection_map}; higher bits are ignored. */
    protected static final long VM_PROTECTION_BITS = VM_READ | VM_WRITE | VM_EXEC | VM_SHARED;

    /**
     * An architecture's single-bit leaf helpers: the bit each one tests, sets or clears. A zero
     * bit means the architecture has no such helper (s390 has no {@code pte_devmap()}): the test
     * is false and the setter leaves the entry as it was.
     *
     * @param writable     {@code pte_write()} tests it, {@code pte_mkwrite_novma()} sets it,
     *                     {@code pte_wrprotect()} clears it
     * @param dirty        {@code pte_dirty()}, {@code pte_mkdirty()}, {@code pte_mkclean()}
     * @param young        {@code pte_young()}, {@code pte_mkyoung()}, {@code pte_mkold()}
     * @param special      {@code pte_special()}, {@code pte_mkspecial()}
     * @param devmap       {@code pte_devmap()}, {@code pte_mkdevmap()} (which sets {@code special}
     *                     too in a PTE, not in a huge entry)
     * @param swpExclusive {@code pte_swp_exclusive()}, {@code pte_swp_mkexclusive()},
     *                     {@code pte_swp_clear_exclusive()}: a bit of a swap PTE outside its type
     *                     and offset
     */
    public record LeafBits(long writable, long dirty, long young, long special, long devmap, long swpExclusive) {
    }

    private final LeafBits bits;

    /** @param bits the architecture's leaf bits; see {@link LeafBits} */
    protected BitEntryFormat(LeafBits bits) {
        if (bits == null) {
            throw new IllegalArgumentException("bits must not be null");
        }
        this.bits = bits;
    }

    /** The architecture's leaf bits. */
    public final LeafBits leafBits() {
        return bits;
    }

    /** The level's ordinal; a null level is Java misuse, refused without allocating on the good path. */
    protected static int ordinal(Level level) {
        if (level == null) {
            throw new IllegalArgumentException("level must not be null");
        }
        return level.ordinal();
    }

    /** The ordinal of a level that holds table pointers; a PTE level is refused, naming the argument. */
    protected static int tableLevel(Level level) {
        int l = ordinal(level);
        if (l == Level.PTE.ordinal()) {
            throw new IllegalArgumentException("level must be above PTE, was level ordinal " + l);
        }
        return l;
    }

    /** PMD and PUD: the levels below the top where the architectures here may map huge leaves. */
    protected static boolean hugeLevel(int ordinal) {
        return ordinal == Level.PMD.ordinal() || ordinal == Level.PUD.ordinal();
    }

    /** A PTE is always a leaf; a PMD or PUD entry is one when {@code leafBit} is set; higher entries never are. */
    protected static boolean leafByBit(int ordinal, long entry, long leafBit) {
        return ordinal == Level.PTE.ordinal() || hugeLevel(ordinal) && (entry & leafBit) != 0;
    }

    /** The protection of one index of {@code protection_map}. */
    @FunctionalInterface
    protected interface ProtectionRule {
        /** The {@code pgprot} of a VMA with these VM_* bits. */
        long pgprot(boolean read, boolean write, boolean exec, boolean shared);
    }

    /** Builds a {@code protection_map}, indexed by {@code VM_READ|VM_WRITE|VM_EXEC|VM_SHARED}, from a rule. */
    protected static long[] protectionMap(ProtectionRule rule) {
        long[] map = new long[16];
        for (int i = 0; i < 16; i++) {
            map[i] = rule.pgprot((i & VM_READ) != 0, (i & VM_WRITE) != 0, (i & VM_EXEC) != 0, (i & VM_SHARED) != 0);
        }
        return map;
    }

    /** The index of {@code protection_map} for {@code vmFlags}: bits above VM_SHARED ignored. */
    protected static int protectionIndex(long vmFlags) {
        return (int) (vmFlags & VM_PROTECTION_BITS);
    }

    /**
     * Mirrors {@code pte_none()} / {@code pmd_none()} where an empty slot is all zeroes, as on
     * x86-64 and arm64. A format whose empty values are not zero (s390's invalid bits, powerpc's
     * R/C and HPTE bits in an empty PTE) overrides it.
     */
    @Override
    public boolean none(Level level, long entry) {
        ordinal(level);
        return entry == 0;
    }

    /** Mirrors the architecture's {@code pte_write()}: the {@link LeafBits#writable} bit. */
    @Override
    public boolean leafWrite(Level level, long entry) {
        ordinal(level);
        return (entry & bits.writable()) != 0;
    }

    /** Mirrors the architecture's {@code pte_dirty()}: the {@link LeafBits#dirty} bit. */
    @Override
    public boolean leafDirty(Level level, long entry) {
        ordinal(level);
        return (entry & bits.dirty()) != 0;
    }

    /** Mirrors the architecture's {@code pte_young()}: the {@link LeafBits#young} bit. */
    @Override
    public boolean leafYoung(Level level, long entry) {
        ordinal(level);
        return (entry & bits.young()) != 0;
    }

    /** Mirrors the architecture's {@code pte_special()}: the {@link LeafBits#special} bit. */
    @Override
    public boolean leafSpecial(Level level, long entry) {
        ordinal(level);
        return (entry & bits.special()) != 0;
    }

    /** Mirrors the architecture's {@code pte_devmap()}: the {@link LeafBits#devmap} bit. */
    @Override
    public boolean leafDevmap(Level level, long entry) {
        ordinal(level);
        return (entry & bits.devmap()) != 0;
    }

    /** Mirrors the architecture's {@code pte_mkwrite_novma()}: sets the write bit. */
    @Override
    public long mkWrite(Level level, long entry) {
        ordinal(level);
        return entry | bits.writable();
    }

    /** Mirrors the architecture's {@code pte_wrprotect()}: clears the write bit. */
    @Override
    public long wrprotect(Level level, long entry) {
        ordinal(level);
        return entry & ~bits.writable();
    }

    /** Mirrors the architecture's {@code pte_mkdirty()}: sets the dirty bit. */
    @Override
    public long mkDirty(Level level, long entry) {
        ordinal(level);
        return entry | bits.dirty();
    }

    /** Mirrors the architecture's {@code pte_mkclean()}: clears the dirty bit. */
    @Override
    public long mkClean(Level level, long entry) {
        ordinal(level);
        return entry & ~bits.dirty();
    }

    /** Mirrors the architecture's {@code pte_mkyoung()}: sets the young bit. */
    @Override
    public long mkYoung(Level level, long entry) {
        ordinal(level);
        return entry | bits.young();
    }

    /** Mirrors the architecture's {@code pte_mkold()}: clears the young bit. */
    @Override
    public long mkOld(Level level, long entry) {
        ordinal(level);
        return entry & ~bits.young();
    }

    /** Mirrors the architecture's {@code pte_mkspecial()} / {@code pmd_mkspecial()}: sets the special bit. */
    @Override
    public long mkSpecial(Level level, long entry) {
        ordinal(level);
        return entry | bits.special();
    }

    /**
     * Mirrors the architecture's {@code pte_mkdevmap()} (the devmap and special bits: code that
     * knows nothing of ZONE_DEVICE leaves a special PTE alone) and {@code pmd_mkdevmap()} /
     * {@code pud_mkdevmap()} (the devmap bit only). Without a devmap bit the entry is returned as it was.
     */
    @Override
    public long mkDevmap(Level level, long entry) {
        int l = ordinal(level);
        if (bits.devmap() == 0) {
            return entry;
        }
        return l == Level.PTE.ordinal() ? entry | bits.special() | bits.devmap() : entry | bits.devmap();
    }

    /** Whether the architecture selects ARCH_HAS_PTE_SPECIAL: it has a {@link LeafBits#special} bit. */
    @Override
    public boolean hasPteSpecial() {
        return bits.special() != 0;
    }

    /**
     * Checks the arguments of {@code mkSwpPte}: a type of five bits ({@code MAX_SWAPFILES_SHIFT})
     * and an offset below {@code 2^offsetBits}, naming the bad one.
     */
    protected static void checkSwpEntry(int type, long offset, int offsetBits) {
        if (type < 0 || type >= 32) {
            throw new IllegalArgumentException("type must be in [0, 32), was " + type);
        }
        if (offset < 0 || offset >= 1L << offsetBits) {
            throw new IllegalArgumentException("offset must be in [0, 2^" + offsetBits + "), was 0x"
                    + Long.toHexString(offset));
        }
    }

    /** Mirrors the architecture's {@code pte_swp_exclusive()}: the {@link LeafBits#swpExclusive} bit. */
    @Override
    public boolean swpExclusive(long pte) {
        return (pte & bits.swpExclusive()) != 0;
    }

    /** Mirrors the architecture's {@code pte_swp_mkexclusive()}. */
    @Override
    public long swpMkExclusive(long pte) {
        return pte | bits.swpExclusive();
    }

    /** Mirrors the architecture's {@code pte_swp_clear_exclusive()}. */
    @Override
    public long swpClearExclusive(long pte) {
        return pte & ~bits.swpExclusive();
    }

    /**
     * A trace form: {@code none} for an all-zero entry; {@code swp type=T offset=0x... [E]} for a
     * swap PTE; otherwise the architecture's {@link #describeEntry}.
     */
    @Override
    public final String describe(Level level, long entry) {
        int l = ordinal(level);
        if (entry == 0) {
            return "none";
        }
        if (l == Level.PTE.ordinal() && isSwapPte(entry)) {
            return "swp type=" + swpType(entry) + " offset=0x" + Long.toHexString(swpOffset(entry))
                    + (swpExclusive(entry) ? " E" : "");
        }
        return describeEntry(level, entry);
    }

    /**
     * The trace form of a non-zero entry that is not a swap PTE: {@code table=0x...} or
     * {@code pfn=0x...}, then the names of the bits set (see {@link #flag}), then
     * {@link #other} for bits the format does not name.
     */
    protected abstract String describeEntry(Level level, long entry);

    /** Appends {@code " " + name} if every bit of {@code bits} is set in {@code entry}. */
    protected static void flag(StringBuilder sb, long entry, long bits, String name) {
        if ((entry & bits) == bits) {
            sb.append(' ').append(name);
        }
    }

    /** Appends {@code " other=0x..."} for the bits of {@code entry} outside {@code known}, if any. */
    protected static void other(StringBuilder sb, long entry, long known) {
        if ((entry & ~known) != 0) {
            sb.append(" other=0x").append(Long.toHexString(entry & ~known));
        }
    }
}
