package org.gupsim.arch.s390;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.BitEntryFormat;
import org.gupsim.pgtable.Level;

/**
 * The s390 page-table entry formats, with the hardware and software bits of
 * arch/s390/include/asm/pgtable.h.
 *
 * <p>Page-table entries (PTE): the hardware knows only {@code _PAGE_INVALID} (0x400),
 * {@code _PAGE_PROTECT} (0x200) and {@code _PAGE_NOEXEC} (0x100), plus the frame from bit 12.
 * Everything else is software: present 0x001, young 0x004, dirty 0x008, read 0x010, write 0x020,
 * special 0x040. The kernel emulates referenced and changed tracking with the hardware bits: an
 * old entry is hardware-invalid (so the first access faults and marks it young), a clean entry is
 * hardware-protected (so the first write faults and marks it dirty). A PROT_NONE entry is
 * present but not readable ({@code pte_protnone()}).
 *
 * <p>Segment-table entries (PMD) point at a 2K-aligned page table, or with
 * {@code _SEGMENT_ENTRY_LARGE} (0x400) map a 1M page; region-third entries (PUD) point at a
 * segment table, or with {@code _REGION3_ENTRY_LARGE} (0x400) map a 2G page. Large entries
 * carry software read 0x0001, write 0x0002, young 0x1000 and dirty 0x2000 beside the hardware
 * invalid 0x20 and protect 0x200 bits, emulated as for PTEs. Region entries carry their table's
 * type (region-first 0x0c, second 0x08, third 0x04) and the table length 0x03.
 *
 * <p>The model's tables start zeroed and its zap writes zero, so an all-zero entry stands for
 * the kernel's empty values ({@code _PAGE_INVALID}, {@code _SEGMENT_ENTRY_EMPTY},
 * {@code _REGIONn_ENTRY_EMPTY}); those values are read as empty too. Not modelled: soft-dirty,
 * PGSTEs (KVM guests), storage keys, the 31-bit compat layout. s390 has no devmap bit (no
 * ARCH_HAS_PTE_DEVMAP) and no special bit in large entries.
 *
 * <p>The class is stateless; one {@link #INSTANCE} serves every variant.
 */
public final class S390EntryFormat extends BitEntryFormat {
    // ---- page-table entries
    /** {@code _PAGE_PRESENT} (software). */
    public static final long PAGE_PRESENT = 0x001;
    /** {@code _PAGE_YOUNG} (software). */
    public static final long PAGE_YOUNG = 0x004;
    /** {@code _PAGE_DIRTY} (software). */
    public static final long PAGE_DIRTY = 0x008;
    /** {@code _PAGE_READ} (software). */
    public static final long PAGE_READ = 0x010;
    /** {@code _PAGE_WRITE} (software). */
    public static final long PAGE_WRITE = 0x020;
    /** {@code _PAGE_SPECIAL} (software). */
    public static final long PAGE_SPECIAL = 0x040;
    /** {@code _PAGE_UNUSED} (software, used by the guest-memory code). */
    public static final long PAGE_UNUSED = 0x080;
    /** {@code _PAGE_NOEXEC} (hardware). */
    public static final long PAGE_NOEXEC = 0x100;
    /** {@code _PAGE_PROTECT} (hardware): read-only for the MMU. */
    public static final long PAGE_PROTECT = 0x200;
    /** {@code _PAGE_INVALID} (hardware): the MMU faults. */
    public static final long PAGE_INVALID = 0x400;
    /** {@code _PAGE_LARGE}: a PTE made from a large entry (huge_ptep_get()). */
    public static final long PAGE_LARGE = 0x800;
    /** {@code PAGE_MASK}: the frame of a PTE. */
    public static final long PAGE_MASK = -(1L << 12);
    /** {@code _PAGE_SWP_EXCLUSIVE}: {@code _PAGE_LARGE}, a software bit in a swap PTE. */
    public static final long PAGE_SWP_EXCLUSIVE = PAGE_LARGE;
    /** {@code __SWP_OFFSET_MASK}: 52 bits of offset. */
    private static final long SWP_OFFSET_MASK = (1L << 52) - 1;
    /** {@code __SWP_OFFSET_SHIFT}. */
    private static final int SWP_OFFSET_SHIFT = 12;
    /** {@code __SWP_TYPE_MASK}: five bits of type. */
    private static final long SWP_TYPE_MASK = (1L << 5) - 1;
    /** {@code __SWP_TYPE_SHIFT}. */
    private static final int SWP_TYPE_SHIFT = 2;

