package org.gupsim.arch.powerpc;

import net.jqwik.api.constraints.IntRange;
import org.gupsim.testkit.SwapPtes;
import static org.gupsim.arch.powerpc.PpcEntryFormat.ACCESSED;
import static org.gupsim.arch.powerpc.PpcEntryFormat.DEVMAP;
import static org.gupsim.arch.powerpc.PpcEntryFormat.DIRTY;
import static org.gupsim.arch.powerpc.PpcEntryFormat.EXEC;
import static org.gupsim.arch.powerpc.PpcEntryFormat.INVALID;
import static org.gupsim.arch.powerpc.PpcEntryFormat.PAGE_NONE;
import static org.gupsim.arch.powerpc.PpcEntryFormat.PRESENT;
import static org.gupsim.arch.powerpc.PpcEntryFormat.PRIVILEGED;
import static org.gupsim.arch.powerpc.PpcEntryFormat.PTE;
import static org.gupsim.arch.powerpc.PpcEntryFormat.READ;
import static org.gupsim.arch.powerpc.PpcEntryFormat.SOFT_DIRTY;
import static org.gupsim.arch.powerpc.PpcEntryFormat.SPECIAL;
import static org.gupsim.arch.powerpc.PpcEntryFormat.WRITE;
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
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/** Round trips of every kind of book3s64 entry through {@link PpcEntryFormat}, for radix and hash. */
class PpcEntryFormatProperties {

    /** A leaf of one base variant: level, an aligned pfn, the protection of some VMA. */
    record Leaf(PpcBaseVariant base, Level level, long pfn, long prot) {
        PpcEntryFormat f() {
            return base.entryFormat();
        }

        long entry() {
            return f().mkLeaf(level, pfn, prot);
        }
    }

    @Provide
    Arbitrary<Level> upperLevels() {
        return Arbitraries.of(Level.P4D, Level.PUD, Level.PMD);
    }

    @Provide
    Arbitrary<Leaf> leaves() {
        Arbitrary<PpcBaseVariant> base = Arbitraries.of(PpcBaseVariant.class);
        Arbitrary<Level> level = Arbitraries.of(Level.PTE, Level.PMD, Level.PUD);
        Arbitrary<Long> pfn = Arbitraries.longs().between(0, (1L << 37) - 1);
        Arbitrary<Integer> vmFlags = Arbitraries.integers().between(0, 15);
        return Combinators.combine(base, level, pfn, vmFlags).as((b, l, p, fl) -> {
            Geometry g = b.geometry();
            long maxPfn = (1L << (PpcEntryFormat.PAGE_PA_MAX - b.pageShift())) - 1;
            long aligned = (p & maxPfn) & -(g.size(l) >>> b.pageShift());
            return new Leaf(b, l, aligned, b.entryFormat().vmGetPageProt(fl));
        });
    }

    @Property
    void tableEntriesRoundTrip(@ForAll PpcBaseVariant base, @ForAll("upperLevels") Level level,
                               @ForAll("tableAddr") long phys) {
        PpcEntryFormat f = base.entryFormat();
        long e = f.mkTable(level, phys);
        assertFalse(f.none(level, e));
        assertTrue(f.present(level, e));
        assertFalse(f.leaf(level, e), "a table entry is not a leaf");
        assertEquals(phys, f.tablePhys(level, e));
        assertEquals(0, e & PTE, "no _PAGE_PTE in a table entry");
        long nls = base.radix() ? base.geometry().bits(level.below()) : 0;
        assertEquals(PRESENT | nls, e & ~f.tablePhys(level, e), "PMD_VAL_BITS: PRESENT, and NLS on radix only");
        assertFalse(f.leafDevmap(level, e));
    }

    @Provide
    Arbitrary<Long> tableAddr() {
        return Arbitraries.longs().between(0, (1L << 45) - 1).map(x -> x << 8);
    }

    @Property
    void leavesRoundTrip(@ForAll("leaves") Leaf leaf) {
        PpcEntryFormat f = leaf.f();
        Level l = leaf.level();
        long e = leaf.entry();
        assertFalse(f.none(l, e));
        assertTrue(f.present(l, e));
        assertTrue(f.leaf(l, e));
        assertEquals(leaf.pfn(), f.leafPfn(l, e));
        assertEquals(PTE, e & PTE, "pfn_pte() adds _PAGE_PTE");
        assertEquals((leaf.prot() & WRITE) != 0, f.leafWrite(l, e));
        assertEquals((leaf.prot() & ACCESSED) != 0, f.leafYoung(l, e));
        assertFalse(f.leafDirty(l, e));
        assertFalse(f.leafSpecial(l, e));
        assertFalse(f.leafDevmap(l, e));
        boolean protnone = leaf.prot() == PAGE_NONE;
        assertEquals(protnone, f.leafProtnone(l, e));
        assertEquals(!protnone && (leaf.prot() & READ) != 0, f.accessPermitted(l, e, false));
        assertEquals((leaf.prot() & WRITE) != 0, f.accessPermitted(l, e, true));
    }

