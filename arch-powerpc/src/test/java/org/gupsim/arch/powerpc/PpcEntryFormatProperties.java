package org.gupsim.arch.powerpc;

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

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.testkit.EntryFormatSuite;

/**
 * book3s64's entry format, radix and hash, every page size: the testkit's round trips
 * ({@link EntryFormatSuite}) and what is book3s64's own: {@code _PAGE_PTE} in every leaf and no
 * table entry, NLS in radix table entries, write implying read, soft-dirty, {@code protection_map}
 * with exec-only on radix only, the R/C and HPTE bits {@code pte_none()} ignores, the trace form.
 */
class PpcEntryFormatProperties extends EntryFormatSuite {

    @Override
    protected List<PpcEntryFormat> formats() {
        return Arrays.stream(PpcBaseVariant.values()).map(PpcBaseVariant::entryFormat).toList();
    }

    private static PpcBaseVariant base(EntryFormat format) {
        return Arrays.stream(PpcBaseVariant.values()).filter(b -> b.entryFormat() == format).findFirst().orElseThrow();
    }

    @Override
    protected List<Level> leafLevels(EntryFormat format) {
        return List.of(Level.PTE, Level.PMD, Level.PUD);
    }

    @Override
    protected long leafPages(EntryFormat format, Level level) {
        PpcBaseVariant b = base(format);
        return b.layout().mmGeometry().size(level) >>> b.layout().pageShift();
    }

    @Override
    protected long pfnLimit(EntryFormat format) {
        return 1L << (PpcEntryFormat.PAGE_PA_MAX - base(format).layout().pageShift());
    }

    /** The model's book3s64 tables hang below a P4D entry; there is no PGD entry to make. */
    @Override
    protected List<Level> tableLevels(EntryFormat format) {
        return List.of(Level.P4D, Level.PUD, Level.PMD);
    }

    /** {@code PMD_MASKED_BITS}: tables are 256-byte aligned. */
    @Override
    protected long tableAlign(EntryFormat format, Level level) {
        return 256;
    }

    @Override
    protected long tablePhysLimit(EntryFormat format) {
        return 1L << PpcEntryFormat.PAGE_PA_MAX;
    }

    /** Radix can map exec-only ({@code PAGE_EXECONLY_X}), which a user read may not use; hash adds VM_READ. */
    @Override
    protected boolean readable(EntryFormat format, long vmFlags) {
        boolean execOnly = (vmFlags & (PpcEntryFormat.VM_READ | PpcEntryFormat.VM_WRITE | PpcEntryFormat.VM_EXEC))
                == PpcEntryFormat.VM_EXEC;
        return super.readable(format, vmFlags) && !(execOnly && ((PpcEntryFormat) format).radix());
    }

    @Property
    void tableEntriesAreBook3s64s(@ForAll("tables") TableCase c) {
        PpcEntryFormat f = (PpcEntryFormat) c.format();
        Level level = c.level();
        long e = f.mkTable(level, c.phys());
        assertEquals(0, e & PTE, "no _PAGE_PTE in a table entry");
        long nls = f.radix() ? base(f).layout().mmGeometry().bits(level.below()) : 0;
        assertEquals(PRESENT | nls, e & ~f.tablePhys(level, e), "PMD_VAL_BITS: PRESENT, and NLS on radix only");
        assertFalse(f.leafDevmap(level, e));
    }

    @Property
    void modifiersToggleOnlyTheirBits(@ForAll("leaves") LeafCase leaf) {
        PpcEntryFormat f = (PpcEntryFormat) leaf.format();
        Level l = leaf.level();
        long e = leaf.entry();
        assertEquals(PTE, e & PTE, "pfn_pte() adds _PAGE_PTE");
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
    void modifyKeepsFrameDirtyYoungAndTakesTheNewProtection(@ForAll("leaves") LeafCase leaf,
                                                           @ForAll("vmFlags") long newFlags) {
        PpcEntryFormat f = (PpcEntryFormat) leaf.format();
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
}