    /** {@code PAGE_NONE}. */
    public static final long PAGE_NONE_PROT = PAGE_PRESENT | PAGE_INVALID | PAGE_PROTECT;
    /** {@code PAGE_RO}. */
    public static final long PAGE_RO = PAGE_PRESENT | PAGE_READ | PAGE_NOEXEC | PAGE_INVALID | PAGE_PROTECT;
    /** {@code PAGE_RX}. */
    public static final long PAGE_RX = PAGE_PRESENT | PAGE_READ | PAGE_INVALID | PAGE_PROTECT;
    /** {@code PAGE_RW}. */
    public static final long PAGE_RW = PAGE_PRESENT | PAGE_READ | PAGE_WRITE | PAGE_NOEXEC | PAGE_INVALID
            | PAGE_PROTECT;
    /** {@code PAGE_RWX}. */
    public static final long PAGE_RWX = PAGE_PRESENT | PAGE_READ | PAGE_WRITE | PAGE_INVALID | PAGE_PROTECT;

    // ---- region and segment entries
    /** {@code _REGION_ENTRY_ORIGIN}: a region entry's next-table origin. */
    public static final long REGION_ENTRY_ORIGIN = ~0xfffL;
    /** {@code _REGION_ENTRY_PROTECT}. */
    public static final long REGION_ENTRY_PROTECT = 0x200;
    /** {@code _REGION_ENTRY_NOEXEC}. */
    public static final long REGION_ENTRY_NOEXEC = 0x100;
    /** {@code _REGION_ENTRY_INVALID}. */
    public static final long REGION_ENTRY_INVALID = 0x20;
    /** {@code _REGION_ENTRY_TYPE_MASK}. */
    public static final long REGION_ENTRY_TYPE_MASK = 0x0c;
    /** {@code _REGION_ENTRY_TYPE_R1}. */
    public static final long REGION_ENTRY_TYPE_R1 = 0x0c;
    /** {@code _REGION_ENTRY_TYPE_R2}. */
    public static final long REGION_ENTRY_TYPE_R2 = 0x08;
    /** {@code _REGION_ENTRY_TYPE_R3}. */
    public static final long REGION_ENTRY_TYPE_R3 = 0x04;
    /** {@code _REGION_ENTRY_LENGTH}. */
    public static final long REGION_ENTRY_LENGTH = 0x03;
    /** {@code _REGION3_ENTRY_ORIGIN_LARGE}: the frame of a 2G page. */
    public static final long REGION3_ENTRY_ORIGIN_LARGE = ~0x7fffffffL;
    /** {@code _REGION3_ENTRY_LARGE}. */
    public static final long REGION3_ENTRY_LARGE = 0x400;