    @Property
    void modifiersToggleOnlyTheirBits(@ForAll("leaves") Leaf leaf) {
        PpcEntryFormat f = leaf.f();
        Level l = leaf.level();
        long e = leaf.entry();
        long w = f.mkWrite(l, e);
        assertTrue(f.leafWrite(l, w));
        assertTrue(f.accessPermitted(l, w, true) || (e & PRIVILEGED) != 0, "write implies read unless privileged");
        assertEquals(e & ~WRITE, f.wrprotect(l, w) & ~READ | (e & READ));
        assertFalse(f.leafWrite(l, f.wrprotect(l, w)));
        long d = f.mkDirty(l, e);
        assertTrue(f.leafDirty(l, d));
        assertEquals(SOFT_DIRTY, d & SOFT_DIRTY, "pte_mkdirty() also sets soft-dirty");
        assertFalse(f.leafDirty(l, f.mkClean(l, d)));
        assertEquals(e | SOFT_DIRTY, f.mkClean(l, d));
        assertTrue(f.leafYoung(l, f.mkYoung(l, e)));
        assertFalse(f.leafYoung(l, f.mkOld(l, e)));
        assertTrue(f.leafSpecial(l, f.mkSpecial(l, e)));
        long dev = f.mkDevmap(l, e);
        assertTrue(f.leafDevmap(l, dev));
        assertEquals(l == Level.PTE, f.leafSpecial(l, dev), "only a devmap PTE is also special");
        for (long x : new long[] {w, d, dev, f.mkOld(l, e)}) {
            assertEquals(leaf.pfn(), f.leafPfn(l, x), "modifiers keep the frame");
            assertTrue(f.present(l, x));
        }
    }

    @Property
    void modifyKeepsFrameDirtyYoungAndTakesTheNewProtection(@ForAll("leaves") Leaf leaf,
                                                           @ForAll("vmFlags") int newFlags) {
        PpcEntryFormat f = leaf.f();
        Level l = leaf.level();
        long e = f.mkDirty(l, f.mkYoung(l, f.mkSpecial(l, leaf.entry())));
        long prot = f.vmGetPageProt(newFlags);
        long m = f.modify(l, e, prot);
        assertEquals(leaf.pfn(), f.leafPfn(l, m));
        assertTrue(f.leafDirty(l, m));
        assertTrue(f.leafYoung(l, m));
        assertTrue(f.leaf(l, m));
        assertEquals(l == Level.PTE, f.leafSpecial(l, m), "_HPAGE_CHG_MASK has no _PAGE_SPECIAL");
        assertEquals((prot & WRITE) != 0, f.leafWrite(l, m));
        assertEquals(prot == PAGE_NONE, f.leafProtnone(l, m), "mprotect(PROT_NONE) makes the entry protnone");
        assertTrue(f.present(l, m), "PROT_NONE stays present for the kernel");
    }

    @Provide
    Arbitrary<Integer> vmFlags() {
        return Arbitraries.integers().between(0, 15);
    }

    @Example
    void protectionMapFollowsTheKernel() {
        PpcEntryFormat radix = PpcBaseVariant.RADIX_64K.entryFormat();
        PpcEntryFormat hash = PpcBaseVariant.HASH_64K.entryFormat();
        long base = PRESENT | ACCESSED;
        for (PpcEntryFormat f : new PpcEntryFormat[] {radix, hash}) {
            assertEquals(base | PRIVILEGED, f.vmGetPageProt(0), "PAGE_NONE");
            assertEquals(base | PRIVILEGED, f.vmGetPageProt(8), "VM_SHARED alone is PAGE_NONE");
            assertEquals(base | READ, f.vmGetPageProt(1), "PAGE_READONLY");
            assertEquals(base | READ, f.vmGetPageProt(3), "private writable is PAGE_COPY");
            assertEquals(base | READ, f.vmGetPageProt(2), "write-only private is PAGE_COPY");
            assertEquals(base | READ | WRITE, f.vmGetPageProt(8 | 2), "shared write implies read");
            assertEquals(base | READ | WRITE | EXEC, f.vmGetPageProt(15), "PAGE_SHARED_X");
            assertEquals(base | READ | EXEC, f.vmGetPageProt(7), "PAGE_COPY_X");
        }
        assertEquals(base | EXEC, radix.vmGetPageProt(4), "radix: PAGE_EXECONLY_X");
        assertEquals(base | READ | EXEC, hash.vmGetPageProt(4), "hash cannot do exec-only: VM_READ added");
        long execOnly = radix.mkLeaf(Level.PTE, 5, radix.vmGetPageProt(4));
        assertFalse(radix.leafProtnone(Level.PTE, execOnly), "exec-only is not PROT_NONE");
        assertFalse(radix.accessPermitted(Level.PTE, execOnly, false), "but GUP-fast may not read it");
    }

