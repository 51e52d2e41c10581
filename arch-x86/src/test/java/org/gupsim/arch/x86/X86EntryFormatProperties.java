package org.gupsim.arch.x86;

import org.gupsim.testkit.SwapPtes;
import static org.gupsim.arch.x86.X86EntryFormat.ACCESSED;
import static org.gupsim.arch.x86.X86EntryFormat.DEVMAP;
import static org.gupsim.arch.x86.X86EntryFormat.DIRTY;
import static org.gupsim.arch.x86.X86EntryFormat.NX;
import static org.gupsim.arch.x86.X86EntryFormat.PAGE_NONE;
import static org.gupsim.arch.x86.X86EntryFormat.PRESENT;
import static org.gupsim.arch.x86.X86EntryFormat.PROTNONE;
import static org.gupsim.arch.x86.X86EntryFormat.PSE;
import static org.gupsim.arch.x86.X86EntryFormat.RW;
import static org.gupsim.arch.x86.X86EntryFormat.SPECIAL;
import static org.gupsim.arch.x86.X86EntryFormat.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.gupsim.pgtable.Level;

/** Round trips of every kind of x86-64 entry through {@link X86EntryFormat}. */
class X86EntryFormatProperties {
    private static final X86EntryFormat F = X86EntryFormat.INSTANCE;
    private static final long MAX_PFN = (1L << 40) - 1;

    /** A leaf: its level, an aligned pfn, and the protection of some VMA. */
    record Leaf(Level level, long pfn, long prot) {
        long entry() {
            return F.mkLeaf(level, pfn, prot);
        }
    }

    @Provide
    Arbitrary<Level> upperLevels() {
        return Arbitraries.of(Level.PGD, Level.P4D, Level.PUD, Level.PMD);
    }

    @Provide
    Arbitrary<Long> tablePhys() {
        return Arbitraries.longs().between(0, MAX_PFN).map(pfn -> pfn << 12);
    }

    @Provide
    Arbitrary<Long> prots() {
        return Arbitraries.integers().between(0, 15).map(F::vmGetPageProt);
    }

    @Provide
    Arbitrary<Leaf> leaves() {
        Arbitrary<Level> level = Arbitraries.of(Level.PTE, Level.PMD, Level.PUD);
        Arbitrary<Long> pfn = Arbitraries.longs().between(0, MAX_PFN);
        return Combinators.combine(level, pfn, prots())
                .as((l, p, prot) -> new Leaf(l, alignDown(l, p), prot));
    }

    private static long alignDown(Level level, long pfn) {
        return switch (level) {
            case PMD -> pfn & ~511L;
            case PUD -> pfn & ~((1L << 18) - 1);
            default -> pfn;
        };
    }

    @Property
    void tableEntriesRoundTrip(@ForAll("upperLevels") Level level, @ForAll("tablePhys") long phys) {
        long e = F.mkTable(level, phys);
        assertFalse(F.none(level, e));
        assertTrue(F.present(level, e));
        assertFalse(F.leaf(level, e), "a table entry is not a leaf");
        assertEquals(phys, F.tablePhys(level, e));
        assertEquals(PRESENT | RW | USER | ACCESSED | DIRTY, e & ~X86EntryFormat.PTE_PFN_MASK);
        assertFalse(F.leafProtnone(level, e));
        assertTrue(F.describe(level, e).startsWith("table=0x" + Long.toHexString(phys) + " P RW U A D"));
    }