    /** {@code _SEGMENT_ENTRY_ORIGIN}: a page table's origin (2K-aligned). */
    public static final long SEGMENT_ENTRY_ORIGIN = ~0x7ffL;
    /** {@code _SEGMENT_ENTRY_ORIGIN_LARGE}: the frame of a 1M page. */
    public static final long SEGMENT_ENTRY_ORIGIN_LARGE = ~0xfffffL;
    /** {@code _SEGMENT_ENTRY_PROTECT}. */
    public static final long SEGMENT_ENTRY_PROTECT = 0x200;
    /** {@code _SEGMENT_ENTRY_NOEXEC}. */
    public static final long SEGMENT_ENTRY_NOEXEC = 0x100;
    /** {@code _SEGMENT_ENTRY_INVALID}; alone it is {@code _SEGMENT_ENTRY_EMPTY}. */
    public static final long SEGMENT_ENTRY_INVALID = 0x20;
    /** {@code _SEGMENT_ENTRY_LARGE}. */
    public static final long SEGMENT_ENTRY_LARGE = 0x400;
    /** {@code _SEGMENT_ENTRY_DIRTY} / {@code _REGION3_ENTRY_DIRTY} (software). */
    public static final long LARGE_DIRTY = 0x2000;
    /** {@code _SEGMENT_ENTRY_YOUNG} / {@code _REGION3_ENTRY_YOUNG} (software). */
    public static final long LARGE_YOUNG = 0x1000;
    /** {@code _SEGMENT_ENTRY_WRITE} / {@code _REGION3_ENTRY_WRITE} (software). */
    public static final long LARGE_WRITE = 0x0002;
    /** {@code _SEGMENT_ENTRY_READ} / {@code _REGION3_ENTRY_READ} (software). */
    public static final long LARGE_READ = 0x0001;

    /** {@code SEGMENT_NONE} / {@code REGION3_NONE}. */
    public static final long LARGE_NONE = SEGMENT_ENTRY_INVALID | SEGMENT_ENTRY_PROTECT;
    /** {@code SEGMENT_RO}. */
    public static final long LARGE_RO = SEGMENT_ENTRY_PROTECT | LARGE_READ | SEGMENT_ENTRY_NOEXEC;
    /** {@code SEGMENT_RX}. */
    public static final long LARGE_RX = SEGMENT_ENTRY_PROTECT | LARGE_READ;
    /** {@code SEGMENT_RW}. */
    public static final long LARGE_RW = LARGE_READ | LARGE_WRITE | SEGMENT_ENTRY_NOEXEC;
    /** {@code SEGMENT_RWX}. */
    public static final long LARGE_RWX = LARGE_READ | LARGE_WRITE;

    /**
     * The PTE bits of the helpers of arch/s390/include/asm/pgtable.h: software write, dirty,
     * young and special; no devmap bit (no ARCH_HAS_PTE_DEVMAP, so {@code pte_devmap()} is false
     * and there is no {@code pte_mkdevmap()}); {@code pte_swp_exclusive()} and friends over
     * {@code _PAGE_SWP_EXCLUSIVE}. Large entries have bits of their own and the write, dirty and
     * young setters move the hardware protect and invalid bits as well: this class overrides
     * those helpers.
     */
    public static final LeafBits LEAF_BITS = new LeafBits(PAGE_WRITE, PAGE_DIRTY, PAGE_YOUNG, PAGE_SPECIAL, 0,
            PAGE_SWP_EXCLUSIVE);

    /** The shared instance. (After {@link #LEAF_BITS}, which its constructor reads.) */
    public static final S390EntryFormat INSTANCE = new S390EntryFormat();

    private static final int PAGE_SHIFT = 12;
    /** Frames the model may name: a 52-bit physical address space, as on x86. */
    private static final long PFN_LIMIT = 1L << 40;
    /** {@code _PAGE_CHG_MASK}: what {@code pte_modify()} keeps (soft-dirty not modelled). */
    private static final long PAGE_CHG_MASK = PAGE_MASK | PAGE_SPECIAL | PAGE_DIRTY | PAGE_YOUNG;
    /** {@code _SEGMENT_CHG_MASK} / {@code _REGION3_CHG_MASK} without soft-dirty, per large level. */
    private static final long SEGMENT_CHG_MASK = SEGMENT_ENTRY_ORIGIN_LARGE | SEGMENT_ENTRY_LARGE | LARGE_DIRTY
            | LARGE_YOUNG;
    private static final long REGION3_CHG_MASK = REGION3_ENTRY_ORIGIN_LARGE | REGION3_ENTRY_LARGE
            | REGION_ENTRY_TYPE_R3 | LARGE_DIRTY | LARGE_YOUNG;
    /** The type bits of an entry in a table at PGD, P4D, PUD: {@code _REGION_ENTRY_TYPE_R1..R3}. */
    private static final long[] REGION_TYPE = {REGION_ENTRY_TYPE_R1, REGION_ENTRY_TYPE_R2, REGION_ENTRY_TYPE_R3};
    /** {@code protection_map}, indexed by VM_READ|VM_WRITE|VM_EXEC|VM_SHARED. */
    private static final long[] PROTECTION_MAP = {
        PAGE_NONE_PROT, PAGE_RO, PAGE_RO, PAGE_RO, PAGE_RX, PAGE_RX, PAGE_RX, PAGE_RX,
        PAGE_NONE_PROT, PAGE_RO, PAGE_RW, PAGE_RW, PAGE_RX, PAGE_RX, PAGE_RWX, PAGE_RWX
    };

