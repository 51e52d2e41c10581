package org.gupsim.arch.arm64;

import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_EXEC;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_READ;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_SHARED;
import static org.gupsim.arch.arm64.Arm64EntryFormat.VM_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.testkit.EntryFormatSuite;

/**
 * arm64's entry format for every granule and output-address layout: the testkit's round trips
 * ({@link EntryFormatSuite}) over pages, PMD and (4K) PUD blocks and table descriptors, and what
 * is arm64's own: the DBM semantics of write and dirty, contiguous entries, the bit positions,
 * {@code protection_map}, where the high address bits go, PROT_NONE as present-invalid.
 */
class Arm64EntryFormatProperties extends EntryFormatSuite {
    private static final List<Arm64EntryFormat> FORMATS = List.of(
            Arm64EntryFormat.of(12, false), Arm64EntryFormat.of(12, true), Arm64EntryFormat.of(14, false),
            Arm64EntryFormat.of(14, true), Arm64EntryFormat.of(16, false));

    @Override
    protected List<Arm64EntryFormat> formats() {
        return FORMATS;
    }

    @Override
    protected List<Level> leafLevels(EntryFormat format) {
        return ((Arm64EntryFormat) format).pageShift() == 12 ? List.of(Level.PTE, Level.PMD, Level.PUD)
                : List.of(Level.PTE, Level.PMD);
    }

    @Override
    protected long leafPages(EntryFormat format, Level level) {
        int bpl = ((Arm64EntryFormat) format).pageShift() - 3;
        return switch (level) {
            case PMD -> 1L << bpl;
            case PUD -> 1L << (2 * bpl);
            default -> 1;
        };
    }

    @Override
    protected long pfnLimit(EntryFormat format) {
        Arm64EntryFormat f = (Arm64EntryFormat) format;
        return 1L << ((f.lpa2() || f.pageShift() == 16 ? 52 : 48) - f.pageShift());
    }

    @Override
    protected long tableAlign(EntryFormat format, Level level) {
        return 1L << ((Arm64EntryFormat) format).pageShift();
    }

    @Override
    protected long tablePhysLimit(EntryFormat format) {
        return pfnLimit(format) * tableAlign(format, Level.PMD);
    }

    @Property(tries = 300)
    void transitionsKeepTheFrameAndFollowDbmSemantics(@ForAll("leaves") LeafCase c) {
        Arm64EntryFormat f = (Arm64EntryFormat) c.format();
        Level l = c.level();
        long e = f.mkLeaf(l, c.pfn(), f.vmGetPageProt(c.vmFlags() | VM_READ));
        assertTrue(f.leafYoung(l, e), "_PAGE_DEFAULT has AF");
        if (l != Level.PTE) {
            assertEquals(0, e & Arm64EntryFormat.TABLE_BIT, "a block has the table bit clear");
        }
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
        Arm64EntryFormat f = (Arm64EntryFormat) c.format();
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
        Arm64EntryFormat f = (Arm64EntryFormat) c.format();
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
}
