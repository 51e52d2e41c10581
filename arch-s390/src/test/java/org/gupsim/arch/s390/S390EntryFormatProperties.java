package org.gupsim.arch.s390;

import org.gupsim.testkit.SwapPtes;
import static org.gupsim.arch.s390.S390EntryFormat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.gupsim.pgtable.Level;
import org.junit.jupiter.api.Test;

/** Every kind of s390 entry round-trips through the format, with the real bit layout. */
class S390EntryFormatProperties {
    private static final S390EntryFormat F = S390EntryFormat.INSTANCE;
    private static final Level[] LEAF_LEVELS = {Level.PTE, Level.PMD, Level.PUD};

    @Provide
    Arbitrary<Level> leafLevels() {
        return Arbitraries.of(LEAF_LEVELS);
    }

    @Provide
    Arbitrary<Level> tableLevels() {
        return Arbitraries.of(Level.PGD, Level.P4D, Level.PUD, Level.PMD);
    }

    /** A pfn aligned to the leaf's size at {@code level}. */
    private static long aligned(Level level, long pfn) {
        long pages = level == Level.PTE ? 1 : level == Level.PMD ? 256 : 1L << 19;
        return (pfn / pages) * pages;
    }

    @Property
    void tableEntriesPointAtTheirTable(@ForAll("tableLevels") Level level,
                                       @ForAll @LongRange(min = 1, max = (1L << 28) - 1) long frame,
                                       @ForAll @IntRange(min = 0, max = 1) int half) {
        long phys = (frame << 12) + (level == Level.PMD ? half * 2048L : 0);
        long e = F.mkTable(level, phys);
        assertFalse(F.none(level, e));
        assertTrue(F.present(level, e));
        assertFalse(F.leaf(level, e), F.describe(level, e));
        assertEquals(phys, F.tablePhys(level, e));
        if (level != Level.PMD) {
            long type = level == Level.PGD ? REGION_ENTRY_TYPE_R1 : level == Level.P4D ? REGION_ENTRY_TYPE_R2
                    : REGION_ENTRY_TYPE_R3;
            assertEquals(type | REGION_ENTRY_LENGTH, e & (REGION_ENTRY_TYPE_MASK | REGION_ENTRY_LENGTH),
                    "a region entry carries its table's type and the full length");
            assertFalse(F.present(level, e | REGION_ENTRY_INVALID), "an invalid region entry is not present");
        } else {
            assertEquals(phys, e, "a segment entry is the page table's origin");
        }
        assertTrue(F.describe(level, e).startsWith("table=0x" + Long.toHexString(phys)), F.describe(level, e));
    }