    /** Use {@link #INSTANCE}; public so tests may make their own. */
    public S390EntryFormat() {
        super(LEAF_BITS);
    }

    private static final int PTE = 4;
    private static final int PMD = 3;
    private static final int PUD = 2;

    /** Whether a leaf may sit at this level: PTE, segment (1M) or region-third (2G). */
    private static boolean leafLevel(int l) {
        return l >= PUD;
    }

    /** A large region-third or segment entry. */
    private static boolean large(int l, long e) {
        if (l == PMD) {
            return (e & SEGMENT_ENTRY_LARGE) != 0;
        }
        return l == PUD && (e & (REGION_ENTRY_TYPE_MASK | REGION3_ENTRY_LARGE))
                == (REGION_ENTRY_TYPE_R3 | REGION3_ENTRY_LARGE);
    }

    /**
     * Mirrors {@code pte_none()} ({@code == _PAGE_INVALID}), {@code pmd_none()}
     * ({@code == _SEGMENT_ENTRY_EMPTY}) and {@code pud_none()} / {@code p4d_none()} /
     * {@code pgd_none()} ({@code == _REGIONn_ENTRY_EMPTY}), with zero read as empty as well.
     */
    @Override
    public boolean none(Level level, long entry) {
        int l = ordinal(level);
        if (entry == 0) {
            return true;
        }
        if (l == PTE) {
            return entry == PAGE_INVALID;
        }
        if (l == PMD) {
            return entry == SEGMENT_ENTRY_INVALID;
        }
        return entry == (REGION_TYPE[l] | REGION_ENTRY_INVALID);
    }

    /**
     * Mirrors {@code pte_present()} (the software present bit, so PROT_NONE and old entries stay
     * present), {@code pmd_present()} (anything but empty, so a PROT_NONE or old 1M page stays
     * present), and {@code pud_present()} and above (the hardware invalid bit clear). A 2G page
     * is read as hugetlb reads it through {@code huge_ptep_get()}: present unless empty, since its
     * invalid bit also marks an old or PROT_NONE page.
     */
    @Override
    public boolean present(Level level, long entry) {
        int l = ordinal(level);
        if (none(level, entry)) {
            return false;
        }
        if (l == PTE) {
            return (entry & PAGE_PRESENT) != 0;
        }
        if (l == PMD || large(l, entry)) {
            return true;
        }
        return (entry & REGION_ENTRY_INVALID) == 0;
    }

    /** Mirrors {@code pmd_leaf()} ({@code _SEGMENT_ENTRY_LARGE}) and {@code pud_leaf()} (a large region-third entry). */
    @Override
    public boolean leaf(Level level, long entry) {
        int l = ordinal(level);
        return l == PTE || large(l, entry);
    }

    /**
     * Mirrors {@code pmd_deref()} / {@code pud_deref()} / {@code p4d_deref()} /
     * {@code pgd_deref()}: the origin of the next table, 2K-aligned for a page table, 4K for a
     * crst table.
     */
    @Override
    public long tablePhys(Level level, long entry) {
        int l = tableLevel(level);
        return entry & (l == PMD ? SEGMENT_ENTRY_ORIGIN : REGION_ENTRY_ORIGIN);
    }

