package org.gupsim.testkit;

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
import net.jqwik.api.constraints.IntRange;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;

/**
 * What every architecture's page-table entry format must do, whatever its bits: the contract of
 * the kernel's {@code pXd_*()} helpers as the generic code relies on it. Tables and leaves round
 * trip at every level the format has them; {@code protection_map} gives what
 * {@code vm_get_page_prot()} promises (PROT_NONE leaves present but inaccessible, private writable
 * mappings read-only until CoW, shared writable ones writable); each of the write, dirty and young
 * setters changes its own answer and no other; {@code pte_modify()} keeps frame, dirty and young
 * and takes the permissions; swap PTEs round trip ({@link SwapPtes}); misuse is refused.
 *
 * <p>An architecture module's test subclasses this with its formats and their sizes; what is its
 * own (the bit positions, its trace form, DBM or emulated referenced/changed bits) stays in its
 * own test. The number of tries comes from jqwik's {@code @PropertyDefaults} on the subclass.
 */
public abstract class EntryFormatSuite {

    /** A leaf to make: a format, a level where it has leaves, an aligned frame it holds, VM_* flags. */
    public record LeafCase(EntryFormat format, Level level, long pfn, long vmFlags) {
        /** {@code pfn_pte(pfn, vm_get_page_prot(vmFlags))} at {@code level}. */
        public long entry() {
            return format.mkLeaf(level, pfn, format.vmGetPageProt(vmFlags));
        }

        @Override
        public String toString() {
            return format + " " + level + " pfn=0x" + Long.toHexString(pfn) + " vm_flags=0x" + Long.toHexString(vmFlags);
        }
    }

    /** A table entry to make: a format, a level above PTE, the next table's physical address. */
    public record TableCase(EntryFormat format, Level level, long phys) {
        @Override
        public String toString() {
            return format + " " + level + " table=0x" + Long.toHexString(phys);
        }
    }

    private static final long VM_READ = 0x1;
    private static final long VM_WRITE = 0x2;
    private static final long VM_EXEC = 0x4;
    private static final long VM_SHARED = 0x8;

    /** The formats to check, e.g. one per granule. */
    protected abstract List<? extends EntryFormat> formats();

    /**
     * The levels where {@code format} makes leaves ({@code mkLeaf}), PTE first; by default PTE,
     * PMD and PUD, as on x86-64, s390 and powerpc.
     */
    protected List<Level> leafLevels(EntryFormat format) {
        return List.of(Level.PTE, Level.PMD, Level.PUD);
    }

    /** Base pages in a leaf of {@code format} at {@code level}: the alignment of its frame. */
    protected abstract long leafPages(EntryFormat format, Level level);

    /** One past the highest frame {@code format} holds. */
    protected abstract long pfnLimit(EntryFormat format);

    /** The alignment in bytes of a table {@code format} points to from {@code level}. */
    protected abstract long tableAlign(EntryFormat format, Level level);

    /** One past the highest table address {@code format} holds. */
    protected abstract long tablePhysLimit(EntryFormat format);

    /** The levels that hold table entries in {@code format}: by default PGD, P4D, PUD, PMD. */
    protected List<Level> tableLevels(EntryFormat format) {
        return List.of(Level.PGD, Level.P4D, Level.PUD, Level.PMD);
    }

