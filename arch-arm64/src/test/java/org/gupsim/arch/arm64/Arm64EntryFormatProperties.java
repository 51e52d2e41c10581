package org.gupsim.arch.arm64;

import net.jqwik.api.constraints.IntRange;
import org.gupsim.testkit.SwapPtes;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_EXEC;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_READ;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_SHARED;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gupsim.pgtable.Level;

/**
 * Every kind of arm64 entry round-trips through {@link Arm64EntryFormat}, for every granule and
 * output-address layout: table descriptors at every level, pages, PMD and PUD blocks, PROT_NONE,
 * special and devmap entries, and the write / dirty / young transitions with the DBM semantics.
 */
class Arm64EntryFormatProperties {
    private static final List<Arm64EntryFormat> FORMATS = List.of(
            Arm64EntryFormat.of(12, false), Arm64EntryFormat.of(12, true), Arm64EntryFormat.of(14, false),
            Arm64EntryFormat.of(14, true), Arm64EntryFormat.of(16, false));

    /** A format, a leaf level it supports, and an aligned pfn it can hold. */
    record LeafCase(Arm64EntryFormat f, Level level, long pfn, long vmFlags) {
    }

    private static long pfnLimitBits(Arm64EntryFormat f) {
        return (f.lpa2() || f.pageShift() == 16 ? 52 : 48) - f.pageShift();
    }

    private static long alignPages(Arm64EntryFormat f, Level level) {
        int bpl = f.pageShift() - 3;
        return switch (level) {
            case PMD -> 1L << bpl;
            case PUD -> 1L << (2 * bpl);
            default -> 1;
        };
    }

    @Provide
    Arbitrary<LeafCase> leaves() {
        Arbitrary<Arm64EntryFormat> fs = Arbitraries.of(FORMATS);
        return fs.flatMap(f -> {
            List<Level> levels = f.pageShift() == 12 ? List.of(Level.PTE, Level.PMD, Level.PUD)
                    : List.of(Level.PTE, Level.PMD);
            return Arbitraries.of(levels).flatMap(level -> {
                long align = alignPages(f, level);
                long max = (1L << pfnLimitBits(f)) / align - 1;
                return Combinators.combine(Arbitraries.longs().between(0, max).withDistribution(
                                net.jqwik.api.RandomDistribution.biased()), Arbitraries.longs().between(0, 15))
                        .as((n, vm) -> new LeafCase(f, level, n * align, vm));
            });
        });
    }