    /**
     * Mirrors {@code pmd_populate()} ({@code _SEGMENT_ENTRY | __pa(pte)}: the origin alone) and
     * {@code pud_populate()} / {@code p4d_populate()} / {@code pgd_populate()}
     * ({@code _REGIONn_ENTRY | __pa(table)}: the type of the table the entry sits in, and the
     * full table length).
     */
    @Override
    public long mkTable(Level level, long tablePhys) {
        int l = tableLevel(level);
        if (l == PMD) {
            Validate.isTrue(tablePhys > 0 && (tablePhys & ~SEGMENT_ENTRY_ORIGIN) == 0,
                    "tablePhys must be a positive 2K-aligned address, was 0x%x", tablePhys);
            return tablePhys;
        }
        Validate.isTrue(tablePhys > 0 && (tablePhys & ~REGION_ENTRY_ORIGIN) == 0,
                "tablePhys must be a positive 4K-aligned address, was 0x%x", tablePhys);
        return tablePhys | REGION_TYPE[l] | REGION_ENTRY_LENGTH;
    }

    /**
     * Mirrors {@code massage_pgprot_pmd()}: the PTE-format protection template turned into the
     * large-entry bits ({@code SEGMENT_NONE} .. {@code SEGMENT_RWX}, the same for region-third).
     */
    static long massagePgprotPmd(long pgprot) {
        long p = pgprot & ~(PAGE_DIRTY | PAGE_YOUNG | PAGE_SPECIAL);
        if (p == PAGE_NONE_PROT) {
            return LARGE_NONE;
        }
        if (p == PAGE_RO) {
            return LARGE_RO;
        }
        if (p == PAGE_RX) {
            return LARGE_RX;
        }
        if (p == PAGE_RW) {
            return LARGE_RW;
        }
        return LARGE_RWX;
    }

    /**
     * Keeps the hardware bits of a large entry in step with its software bits, as
     * {@code pmd_modify()} does: a clean entry is protected, an old one invalid.
     */
    private static long largeHardwareBits(long e) {
        if ((e & LARGE_DIRTY) == 0) {
            e |= SEGMENT_ENTRY_PROTECT;
        }
        if ((e & LARGE_YOUNG) == 0) {
            e |= SEGMENT_ENTRY_INVALID;
        }
        return e;
    }

    /**
     * Mirrors {@code pfn_pte()} (frame plus the template, which is old and clean: invalid and
     * protected), and {@code pfn_pmd()} / {@code pfn_pud()} with {@code pmd_mkhuge()}: the
     * massaged template, the large bit (and the region-third type), and the hardware bits of an
     * old, clean entry. The frame of a large page must be aligned to it.
     */
    @Override
    public long mkLeaf(Level level, long pfn, long pgprot) {
        int l = ordinal(level);
        Validate.isTrue(leafLevel(l), "level must be PTE, PMD or PUD for an s390 leaf, was level ordinal %d", l);
        Validate.isTrue(pfn >= 0 && pfn < PFN_LIMIT, "pfn must be in [0, 2^40), was 0x%x", pfn);
        Validate.isTrue((pgprot & PAGE_MASK) == 0, "pgprot must not have frame bits, was 0x%x", pgprot);
        long phys = pfn << PAGE_SHIFT;
        if (l == PTE) {
            return phys | pgprot;
        }
        long origin = l == PMD ? SEGMENT_ENTRY_ORIGIN_LARGE : REGION3_ENTRY_ORIGIN_LARGE;
        Validate.isTrue((phys & ~origin) == 0, "pfn must be aligned to the large page, was 0x%x", pfn);
        long e = phys | massagePgprotPmd(pgprot);
        e |= l == PMD ? SEGMENT_ENTRY_LARGE : REGION3_ENTRY_LARGE | REGION_ENTRY_TYPE_R3;
        if ((pgprot & PAGE_DIRTY) != 0) {
            e |= LARGE_DIRTY;
        }
        if ((pgprot & PAGE_YOUNG) != 0) {
            e |= LARGE_YOUNG;
        }
        return largeHardwareBits(e);
    }