    @Property
    void mkTableRefusesUnalignedOrTooHighAddresses(@ForAll("upperLevels") Level level,
            @ForAll @LongRange(min = 1, max = 4095) long offset) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> F.mkTable(level, 0x5000 + offset));
        assertTrue(ex.getMessage().contains("tablePhys"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(level, 1L << 52));
    }

    @Property
    void leavesRoundTrip(@ForAll("leaves") Leaf leaf) {
        Level level = leaf.level();
        long e = leaf.entry();
        boolean protnone = leaf.prot() == PAGE_NONE;
        assertFalse(F.none(level, e));
        assertTrue(F.present(level, e), "a leaf, even PROT_NONE, is present to the kernel");
        assertTrue(F.leaf(level, e));
        assertEquals(leaf.pfn(), F.leafPfn(level, e));
        assertEquals(protnone, F.leafProtnone(level, e));
        assertEquals((leaf.prot() & RW) != 0, F.leafWrite(level, e));
        assertTrue(F.leafYoung(level, e), "every protection_map entry has ACCESSED");
        assertFalse(F.leafDirty(level, e));
        assertFalse(F.leafSpecial(level, e));
        assertFalse(F.leafDevmap(level, e));
        assertEquals(level != Level.PTE, (e & PSE) != 0, "PSE marks 2M and 1G leaves only");
        assertEquals(!protnone, F.accessPermitted(level, e, false));
        assertEquals(!protnone && (leaf.prot() & RW) != 0, F.accessPermitted(level, e, true));
        assertTrue(F.describe(level, e).startsWith("pfn=0x" + Long.toHexString(leaf.pfn())));
        assertEquals(protnone, F.describe(level, e).contains("PROTNONE"));
    }

    @Property
    void writeToggles(@ForAll("leaves") Leaf leaf) {
        Level level = leaf.level();
        long e = leaf.entry();
        long w = F.mkWrite(level, e);
        long ro = F.wrprotect(level, e);
        assertTrue(F.leafWrite(level, w));
        assertFalse(F.leafWrite(level, ro));
        assertEquals(ro, F.wrprotect(level, w));
        assertEquals(w, F.mkWrite(level, ro));
        assertEquals(e & ~RW, ro, "only RW changes");
        assertSameExcept(level, e, w, RW);
    }

    @Property
    void dirtyToggles(@ForAll("leaves") Leaf leaf) {
        Level level = leaf.level();
        long e = leaf.entry();
        long d = F.mkDirty(level, e);
        long c = F.mkClean(level, d);
        assertTrue(F.leafDirty(level, d));
        assertFalse(F.leafDirty(level, c));
        assertEquals(e, c);
        assertEquals(d, F.mkDirty(level, d));
        assertSameExcept(level, e, d, DIRTY);
    }

    @Property
    void youngToggles(@ForAll("leaves") Leaf leaf) {
        Level level = leaf.level();
        long e = leaf.entry();
        long old = F.mkOld(level, e);
        long young = F.mkYoung(level, old);
        assertFalse(F.leafYoung(level, old));
        assertTrue(F.leafYoung(level, young));
        assertEquals(e, young, "all protection_map entries start young");
        assertSameExcept(level, e, old, ACCESSED);
    }

    @Property
    void specialAndDevmap(@ForAll("leaves") Leaf leaf) {
        Level level = leaf.level();
        long e = leaf.entry();
        long s = F.mkSpecial(level, e);
        assertTrue(F.leafSpecial(level, s));
        assertFalse(F.leafDevmap(level, s));
        assertSameExcept(level, e, s, SPECIAL);
        assertTrue(F.describe(level, s).contains(" SPECIAL"));

        long d = F.mkDevmap(level, e);
        assertTrue(F.leafDevmap(level, d));
        // pte_mkdevmap() also sets _PAGE_SPECIAL; pmd_mkdevmap()/pud_mkdevmap() do not
        assertEquals(level == Level.PTE, F.leafSpecial(level, d));
        assertTrue(F.describe(level, d).contains(" DEVMAP"));
    }

    @Property
    void modifyKeepsPageStateAndTakesProtection(@ForAll("leaves") Leaf leaf, @ForAll("prots") long newProt,
            @ForAll boolean dirty, @ForAll boolean young, @ForAll boolean special, @ForAll boolean devmap) {
        Level level = leaf.level();
        long e = leaf.entry();
        e = dirty ? F.mkDirty(level, e) : F.mkClean(level, e);
        e = young ? F.mkYoung(level, e) : F.mkOld(level, e);
        e = special ? F.mkSpecial(level, e) : e;
        e = devmap ? e | DEVMAP : e;

        long m = F.modify(level, e, newProt);
        assertEquals(leaf.pfn(), F.leafPfn(level, m));
        assertEquals(dirty, F.leafDirty(level, m));
        assertEquals(young, F.leafYoung(level, m));
        assertEquals(special, F.leafSpecial(level, m));
        assertEquals(devmap, F.leafDevmap(level, m));
        assertTrue(F.leaf(level, m));
        assertTrue(F.present(level, m));
        assertEquals(newProt == PAGE_NONE, F.leafProtnone(level, m));
        assertEquals((newProt & RW) != 0, F.leafWrite(level, m));
        assertEquals((newProt & NX) != 0, (m & NX) != 0);
        assertEquals(newProt != PAGE_NONE, F.accessPermitted(level, m, false));
        // modify to the entry's own protection changes nothing
        assertEquals(e, F.modify(level, e, leaf.prot()));
    }

    @Property
    void accessPermittedIsPresentUserAndWritable(@ForAll @IntRange(min = 0, max = 0x3ff) int flags,
            @ForAll boolean write) {
        long e = (0x1234L << 12) | flags;
        boolean expected = (e & PRESENT) != 0 && (e & USER) != 0 && (!write || (e & RW) != 0);
        for (Level level : Level.values()) {
            assertEquals(expected, F.accessPermitted(level, e, write), level + " " + F.describe(level, e));
        }
    }

    @Property
    void protnoneIsGlobalBitWithoutPresent(@ForAll @IntRange(min = 0, max = 0x3ff) int flags) {
        long e = (0x42L << 12) | flags;
        boolean expected = (flags & PRESENT) == 0 && (flags & PROTNONE) != 0;
        assertEquals(expected, F.leafProtnone(Level.PTE, e));
        assertEquals((flags & (PRESENT | PROTNONE)) != 0, F.present(Level.PTE, e));
        assertEquals((flags & (PRESENT | PROTNONE | PSE)) != 0, F.present(Level.PMD, e),
                "pmd_present also counts PSE (pmdp_invalidate during a split)");
        assertEquals((flags & PRESENT) != 0, F.present(Level.P4D, e));
        assertEquals((flags & PRESENT) != 0, F.present(Level.PGD, e));
    }

    @Property
    void noneOnlyForZero(@ForAll long e) {
        for (Level level : Level.values()) {
            assertEquals(e == 0, F.none(level, e));
        }
    }

    @Property
    void hugeLeavesMustBeAligned(@ForAll @LongRange(min = 1, max = 511) long offset) {
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PMD, 512 + offset, PAGE_NONE));
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PUD, (1L << 18) + offset, PAGE_NONE));
    }

    @Example
    void leafKindsAndLevelsAreChecked() {
        long prot = F.vmGetPageProt(X86EntryFormat.VM_READ);
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PGD, 0, prot));
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.P4D, 0, prot));
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PTE, -1, prot));
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PTE, 1L << 40, prot));
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PTE, 1, 1L << 12));
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(Level.PTE, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> F.tablePhys(Level.PTE, 0x1000));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> F.present(null, 1));
        assertTrue(ex.getMessage().contains("level"), ex.getMessage());
        assertFalse(F.leaf(Level.PGD, PSE | PRESENT), "x86 has no PGD/P4D leaves");
        assertFalse(F.leaf(Level.P4D, PSE | PRESENT));
        assertTrue(F.leaf(Level.PTE, 0), "PTEs are always leaves");
        assertTrue(F.hasPteSpecial());
    }

    @Example
    void describeExamples() {
        assertEquals("none", F.describe(Level.PTE, 0));
        assertEquals("pfn=0x1234 P RW U A D", F.describe(Level.PTE, F.mkLeaf(Level.PTE, 0x1234, PRESENT | RW | USER | ACCESSED | DIRTY)));
        assertEquals("pfn=0x1234 A PROTNONE", F.describe(Level.PTE, F.mkLeaf(Level.PTE, 0x1234, PAGE_NONE)));
        assertEquals("pfn=0x200 P U A PSE NX", F.describe(Level.PMD, F.mkLeaf(Level.PMD, 0x200, X86EntryFormat.PAGE_READONLY)));
        assertEquals("table=0x5000 P RW U A D", F.describe(Level.PUD, F.mkTable(Level.PUD, 0x5000)));
    }

    /** {@code b} differs from {@code a} in {@code bits} at most, and in particular keeps the pfn and PSE. */
    private static void assertSameExcept(Level level, long a, long b, long bits) {
        assertEquals(a & ~bits, b & ~bits);
        assertEquals(F.leafPfn(level, a), F.leafPfn(level, b));
        assertEquals(F.leaf(level, a), F.leaf(level, b));
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