    @Property(tries = 400)
    void leavesRoundTrip(@ForAll("leaves") LeafCase c) {
        Arm64EntryFormat f = c.f();
        Level l = c.level();
        long prot = f.vmGetPageProt(c.vmFlags());
        long e = f.mkLeaf(l, c.pfn(), prot);
        boolean none = prot == f.pageNone();
        assertFalse(f.none(l, e));
        assertTrue(f.present(l, e), "a PROT_NONE leaf is still present");
        assertTrue(f.leaf(l, e));
        assertEquals(c.pfn(), f.leafPfn(l, e));
        assertEquals(none, f.leafProtnone(l, e));
        assertEquals(!none, f.accessPermitted(l, e, false), "readable unless PROT_NONE");
        boolean sharedWrite = (c.vmFlags() & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
        assertEquals(sharedWrite, f.leafWrite(l, e), "only shared writable VMAs start writable");
        assertEquals(sharedWrite, f.accessPermitted(l, e, true));
        assertFalse(f.leafDirty(l, e), "new entries are clean");
        assertTrue(f.leafYoung(l, e), "_PAGE_DEFAULT has AF");
        assertFalse(f.leafSpecial(l, e));
        assertFalse(f.leafDevmap(l, e));
        if (l != Level.PTE) {
            assertEquals(0, e & Arm64EntryFormat.TABLE_BIT, "a block has the table bit clear");
        }
        assertTrue(f.describe(l, e).startsWith("pfn=0x" + Long.toHexString(c.pfn())), f.describe(l, e));
    }

    @Property(tries = 300)
    void transitionsKeepTheFrameAndFollowDbmSemantics(@ForAll("leaves") LeafCase c) {
        Arm64EntryFormat f = c.f();
        Level l = c.level();
        long e = f.mkLeaf(l, c.pfn(), f.vmGetPageProt(c.vmFlags() | VM_READ));
        long w = f.mkWrite(l, e);
        assertTrue(f.leafWrite(l, w));
        assertFalse(f.leafDirty(l, w), "writable but clean: DBM with RDONLY");
        long wd = f.mkDirty(l, w);
        assertTrue(f.leafDirty(l, wd));
        assertEquals(0, wd & Arm64EntryFormat.RDONLY, "hardware-dirty: DBM without RDONLY");
        long ro = f.wrprotect(l, wd);
        assertFalse(f.leafWrite(l, ro));
        assertFalse(f.accessPermitted(l, ro, true));
        assertTrue(f.leafDirty(l, ro), "wrprotect keeps dirtiness in the software bit");
        assertTrue(f.leafDirty(l, f.mkWrite(l, ro)), "and mkwrite makes it hardware-dirty again");
        assertEquals(0, f.mkWrite(l, ro) & Arm64EntryFormat.RDONLY);
        long clean = f.mkClean(l, wd);
        assertFalse(f.leafDirty(l, clean));
        assertTrue(f.leafWrite(l, clean));
        assertFalse(f.leafYoung(l, f.mkOld(l, e)));
        assertTrue(f.leafYoung(l, f.mkYoung(l, f.mkOld(l, e))));
        long sp = f.mkSpecial(l, e);
        assertTrue(f.leafSpecial(l, sp));
        long dev = f.mkDevmap(l, e);
        assertTrue(f.leafDevmap(l, dev));
        assertEquals(l == Level.PTE, f.leafSpecial(l, dev), "a devmap PTE is special too, a huge one is not");
        for (long x : new long[] {w, wd, ro, clean, sp, dev, f.mkOld(l, e)}) {
            assertEquals(c.pfn(), f.leafPfn(l, x));
            assertTrue(f.leaf(l, x) && f.present(l, x));
        }
    }

    /**
     * A contiguous entry (one of a hugetlb group, PTE or PMD level) is the same leaf with PTE_CONT:
     * frame, permissions and the write / dirty / young / modify transitions are those of the plain
     * entry, and every transition keeps the bit, as the group must stay whole.
     */
    @Property(tries = 300)
    void contiguousEntriesRoundTripAndKeepTheBit(@ForAll("leaves") LeafCase c, @ForAll("vmFlags") long to) {
        Arm64EntryFormat f = c.f();
        Level l = c.level();
        if (l == Level.PUD) {
            assertThrows(IllegalArgumentException.class, () -> f.mkCont(l, 0));
            return;
        }
        long e = f.mkLeaf(l, c.pfn(), f.vmGetPageProt(c.vmFlags() | VM_READ));
        long ce = f.mkCont(l, e);
        assertTrue(f.leafCont(l, ce));
        assertFalse(f.leafCont(l, e));
        assertEquals(e | Arm64EntryFormat.CONT, ce);
        assertTrue(f.leaf(l, ce) && f.present(l, ce) && !f.none(l, ce));
        assertEquals(c.pfn(), f.leafPfn(l, ce));
        assertEquals(f.accessPermitted(l, e, true), f.accessPermitted(l, ce, true));
        assertEquals(f.accessPermitted(l, e, false), f.accessPermitted(l, ce, false));
        assertTrue(f.describe(l, ce).contains(" CONT"), f.describe(l, ce));
        long prot = f.vmGetPageProt(to);
        long[][] pairs = {
            {f.mkWrite(l, e), f.mkWrite(l, ce)}, {f.mkDirty(l, e), f.mkDirty(l, ce)},
            {f.wrprotect(l, f.mkDirty(l, f.mkWrite(l, e))), f.wrprotect(l, f.mkDirty(l, f.mkWrite(l, ce)))},
            {f.mkClean(l, e), f.mkClean(l, ce)}, {f.mkOld(l, e), f.mkOld(l, ce)},
            {f.mkYoung(l, e), f.mkYoung(l, ce)}, {f.modify(l, e, prot), f.modify(l, ce, prot)},
        };
        for (long[] p : pairs) {
            assertEquals(p[0] | Arm64EntryFormat.CONT, p[1], f.describe(l, p[1]));
            assertEquals(f.leafWrite(l, p[0]), f.leafWrite(l, p[1]));
            assertEquals(f.leafDirty(l, p[0]), f.leafDirty(l, p[1]));
            assertEquals(c.pfn(), f.leafPfn(l, p[1]));
        }
    }

    @Property(tries = 300)
    void modifyTakesPermissionsAndKeepsTheRest(@ForAll("leaves") LeafCase c, @ForAll("vmFlags") long to,
                                               @ForAll boolean dirty, @ForAll boolean special) {
        Arm64EntryFormat f = c.f();
        Level l = c.level();
        long e = f.mkLeaf(l, c.pfn(), f.vmGetPageProt(c.vmFlags()));
        if (dirty) {
            e = f.mkDirty(l, e);
        }
        if (special) {
            e = f.mkSpecial(l, e);
        }
        long m = f.modify(l, e, f.vmGetPageProt(to));
        long fresh = f.mkLeaf(l, c.pfn(), f.vmGetPageProt(to));
        assertEquals(c.pfn(), f.leafPfn(l, m));
        assertEquals(dirty, f.leafDirty(l, m), "dirtiness survives mprotect");
        assertEquals(special, f.leafSpecial(l, m));
        assertTrue(f.leaf(l, m) && f.present(l, m), "a block stays a block");
        assertEquals(f.leafProtnone(l, fresh), f.leafProtnone(l, m));
        assertEquals(f.leafWrite(l, fresh), f.leafWrite(l, m));
        assertEquals(f.accessPermitted(l, fresh, false), f.accessPermitted(l, m, false));
    }

    @Provide
    Arbitrary<Long> vmFlags() {
        return Arbitraries.longs().between(0, 15);
    }

    @Provide
    Arbitrary<Arm64EntryFormat> formats() {
        return Arbitraries.of(FORMATS);
    }

    @Property(tries = 200)
    void tablesRoundTripAtEveryLevel(@ForAll("formats") Arm64EntryFormat f, @ForAll("tableLevels") Level l,
                                     @ForAll("frames") long frame) {
        long pfn = frame % (1L << pfnLimitBits(f));
        long phys = pfn << f.pageShift();
        long e = f.mkTable(l, phys);
        assertEquals(phys, f.tablePhys(l, e));
        assertFalse(f.none(l, e));
        assertTrue(f.present(l, e));
        assertFalse(f.leaf(l, e), "a table descriptor is not a leaf");
        assertTrue(f.describe(l, e).startsWith("table=0x" + Long.toHexString(phys)), f.describe(l, e));
    }

    @Provide
    Arbitrary<Level> tableLevels() {
        return Arbitraries.of(Level.PGD, Level.P4D, Level.PUD, Level.PMD);
    }

    @Provide
    Arbitrary<Long> frames() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Example
    void emptyEntriesAreNoneAndNotPresent() {
        for (Arm64EntryFormat f : FORMATS) {
            for (Level l : Level.values()) {
                assertTrue(f.none(l, 0));
                assertFalse(f.present(l, 0));
                assertEquals("none", f.describe(l, 0));
            }
        }
    }

    @Example
    void bitPositionsAreTheKernels() {
        // arch/arm64/include/asm/pgtable-hwdef.h and pgtable-prot.h
        assertEquals(1L, Arm64EntryFormat.VALID);
        assertEquals(1L << 1, Arm64EntryFormat.TABLE_BIT);
        assertEquals(1L << 6, Arm64EntryFormat.USER);
        assertEquals(1L << 7, Arm64EntryFormat.RDONLY);
        assertEquals(3L << 8, Arm64EntryFormat.SHARED);
        assertEquals(1L << 10, Arm64EntryFormat.AF);
        assertEquals(1L << 11, Arm64EntryFormat.NG);
        assertEquals(Arm64EntryFormat.NG, Arm64EntryFormat.PRESENT_INVALID);
        assertEquals(1L << 51, Arm64EntryFormat.DBM);
        assertEquals(Arm64EntryFormat.DBM, Arm64EntryFormat.WRITE);
        assertEquals(1L << 52, Arm64EntryFormat.CONT);
        assertEquals(1L << 53, Arm64EntryFormat.PXN);
        assertEquals(1L << 54, Arm64EntryFormat.UXN);
        assertEquals(1L << 55, Arm64EntryFormat.DIRTY);
        assertEquals(1L << 56, Arm64EntryFormat.SPECIAL);
        assertEquals(1L << 57, Arm64EntryFormat.DEVMAP);
    }

    @Example
    void protectionMapIsArm64s() {
        Arm64EntryFormat f = Arm64EntryFormat.of(12, false);
        long pageDefault = Arm64EntryFormat.TYPE_PAGE | Arm64EntryFormat.AF | Arm64EntryFormat.SHARED;
        long userRo = pageDefault | Arm64EntryFormat.USER | Arm64EntryFormat.RDONLY | Arm64EntryFormat.NG
                | Arm64EntryFormat.PXN;
        assertEquals((pageDefault & ~Arm64EntryFormat.VALID) | Arm64EntryFormat.RDONLY | Arm64EntryFormat.NG
                | Arm64EntryFormat.PXN | Arm64EntryFormat.UXN, f.vmGetPageProt(0), "PAGE_NONE");
        assertEquals(f.vmGetPageProt(0), f.vmGetPageProt(VM_SHARED), "VM_SHARED alone: PAGE_NONE");
        for (long vm : new long[] {VM_READ, VM_WRITE, VM_READ | VM_WRITE, VM_SHARED | VM_READ}) {
            assertEquals(userRo | Arm64EntryFormat.UXN, f.vmGetPageProt(vm), "PAGE_READONLY for " + vm);
        }
        assertEquals(userRo | Arm64EntryFormat.UXN | Arm64EntryFormat.WRITE, f.vmGetPageProt(VM_SHARED | VM_WRITE),
                "PAGE_SHARED");
        assertEquals(userRo, f.vmGetPageProt(VM_EXEC), "PAGE_READONLY_EXEC (no Enhanced PAN execute-only)");
        assertEquals(userRo | Arm64EntryFormat.WRITE, f.vmGetPageProt(VM_SHARED | VM_WRITE | VM_EXEC),
                "PAGE_SHARED_EXEC");
        assertEquals(0, Arm64EntryFormat.of(14, true).vmGetPageProt(VM_READ) & Arm64EntryFormat.SHARED,
                "with LPA2 bits 9:8 are address bits, shareability is in TCR");
        assertTrue(f.hasPteSpecial());
    }

    @Example
    void highAddressBitsMoveWhereTheGranuleSays() {
        long pfn = 1L << 37; // physical bit 49 (4K), 51 (16K) or 53 (64K, out of range)
        Arm64EntryFormat lpa2 = Arm64EntryFormat.of(12, true);
        long e = lpa2.mkLeaf(Level.PTE, (1L << 38) | 1, lpa2.vmGetPageProt(VM_READ)); // PA bit 50
        assertEquals(1L << 8, e & (3L << 8), "LPA2: PA[51:50] in bits 9:8");
        assertEquals((1L << 38) | 1, lpa2.leafPfn(Level.PTE, e));
        Arm64EntryFormat k64 = Arm64EntryFormat.of(16, false);
        long e64 = k64.mkLeaf(Level.PTE, 1L << 32, k64.vmGetPageProt(VM_READ)); // PA bit 48
        assertEquals(1L << 12, e64 & (0xfL << 12), "64K: PA[51:48] in bits 15:12");
        assertEquals(1L << 32, k64.leafPfn(Level.PTE, e64));
        Arm64EntryFormat k4 = Arm64EntryFormat.of(12, false);
        assertThrows(IllegalArgumentException.class, () -> k4.mkLeaf(Level.PTE, pfn, 0), "48-bit PA without LPA2");
        assertThrows(IllegalArgumentException.class, () -> k4.mkLeaf(Level.PMD, 1, 0), "an unaligned block");
        assertThrows(IllegalArgumentException.class, () -> Arm64EntryFormat.of(14, false).mkLeaf(Level.PUD, 0, 0),
                "no PUD blocks with 16K");
        assertThrows(IllegalArgumentException.class, () -> Arm64EntryFormat.of(16, true), "no LPA2 with 64K");
        assertThrows(IllegalArgumentException.class, () -> k4.mkTable(Level.PTE, 0));
        assertThrows(IllegalArgumentException.class, () -> k4.present(null, 0));
    }

    @Example
    void protNoneIsPresentInvalidAndAnInvalidatedBlockIsNot() {
        Arm64EntryFormat f = Arm64EntryFormat.of(12, false);
        long block = f.mkLeaf(Level.PMD, 512, f.vmGetPageProt(VM_READ | VM_WRITE));
        // pmd_mkinvalid(): VALID cleared, PRESENT_INVALID set, user bits kept
        long invalidated = (block & ~Arm64EntryFormat.VALID) | Arm64EntryFormat.PRESENT_INVALID;
        assertTrue(f.present(Level.PMD, invalidated));
        assertTrue(f.leaf(Level.PMD, invalidated));
        assertFalse(f.leafProtnone(Level.PMD, invalidated), "still a user mapping: not PROT_NONE");
        assertFalse(f.accessPermitted(Level.PMD, invalidated, false));
        long pte = f.mkLeaf(Level.PTE, 7, f.vmGetPageProt(0));
        assertTrue(f.leafProtnone(Level.PTE, pte));
        assertTrue(f.describe(Level.PTE, pte).contains("PRESENT_INVALID"), f.describe(Level.PTE, pte));
    }

    @Provide
    Arbitrary<Long> swapOffsets() {
        return SwapPtes.offsets();
    }

    @Property
    void swapPtesRoundTrip(@ForAll @IntRange(max = 4) int format, @ForAll @IntRange(max = 31) int type,
                           @ForAll("swapOffsets") long offset, @ForAll boolean exclusive) {
        SwapPtes.assertRoundTrip(FORMATS.get(format), type, offset, exclusive);
    }
}