    /** Mirrors {@code pte_pfn()}, {@code pmd_pfn()} ({@code _SEGMENT_ENTRY_ORIGIN_LARGE}), {@code pud_pfn()}. */
    @Override
    public long leafPfn(Level level, long entry) {
        int l = ordinal(level);
        long mask = l == PTE ? PAGE_MASK : l == PMD ? SEGMENT_ENTRY_ORIGIN_LARGE : REGION3_ENTRY_ORIGIN_LARGE;
        return (entry & mask) >>> PAGE_SHIFT;
    }

    private static long bit(int l, long pteBit, long largeBit) {
        return l == PTE ? pteBit : largeBit;
    }

    /** Mirrors {@code pte_write()} / {@code pmd_write()}: the software write bit. */
    @Override
    public boolean leafWrite(Level level, long entry) {
        return (entry & bit(ordinal(level), PAGE_WRITE, LARGE_WRITE)) != 0;
    }

    /** Mirrors {@code pte_dirty()} / {@code pmd_dirty()}: the software dirty bit. */
    @Override
    public boolean leafDirty(Level level, long entry) {
        return (entry & bit(ordinal(level), PAGE_DIRTY, LARGE_DIRTY)) != 0;
    }

    /** Mirrors {@code pte_young()} / {@code pmd_young()}: the software young bit. */
    @Override
    public boolean leafYoung(Level level, long entry) {
        return (entry & bit(ordinal(level), PAGE_YOUNG, LARGE_YOUNG)) != 0;
    }

    /** Mirrors {@code pte_special()}; large entries have no special bit on s390. */
    @Override
    public boolean leafSpecial(Level level, long entry) {
        return ordinal(level) == PTE && (entry & PAGE_SPECIAL) != 0;
    }

    /**
     * Mirrors {@code pte_protnone()} (present, not readable) and {@code pmd_protnone()} (a large
     * entry without the read bit); the same rule for a 2G page.
     */
    @Override
    public boolean leafProtnone(Level level, long entry) {
        int l = ordinal(level);
        if (l == PTE) {
            return (entry & PAGE_PRESENT) != 0 && (entry & PAGE_READ) == 0;
        }
        return large(l, entry) && (entry & LARGE_READ) == 0;
    }

    /**
     * Mirrors the generic {@code pte_access_permitted()} / {@code pmd_access_permitted()}
     * (present, and writable for a write), which s390 does not override, plus the read bit: the
     * kernel keeps GUP-fast off a PROT_NONE PTE or 1M page with its protnone checks and off a
     * PROT_NONE 2G page because {@code pud_present()} sees its invalid bit; requiring the read
     * bit gives the same answers at every level.
     */
    @Override
    public boolean accessPermitted(Level level, long entry, boolean write) {
        int l = ordinal(level);
        if (!present(level, entry) || (entry & bit(l, PAGE_READ, LARGE_READ)) == 0) {
            return false;
        }
        return !write || (entry & bit(l, PAGE_WRITE, LARGE_WRITE)) != 0;
    }

    /** Mirrors {@code pte_mkwrite_novma()} / {@code pmd_mkwrite_novma()}: write bit; unprotect if dirty. */
    @Override
    public long mkWrite(Level level, long entry) {
        int l = ordinal(level);
        long e = entry | bit(l, PAGE_WRITE, LARGE_WRITE);
        if ((e & bit(l, PAGE_DIRTY, LARGE_DIRTY)) != 0) {
            e &= ~PAGE_PROTECT; // 0x200 at every level
        }
        return e;
    }

    /** Mirrors {@code pte_wrprotect()} / {@code pmd_wrprotect()}: clear write, protect. */
    @Override
    public long wrprotect(Level level, long entry) {
        int l = ordinal(level);
        return (entry & ~bit(l, PAGE_WRITE, LARGE_WRITE)) | PAGE_PROTECT;
    }

    /** Mirrors {@code pte_mkdirty()} / {@code pmd_mkdirty()}: dirty; unprotect if writable. */
    @Override
    public long mkDirty(Level level, long entry) {
        int l = ordinal(level);
        long e = entry | bit(l, PAGE_DIRTY, LARGE_DIRTY);
        if ((e & bit(l, PAGE_WRITE, LARGE_WRITE)) != 0) {
            e &= ~PAGE_PROTECT;
        }
        return e;
    }