    /**
     * Whether a user read of a leaf with {@code vmFlags}'s protection is allowed
     * ({@code pte_access_permitted(pte, false)}): by default any of VM_READ, VM_WRITE, VM_EXEC,
     * as where the hardware cannot express write-only or execute-only.
     */
    protected boolean readable(EntryFormat format, long vmFlags) {
        return (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
    }

    /** Whether {@code format} has a special bit at {@code level}: by default {@code hasPteSpecial()}. */
    protected boolean hasSpecial(EntryFormat format, Level level) {
        return format.hasPteSpecial();
    }

    /** Whether {@code format} has a devmap bit at {@code level} ({@code ARCH_HAS_PTE_DEVMAP}): by default yes. */
    protected boolean hasDevmap(EntryFormat format, Level level) {
        return true;
    }

    /** The leaves to make: every format, every leaf level, aligned frames over the whole range, any VM_* flags. */
    @Provide
    public Arbitrary<LeafCase> leaves() {
        return Arbitraries.of(formats()).flatMap(f -> Arbitraries.of(leafLevels(f)).flatMap(level -> {
            long pages = leafPages(f, level);
            Arbitrary<Long> n = Arbitraries.longs().between(0, pfnLimit(f) / pages - 1);
            return Combinators.combine(n, vmFlags()).as((i, vm) -> new LeafCase(f, level, i * pages, vm));
        }));
    }

    /** The table entries to make: every format, every table level, aligned addresses over the whole range. */
    @Provide
    public Arbitrary<TableCase> tables() {
        return Arbitraries.of(formats()).flatMap(f -> Arbitraries.of(tableLevels(f)).flatMap(level -> {
            long align = tableAlign(f, level);
            return Arbitraries.longs().between(1, tablePhysLimit(f) / align - 1)
                    .map(i -> new TableCase(f, level, i * align));
        }));
    }

    /** Any combination of VM_READ, VM_WRITE, VM_EXEC, VM_SHARED. */
    @Provide
    public Arbitrary<Long> vmFlags() {
        return Arbitraries.longs().between(0, 15);
    }

    @Provide
    Arbitrary<Long> swapOffsets() {
        return SwapPtes.offsets();
    }

    private static boolean sharedWrite(long vmFlags) {
        return (vmFlags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
    }

    private static boolean noAccess(long vmFlags) {
        return (vmFlags & (VM_READ | VM_WRITE | VM_EXEC)) == 0;
    }

    /** {@code pXd_populate()} then {@code pXd_none()}, {@code pXd_present()}, {@code pXd_leaf()}, the table's address. */
    @Property
    void tableEntriesRoundTrip(@ForAll("tables") TableCase c) {
        EntryFormat f = c.format();
        Level l = c.level();
        long e = f.mkTable(l, c.phys());
        String what = c + ": " + f.describe(l, e);
        assertFalse(f.none(l, e), what);
        assertTrue(f.present(l, e), what);
        assertFalse(f.leaf(l, e), "a table entry is not a leaf: " + what);
        assertEquals(c.phys(), f.tablePhys(l, e), what);
        assertFalse(f.leafProtnone(l, e), what);
        assertTrue(f.describe(l, e).startsWith("table=0x" + Long.toHexString(c.phys())), what);
    }

    /**
     * {@code pfn_pte(pfn, vm_get_page_prot(flags))}: a present leaf, even PROT_NONE, with its
     * frame; inaccessible exactly when PROT_NONE; writable exactly when shared and writable
     * (private writable mappings start read-only, so the first write copies); clean, not special,
     * not devmap.
     */
    @Property
    void leavesRoundTrip(@ForAll("leaves") LeafCase c) {
        EntryFormat f = c.format();
        Level l = c.level();
        long e = c.entry();
        String what = c + ": " + f.describe(l, e);
        assertFalse(f.none(l, e), what);
        assertTrue(f.present(l, e), "a leaf, even PROT_NONE, is present to the kernel: " + what);
        assertTrue(f.leaf(l, e), what);
        assertEquals(c.pfn(), f.leafPfn(l, e), what);
        assertEquals(noAccess(c.vmFlags()), f.leafProtnone(l, e), what);
        assertEquals(readable(f, c.vmFlags()), f.accessPermitted(l, e, false), what);
        assertEquals(sharedWrite(c.vmFlags()), f.leafWrite(l, e), "only shared writable VMAs start writable: " + what);
        assertEquals(sharedWrite(c.vmFlags()), f.accessPermitted(l, e, true), what);
        assertFalse(f.leafDirty(l, e), "a new leaf is clean: " + what);
        assertFalse(f.leafSpecial(l, e), what);
        assertFalse(f.leafDevmap(l, e), what);
        assertTrue(f.describe(l, e).startsWith("pfn=0x" + Long.toHexString(c.pfn())), what);
    }

    /**
     * {@code pte_mkwrite_novma()} / {@code pte_wrprotect()}, {@code pte_mkdirty()} /
     * {@code pte_mkclean()}, {@code pte_mkyoung()} / {@code pte_mkold()}: each sets or clears its
     * own answer, leaves the other two as they were, and keeps the frame and the leaf.
     */
    @Property
    void writeDirtyAndYoungChangeOnlyTheirOwnAnswer(@ForAll("leaves") LeafCase c, @ForAll boolean dirty,
                                                    @ForAll boolean young, @ForAll boolean write) {
        EntryFormat f = c.format();
        Level l = c.level();
        long e = c.entry();
        e = withAnswers(f, l, e, write, dirty, young);
        assertState(c, e, write, dirty, young);
        assertState(c, f.mkWrite(l, e), true, dirty, young);
        assertState(c, f.wrprotect(l, e), false, dirty, young);
        assertState(c, f.mkDirty(l, e), write, true, young);
        assertState(c, f.mkClean(l, e), write, false, young);
        assertState(c, f.mkYoung(l, e), write, dirty, true);
        assertState(c, f.mkOld(l, e), write, dirty, false);
    }

    /**
     * {@code entry} made writable or write-protected, dirty or clean, young or old by the format's
     * own helpers ({@code pte_mkdirty()} / {@code pte_mkclean()}, then young, then write).
     */
    protected static long withAnswers(EntryFormat f, Level l, long entry, boolean write, boolean dirty,
                                      boolean young) {
        long e = dirty ? f.mkDirty(l, entry) : f.mkClean(l, entry);
        e = young ? f.mkYoung(l, e) : f.mkOld(l, e);
        return write ? f.mkWrite(l, e) : f.wrprotect(l, e);
    }

    private static void assertState(LeafCase c, long e, boolean write, boolean dirty, boolean young) {
        EntryFormat f = c.format();
        Level l = c.level();
        String what = c + ": " + f.describe(l, e);
        assertEquals(write, f.leafWrite(l, e), "write: " + what);
        assertEquals(dirty, f.leafDirty(l, e), "dirty: " + what);
        assertEquals(young, f.leafYoung(l, e), "young: " + what);
        assertEquals(c.pfn(), f.leafPfn(l, e), what);
        assertTrue(f.leaf(l, e) && f.present(l, e), what);
    }

    /**
     * {@code pte_mkspecial()} and {@code pte_mkdevmap()}: special where the format has the bit
     * (else the entry is left alone); devmap where it has that, and a devmap PTE is special too
     * while a huge devmap entry is not.
     */
    @Property
    void specialAndDevmap(@ForAll("leaves") LeafCase c) {
        EntryFormat f = c.format();
        Level l = c.level();
        long e = c.entry();
        long s = f.mkSpecial(l, e);
        if (hasSpecial(f, l)) {
            assertTrue(f.leafSpecial(l, s), c + ": " + f.describe(l, s));
            assertFalse(f.leafDevmap(l, s), c + ": " + f.describe(l, s));
            assertTrue(f.describe(l, s).contains(" SPECIAL"), c + ": " + f.describe(l, s));
        } else {
            assertEquals(e, s, c + ": no special bit here");
        }
        long d = f.mkDevmap(l, e);
        if (hasDevmap(f, l)) {
            assertTrue(f.leafDevmap(l, d), c + ": " + f.describe(l, d));
            assertEquals(l == Level.PTE, f.leafSpecial(l, d), "only a devmap PTE is special too: " + c);
            assertTrue(f.describe(l, d).contains(" DEVMAP"), c + ": " + f.describe(l, d));
        } else {
            assertEquals(e, d, c + ": no devmap bit");
        }
        for (long x : new long[] {s, d}) {
            assertEquals(c.pfn(), f.leafPfn(l, x), c.toString());
            assertTrue(f.leaf(l, x) && f.present(l, x), c.toString());
        }
    }

    /**
     * {@code pte_modify()}, as mprotect uses it: frame, dirty and young stay; write permission,
     * PROT_NONE and a user read's permission come from the new protection; the leaf stays a
     * present leaf.
     */
    @Property
    void modifyKeepsFrameDirtyYoungAndTakesTheProtection(@ForAll("leaves") LeafCase c,
            @ForAll("vmFlags") long to, @ForAll boolean dirty, @ForAll boolean young) {
        EntryFormat f = c.format();
        Level l = c.level();
        long e = c.entry();
        e = dirty ? f.mkDirty(l, e) : f.mkClean(l, e);
        e = young ? f.mkYoung(l, e) : f.mkOld(l, e);
        long m = f.modify(l, e, f.vmGetPageProt(to));
        String what = c + " to vm_flags=0x" + Long.toHexString(to) + ": " + f.describe(l, m);
        assertEquals(c.pfn(), f.leafPfn(l, m), what);
        assertEquals(dirty, f.leafDirty(l, m), "dirtiness survives mprotect: " + what);
        assertEquals(young, f.leafYoung(l, m), what);
        assertTrue(f.leaf(l, m) && f.present(l, m), "PROT_NONE stays present for the kernel: " + what);
        assertEquals(sharedWrite(to), f.leafWrite(l, m), what);
        assertEquals(noAccess(to), f.leafProtnone(l, m), what);
        assertEquals(readable(f, to), f.accessPermitted(l, m, false), what);
    }

    @Property
    void swapPtesRoundTrip(@ForAll @IntRange(max = 31) int type, @ForAll("swapOffsets") long offset,
                           @ForAll boolean exclusive) {
        for (EntryFormat f : formats()) {
            SwapPtes.assertRoundTrip(f, type, offset, exclusive);
        }
    }

    /** An empty slot is all zeroes in every format: none, not present, shown as {@code none}. */
    @Example
    void zeroIsNoneAtEveryLevel() {
        for (EntryFormat f : formats()) {
            for (Level l : Level.values()) {
                assertTrue(f.none(l, 0), f + " " + l);
                assertFalse(f.present(l, 0), f + " " + l);
                assertEquals("none", f.describe(l, 0), f + " " + l);
            }
        }
    }

    /**
     * Java misuse is an IllegalArgumentException: a null level (naming it), a table at or above a
     * PTE's place, a leaf where the format has none, a frame out of range or unaligned, a swap
     * type out of range.
     */
    @Example
    void misuseIsRefused() {
        for (EntryFormat f : formats()) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> f.present(null, 1));
            assertTrue(ex.getMessage().contains("level"), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> f.describe(null, 1), f.toString());
            assertThrows(IllegalArgumentException.class, () -> f.mkTable(Level.PTE, tableAlign(f, Level.PMD)),
                    f.toString());
            assertThrows(IllegalArgumentException.class, () -> f.tablePhys(Level.PTE, 0), f.toString());
            long prot = f.vmGetPageProt(VM_READ);
            for (Level l : Level.values()) {
                if (!leafLevels(f).contains(l)) {
                    assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(l, 0, prot), f + " " + l);
                    continue;
                }
                assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(l, -leafPages(f, l), prot), f + " " + l);
                assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(l, pfnLimit(f), prot), f + " " + l);
                if (leafPages(f, l) > 1) {
                    assertThrows(IllegalArgumentException.class, () -> f.mkLeaf(l, 1, prot), "unaligned: " + f + " " + l);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> f.mkSwpPte(-1, 1), f.toString());
            assertThrows(IllegalArgumentException.class, () -> f.mkSwpPte(32, 1), f.toString());
        }
    }
}