    @Example
    void emptyInvalidAndSerialisingEntries() {
        for (PpcBaseVariant b : PpcBaseVariant.values()) {
            PpcEntryFormat f = b.entryFormat();
            for (Level l : Level.values()) {
                assertTrue(f.none(l, 0));
                assertFalse(f.present(l, 0));
            }
            // radix__pte_none(): an R/C writeback into an empty slot leaves it empty.
            assertEquals(b.radix(), f.none(Level.PTE, DIRTY | ACCESSED));
            assertEquals(!b.radix(), f.none(Level.PTE, PpcEntryFormat.H_PAGE_HASHPTE));
            long leaf = f.mkLeaf(Level.PMD, 0, f.vmGetPageProt(3));
            long invalidated = (leaf & ~PRESENT) | INVALID; // pmdp_invalidate()
            assertTrue(f.present(Level.PMD, invalidated), "a PMD being split is still present");
            assertFalse(f.accessPermitted(Level.PMD, invalidated, false), "pmd_is_serializing() keeps GUP-fast off");
            long pte = f.mkLeaf(Level.PTE, 9, f.vmGetPageProt(3));
            assertTrue(f.present(Level.PTE, (pte & ~PRESENT) | INVALID), "pte_present() honours _PAGE_INVALID");
            assertFalse(f.present(Level.PTE, pte & ~PRESENT), "without INVALID a cleared PRESENT is not present");
            assertFalse(f.leaf(Level.PGD, PTE | PRESENT), "no leaves above the PUD in the model");
        }
    }

    @Example
    void misuseIsRefused() {
        PpcEntryFormat f = PpcBaseVariant.RADIX_64K.entryFormat();
        assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(Level.PMD, 1, 0), "unaligned 2M leaf");
        assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(Level.P4D, 0, 0), "no leaf at the top");
        assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(Level.PTE, 1L << 37, 0), "pfn above 2^53");
        assertThrows(IllegalArgumentException.class, () -> f.mkTable(Level.PTE, 0), "no table below a PTE");
        assertThrows(IllegalArgumentException.class, () -> f.mkTable(Level.PMD, 0x80), "table not 256-byte aligned");
        assertThrows(IllegalArgumentException.class, () -> f.none(null, 0));
        PpcEntryFormat h = PpcBaseVariant.HASH_64K.entryFormat();
        assertThrows(IllegalArgumentException.class, () -> h.mkLeaf(Level.PMD, 128, 0), "a 16M leaf needs 256-page alignment");
    }

    @Example
    void describeNamesTheBits() {
        PpcEntryFormat f = PpcBaseVariant.RADIX_64K.entryFormat();
        assertEquals("none", f.describe(Level.PTE, 0));
        assertEquals("table=0x10000 P nls=5", f.describe(Level.PMD, f.mkTable(Level.PMD, 0x10000)));
        long e = f.mkDirty(Level.PTE, f.mkLeaf(Level.PTE, 0x12, f.vmGetPageProt(8 | 3)));
        assertEquals("pfn=0x12 P PTE R W A D SOFT_DIRTY", f.describe(Level.PTE, e));
        assertEquals("pfn=0x12 P PTE PRIV A", f.describe(Level.PTE, f.mkLeaf(Level.PTE, 0x12, PAGE_NONE)));
        PpcEntryFormat h = PpcBaseVariant.HASH_64K.entryFormat();
        assertEquals("table=0x10000 P", h.describe(Level.PMD, h.mkTable(Level.PMD, 0x10000)));
    }

    @Provide
    Arbitrary<Long> swapOffsets() {
        return SwapPtes.offsets();
    }

    @Property
    void swapPtesRoundTrip(@ForAll PpcBaseVariant base, @ForAll @IntRange(max = 31) int type,
                           @ForAll("swapOffsets") long offset, @ForAll boolean exclusive) {
        SwapPtes.assertRoundTrip(base.entryFormat(), type, offset, exclusive);
    }
}