    /** Mirrors {@code pte_mkclean()} / {@code pmd_mkclean()}: clear dirty, protect. */
    @Override
    public long mkClean(Level level, long entry) {
        int l = ordinal(level);
        return (entry & ~bit(l, PAGE_DIRTY, LARGE_DIRTY)) | PAGE_PROTECT;
    }

    /** Mirrors {@code pte_mkyoung()} / {@code pmd_mkyoung()}: young; hardware-valid if readable. */
    @Override
    public long mkYoung(Level level, long entry) {
        int l = ordinal(level);
        long e = entry | bit(l, PAGE_YOUNG, LARGE_YOUNG);
        if ((e & bit(l, PAGE_READ, LARGE_READ)) != 0) {
            e &= ~bit(l, PAGE_INVALID, SEGMENT_ENTRY_INVALID);
        }
        return e;
    }

    /** Mirrors {@code pte_mkold()} / {@code pmd_mkold()}: clear young, hardware-invalid. */
    @Override
    public long mkOld(Level level, long entry) {
        int l = ordinal(level);
        return (entry & ~bit(l, PAGE_YOUNG, LARGE_YOUNG)) | bit(l, PAGE_INVALID, SEGMENT_ENTRY_INVALID);
    }

    /** Mirrors {@code pte_mkspecial()}; large entries have no special bit and are returned unchanged. */
    @Override
    public long mkSpecial(Level level, long entry) {
        return ordinal(level) == PTE ? entry | PAGE_SPECIAL : entry;
    }

    /**
     * Mirrors {@code pte_modify()} and {@code pmd_modify()}: keep frame, special, dirty and young
     * (and the large bits), take the protection from {@code pgprot}, then protect a clean entry
     * and invalidate an old one so the hardware keeps faulting where the software bits say so.
     */
    @Override
    public long modify(Level level, long entry, long pgprot) {
        int l = ordinal(level);
        if (l == PTE) {
            long e = (entry & PAGE_CHG_MASK) | (pgprot & ~PAGE_CHG_MASK);
            if ((e & PAGE_DIRTY) == 0) {
                e |= PAGE_PROTECT;
            }
            if ((e & PAGE_YOUNG) == 0) {
                e |= PAGE_INVALID;
            }
            return e;
        }
        long keep = l == PMD ? SEGMENT_CHG_MASK : REGION3_CHG_MASK;
        return largeHardwareBits((entry & keep) | massagePgprotPmd(pgprot));
    }

    /**
     * Mirrors arch/s390/mm/mmap.c {@code protection_map} through {@code vm_get_page_prot()}: the
     * hardware has no write-only or execute-only, so any access is readable; private writable
     * mappings are {@code PAGE_RO} (copy on write); shared writable ones {@code PAGE_RW} or
     * {@code PAGE_RWX}; VM_EXEC drops NOEXEC; no access is {@code PAGE_NONE}.
     */
    @Override
    public long vmGetPageProt(long vmFlags) {
        return PROTECTION_MAP[protectionIndex(vmFlags)];
    }

    /**
     * Mirrors arch/s390/include/asm/pgtable.h {@code mk_swap_pte()}: a swap PTE is INVALID and
     * PROTECT with PRESENT clear ({@code (pte & 0x201) == 0x200} tells it apart), the offset from
     * bit 12 and the type in bits 2-6.
     */
    @Override
    public long mkSwpPte(int type, long offset) {
        checkSwpEntry(type, offset, 52);
        return PAGE_INVALID | PAGE_PROTECT | (offset << SWP_OFFSET_SHIFT) | ((long) type << SWP_TYPE_SHIFT);
    }

    /** Mirrors arch/s390/include/asm/pgtable.h {@code __swp_type()}. */
    @Override
    public int swpType(long pte) {
        return (int) ((pte >>> SWP_TYPE_SHIFT) & SWP_TYPE_MASK);
    }

