package org.gupsim.arch.s390;

import static org.gupsim.arch.s390.S390EntryFormat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;

/**
 * s390's entry formats: the testkit's round trips ({@link org.gupsim.testkit.EntryFormatSuite})
 * over PTEs, 1M segment and 2G region-third leaves and region and segment table entries, and what
 * is s390's own: region types and table lengths, 2K page tables, the hardware invalid and protect
 * bits that emulate referenced and changed, the kernel's empty values, the real bit values.
 */
class S390EntryFormatProperties extends org.gupsim.testkit.EntryFormatSuite {
    private static final S390EntryFormat F = S390EntryFormat.INSTANCE;

    @Override
    protected List<S390EntryFormat> formats() {
        return List.of(F);
    }

    @Override
    protected long leafPages(EntryFormat format, Level level) {
        return level == Level.PTE ? 1 : level == Level.PMD ? 256 : 1L << 19;
    }

    @Override
    protected long pfnLimit(EntryFormat format) {
        return 1L << 40;
    }

    /** Page tables (below a segment entry) are 2K-aligned, region and segment tables 4K. */
    @Override
    protected long tableAlign(EntryFormat format, Level level) {
        return level == Level.PMD ? 2048 : 4096;
    }

    @Override
    protected long tablePhysLimit(EntryFormat format) {
        return 1L << 40;
    }

    /** Large entries have no special bit. */
    @Override
    protected boolean hasSpecial(EntryFormat format, Level level) {
        return level == Level.PTE;
    }

    /** No ARCH_HAS_PTE_DEVMAP. */
    @Override
    protected boolean hasDevmap(EntryFormat format, Level level) {
        return false;
    }

    @Property
    void tableEntriesCarryTheirRegionType(@ForAll("tables") TableCase c) {
        Level level = c.level();
        long phys = c.phys();
        long e = F.mkTable(level, phys);
        if (level != Level.PMD) {
            long type = level == Level.PGD ? REGION_ENTRY_TYPE_R1 : level == Level.P4D ? REGION_ENTRY_TYPE_R2
                    : REGION_ENTRY_TYPE_R3;
            assertEquals(type | REGION_ENTRY_LENGTH, e & (REGION_ENTRY_TYPE_MASK | REGION_ENTRY_LENGTH),
                    "a region entry carries its table's type and the full length");
            assertFalse(F.present(level, e | REGION_ENTRY_INVALID), "an invalid region entry is not present");
        } else {
            assertEquals(phys, e, "a segment entry is the page table's origin");
        }
    }