    @Property
    void leavesRoundTripForEveryProtection(@ForAll("leafLevels") Level level,
                                           @ForAll @LongRange(min = 0, max = (1L << 40) - 1) long rawPfn,
                                           @ForAll @IntRange(min = 0, max = 15) int vmFlags) {
        long pfn = aligned(level, rawPfn);
        long prot = F.vmGetPageProt(vmFlags);
        long e = F.mkLeaf(level, pfn, prot);
        boolean any = (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
        boolean sharedWrite = (vmFlags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
        assertFalse(F.none(level, e));
        assertTrue(F.present(level, e), "PROT_NONE and old leaves stay present: " + F.describe(level, e));
        assertTrue(F.leaf(level, e));
        assertEquals(pfn, F.leafPfn(level, e));
        assertEquals(!any, F.leafProtnone(level, e), F.describe(level, e));
        assertEquals(any, F.accessPermitted(level, e, false));
        assertEquals(sharedWrite, F.leafWrite(level, e), "only shared writable mappings start writable");
        assertEquals(sharedWrite, F.accessPermitted(level, e, true));
        assertFalse(F.leafDirty(level, e));
        assertFalse(F.leafYoung(level, e));
        assertFalse(F.leafSpecial(level, e));
        assertFalse(F.leafDevmap(level, e));
        long hwInvalid = level == Level.PTE ? PAGE_INVALID : SEGMENT_ENTRY_INVALID;
        assertTrue((e & hwInvalid) != 0, "an old leaf is hardware-invalid");
        assertTrue((e & PAGE_PROTECT) != 0, "a clean leaf is hardware-protected");
        assertEquals((vmFlags & VM_EXEC) == 0 || !any, (e & PAGE_NOEXEC) != 0 || !any, "NOEXEC unless VM_EXEC");
    }

    @Property
    void softwareBitsDriveTheHardwareBits(@ForAll("leafLevels") Level level,
                                          @ForAll @LongRange(min = 0, max = (1L << 40) - 1) long rawPfn,
                                          @ForAll @IntRange(min = 0, max = 15) int vmFlags,
                                          @ForAll boolean young, @ForAll boolean dirty, @ForAll boolean write) {
        long pfn = aligned(level, rawPfn);
        long e = F.mkLeaf(level, pfn, F.vmGetPageProt(vmFlags));
        e = young ? F.mkYoung(level, e) : F.mkOld(level, e);
        e = write ? F.mkWrite(level, e) : F.wrprotect(level, e);
        e = dirty ? F.mkDirty(level, e) : F.mkClean(level, e);
        boolean readable = (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
        assertEquals(pfn, F.leafPfn(level, e));
        assertEquals(young, F.leafYoung(level, e));
        assertEquals(dirty, F.leafDirty(level, e));
        assertEquals(write, F.leafWrite(level, e));
        long hwInvalid = level == Level.PTE ? PAGE_INVALID : SEGMENT_ENTRY_INVALID;
        assertEquals(!(young && readable), (e & hwInvalid) != 0,
                "hardware-valid exactly when young and readable: " + F.describe(level, e));
        assertEquals(!(dirty && write), (e & PAGE_PROTECT) != 0,
                "hardware-writable exactly when dirty and writable: " + F.describe(level, e));
        assertTrue(F.present(level, e));
        assertTrue(F.leaf(level, e));
        // mprotect keeps the frame and the software state, takes the new protection.
        long m = F.modify(level, e, F.vmGetPageProt(VM_READ));
        assertEquals(pfn, F.leafPfn(level, m));
        assertEquals(young, F.leafYoung(level, m));
        assertEquals(dirty, F.leafDirty(level, m));
        assertFalse(F.leafWrite(level, m));
        assertTrue(F.accessPermitted(level, m, false));
        assertFalse(F.leafProtnone(level, m));
        assertTrue((m & PAGE_PROTECT) != 0);
        long none = F.modify(level, e, F.vmGetPageProt(0));
        assertTrue(F.leafProtnone(level, none));
        assertTrue(F.present(level, none));
        assertFalse(F.accessPermitted(level, none, false));
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

    @Test
    void emptyValuesAndZeroAreNone() {
        assertTrue(F.none(Level.PTE, 0));
        assertTrue(F.none(Level.PTE, PAGE_INVALID));
        assertTrue(F.none(Level.PMD, SEGMENT_ENTRY_INVALID));
        assertTrue(F.none(Level.PUD, REGION_ENTRY_TYPE_R3 | REGION_ENTRY_INVALID));
        assertTrue(F.none(Level.P4D, REGION_ENTRY_TYPE_R2 | REGION_ENTRY_INVALID));
        assertTrue(F.none(Level.PGD, REGION_ENTRY_TYPE_R1 | REGION_ENTRY_INVALID));
        for (Level l : Level.values()) {
            assertTrue(F.none(l, 0));
            assertFalse(F.present(l, 0));
            assertEquals("none", F.describe(l, 0));
        }
    }

    @Test
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

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PMD, 1, PAGE_RW), "unaligned 1M page");
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PUD, 256, PAGE_RW), "unaligned 2G page");
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.P4D, 0, PAGE_RW), "no leaf at P4D");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PUD, 0x800), "crst tables are 4K-aligned");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PMD, 0x400), "page tables are 2K-aligned");
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PTE, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> F.none(null, 0));
    }

    @Provide
    Arbitrary<Long> swapOffsets() {
        return SwapPtes.offsets();
    }

    @Property
    void swapPtesRoundTrip(@ForAll @IntRange(max = 31) int type, @ForAll("swapOffsets") long offset,
                           @ForAll boolean exclusive) {
        SwapPtes.assertRoundTrip(F, type, offset, exclusive);
    }
}