    /** Mirrors arch/s390/include/asm/pgtable.h {@code __swp_offset()}. */
    @Override
    public long swpOffset(long pte) {
        return (pte >>> SWP_OFFSET_SHIFT) & SWP_OFFSET_MASK;
    }

    /** A bit of the trace form, shown as {@code name} when all of {@code bits} are set. */
    private record Flag(long bits, String name) {
    }

    /** The bits a PTE shows, in the order shown. */
    private static final List<Flag> PTE_FLAGS = List.of(new Flag(PAGE_PRESENT, "P"), new Flag(PAGE_YOUNG, "Y"),
            new Flag(PAGE_DIRTY, "D"), new Flag(PAGE_READ, "R"), new Flag(PAGE_WRITE, "W"),
            new Flag(PAGE_SPECIAL, "SPECIAL"), new Flag(PAGE_NOEXEC, "NX"), new Flag(PAGE_PROTECT, "PROT"),
            new Flag(PAGE_INVALID, "I"));

    /** The bits a 1M segment or 2G region-third leaf shows after {@code LARGE}, in the order shown. */
    private static final List<Flag> LARGE_FLAGS = List.of(new Flag(LARGE_YOUNG, "Y"), new Flag(LARGE_DIRTY, "D"),
            new Flag(LARGE_READ, "R"), new Flag(LARGE_WRITE, "W"), new Flag(SEGMENT_ENTRY_NOEXEC, "NX"),
            new Flag(SEGMENT_ENTRY_PROTECT, "PROT"), new Flag(SEGMENT_ENTRY_INVALID, "I"));

    /** Appends the names of {@code flags} set in {@code entry}; returns all their bits, set or not. */
    private static long flags(StringBuilder sb, long entry, List<Flag> flags) {
        long all = 0;
        for (Flag f : flags) {
            flag(sb, entry, f.bits(), f.name());
            all |= f.bits();
        }
        return all;
    }

    /**
     * A trace form: {@code none} for the kernel's empty values too; {@code table=0x...} and the
     * region type for a table entry; {@code pfn=0x...} and flags for a leaf, e.g.
     * {@code pfn=0x1234 P Y D R W}, with {@code I} and {@code PROT} for the hardware invalid and
     * protect bits and {@code LARGE} for a 1M or 2G page. Unknown bits are shown as
     * {@code other=0x...}.
     */
    @Override
    protected String describeEntry(Level level, long entry) {
        int l = level.ordinal();
        if (none(level, entry)) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(48);
        long known;
        if (l == PTE) {
            sb.append("pfn=0x").append(Long.toHexString(leafPfn(level, entry)));
            known = PAGE_MASK | flags(sb, entry, PTE_FLAGS);
        } else if (large(l, entry)) {
            sb.append("pfn=0x").append(Long.toHexString(leafPfn(level, entry))).append(" LARGE");
            known = (l == PMD ? SEGMENT_ENTRY_ORIGIN_LARGE : REGION3_ENTRY_ORIGIN_LARGE | REGION_ENTRY_TYPE_R3)
                    | SEGMENT_ENTRY_LARGE | flags(sb, entry, LARGE_FLAGS);
        } else {
            sb.append("table=0x").append(Long.toHexString(tablePhys(level, entry)));
            if (l == PMD) {
                known = SEGMENT_ENTRY_ORIGIN;
            } else {
                long type = entry & REGION_ENTRY_TYPE_MASK;
                sb.append(type == REGION_ENTRY_TYPE_R1 ? " R1" : type == REGION_ENTRY_TYPE_R2 ? " R2"
                        : type == REGION_ENTRY_TYPE_R3 ? " R3" : " R?");
                known = REGION_ENTRY_ORIGIN | REGION_ENTRY_TYPE_MASK | REGION_ENTRY_LENGTH;
            }
            flag(sb, entry, SEGMENT_ENTRY_INVALID, "I");
            known |= SEGMENT_ENTRY_INVALID;
        }
        other(sb, entry, known);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "s390 entry format";
    }
}