    /** A new leaf is old and clean: hardware-invalid and hardware-protected; NOEXEC unless VM_EXEC. */
    @Property
    void newLeavesAreOldAndClean(@ForAll("leaves") LeafCase c) {
        Level level = c.level();
        long e = c.entry();
        long vmFlags = c.vmFlags();
        boolean any = (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
        assertFalse(F.leafYoung(level, e));
        long hwInvalid = level == Level.PTE ? PAGE_INVALID : SEGMENT_ENTRY_INVALID;
        assertTrue((e & hwInvalid) != 0, "an old leaf is hardware-invalid");
        assertTrue((e & PAGE_PROTECT) != 0, "a clean leaf is hardware-protected");
        assertEquals((vmFlags & VM_EXEC) == 0 || !any, (e & PAGE_NOEXEC) != 0 || !any, "NOEXEC unless VM_EXEC");
    }

    @Property
    void softwareBitsDriveTheHardwareBits(@ForAll("leaves") LeafCase c,
                                          @ForAll boolean young, @ForAll boolean dirty, @ForAll boolean write) {
        Level level = c.level();
        long pfn = c.pfn();
        long vmFlags = c.vmFlags();
        long e = withAnswers(F, level, c.entry(), write, dirty, young);
        boolean readable = (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
        long hwInvalid = level == Level.PTE ? PAGE_INVALID : SEGMENT_ENTRY_INVALID;
        assertEquals(!(young && readable), (e & hwInvalid) != 0,
                "hardware-valid exactly when young and readable: " + F.describe(level, e));
        assertEquals(!(dirty && write), (e & PAGE_PROTECT) != 0,
                "hardware-writable exactly when dirty and writable: " + F.describe(level, e));
        // mprotect takes the new protection and keeps the hardware bits in step.
        long m = F.modify(level, e, F.vmGetPageProt(VM_READ));
        assertEquals(pfn, F.leafPfn(level, m));
        assertTrue((m & PAGE_PROTECT) != 0);
    }

    @Property
    void specialPtes(@ForAll @LongRange(min = 0, max = (1L << 40) - 1) long pfn, @ForAll @IntRange(min = 0, max = 15)
            int vmFlags) {
        long e = F.mkSpecial(Level.PTE, F.mkLeaf(Level.PTE, pfn, F.vmGetPageProt(vmFlags)));
        assertTrue(F.leafSpecial(Level.PTE, e));
        assertEquals(pfn, F.leafPfn(Level.PTE, e));
        assertTrue(F.leafSpecial(Level.PTE, F.modify(Level.PTE, e, F.vmGetPageProt(VM_READ))), "mprotect keeps special");
        assertTrue(F.describe(Level.PTE, e).contains("SPECIAL"));
    }

    @Example
    void theKernelsEmptyValuesAreNone() {
        assertTrue(F.none(Level.PTE, 0));
        assertTrue(F.none(Level.PTE, PAGE_INVALID));
        assertTrue(F.none(Level.PMD, SEGMENT_ENTRY_INVALID));
        assertTrue(F.none(Level.PUD, REGION_ENTRY_TYPE_R3 | REGION_ENTRY_INVALID));
        assertTrue(F.none(Level.P4D, REGION_ENTRY_TYPE_R2 | REGION_ENTRY_INVALID));
        assertTrue(F.none(Level.PGD, REGION_ENTRY_TYPE_R1 | REGION_ENTRY_INVALID));
        assertEquals("none", F.describe(Level.PMD, SEGMENT_ENTRY_INVALID));
        assertEquals("none", F.describe(Level.PTE, PAGE_INVALID));
    }

    @Example
    void theRealBitValues() {
        assertEquals(0x001, PAGE_PRESENT);
        assertEquals(0x004, PAGE_YOUNG);
        assertEquals(0x008, PAGE_DIRTY);
        assertEquals(0x010, PAGE_READ);
        assertEquals(0x020, PAGE_WRITE);
        assertEquals(0x040, PAGE_SPECIAL);
        assertEquals(0x080, PAGE_UNUSED);
        assertEquals(0x100, PAGE_NOEXEC);
        assertEquals(0x200, PAGE_PROTECT);
        assertEquals(0x400, PAGE_INVALID);
        assertEquals(0x800, PAGE_LARGE);
        assertEquals(0x400, SEGMENT_ENTRY_LARGE);
        assertEquals(0x20, SEGMENT_ENTRY_INVALID);
        assertEquals(0x200, SEGMENT_ENTRY_PROTECT);
        assertEquals(0x0c, REGION_ENTRY_TYPE_MASK);
        // protection_map: PROT_NONE, private write is copy-on-write, shared write is writable.
        assertEquals(PAGE_NONE_PROT, F.vmGetPageProt(0));
        assertEquals(PAGE_RO, F.vmGetPageProt(VM_READ | VM_WRITE));
        assertEquals(PAGE_RW, F.vmGetPageProt(VM_READ | VM_WRITE | VM_SHARED));
        assertEquals(PAGE_RWX, F.vmGetPageProt(VM_READ | VM_WRITE | VM_EXEC | VM_SHARED));
        assertEquals(PAGE_RX, F.vmGetPageProt(VM_EXEC));
        assertTrue(F.hasPteSpecial());
    }

    @Example
    void s390MisuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PMD, 1, PAGE_RW), "unaligned 1M page");
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PUD, 256, PAGE_RW), "unaligned 2G page");
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.P4D, 0, PAGE_RW), "no leaf at P4D");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PUD, 0x800), "crst tables are 4K-aligned");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PMD, 0x400), "page tables are 2K-aligned");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PTE, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> F.none(null, 0));
    }
}
