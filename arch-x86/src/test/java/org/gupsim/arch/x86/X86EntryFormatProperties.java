package org.gupsim.arch.x86;

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

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.testkit.EntryFormatSuite;

/**
 * x86-64's entry format: the testkit's round trips ({@link EntryFormatSuite}) over 4K PTEs, 2M and
 * 1G leaves and 4K-aligned tables, and what is x86's own: which bits each helper touches, PSE,
 * PROTNONE as the global bit without PRESENT, the trace form.
 */
class X86EntryFormatProperties extends EntryFormatSuite {
    private static final X86EntryFormat F = X86EntryFormat.INSTANCE;

    @Override
    protected List<X86EntryFormat> formats() {
        return List.of(F);
    }

    @Override
    protected List<Level> leafLevels(EntryFormat format) {
        return List.of(Level.PTE, Level.PMD, Level.PUD);
    }

    @Override
    protected long leafPages(EntryFormat format, Level level) {
        return switch (level) {
            case PMD -> 512;
            case PUD -> 1L << 18;
            default -> 1;
        };
    }

    @Override
    protected long pfnLimit(EntryFormat format) {
        return 1L << 40;
    }

    @Override
    protected long tableAlign(EntryFormat format, Level level) {
        return 4096;
    }

    @Override
    protected long tablePhysLimit(EntryFormat format) {
        return 1L << 52;
    }

    /** Each helper touches its own bit and nothing else; PSE marks 2M and 1G leaves only; a table entry is {@code _PAGE_TABLE}. */
    @Property
    void helpersTouchOnlyTheirBit(@ForAll("leaves") LeafCase c) {
        Level l = c.level();
        long e = c.entry();
        assertEquals(l != Level.PTE, (e & PSE) != 0, "PSE marks 2M and 1G leaves only");
        assertEquals(e | RW, F.mkWrite(l, e));
        assertEquals(e & ~RW, F.wrprotect(l, e));
        assertEquals(e | DIRTY, F.mkDirty(l, e));
        assertEquals(e & ~DIRTY, F.mkClean(l, e));
        assertEquals(e & ~ACCESSED, F.mkOld(l, e));
        assertEquals(e | ACCESSED, F.mkYoung(l, e));
        assertEquals(e | SPECIAL, F.mkSpecial(l, e));
        assertEquals(l == Level.PTE ? e | SPECIAL | DEVMAP : e | DEVMAP, F.mkDevmap(l, e));
        assertTrue(F.leafYoung(l, e), "every protection_map entry has ACCESSED");
        assertEquals((F.vmGetPageProt(c.vmFlags()) & NX) == 0, (e & NX) == 0, "VM_EXEC drops NX");
        long table = F.mkTable(l == Level.PTE ? Level.PMD : l, 0x5000);
        assertEquals(0x5000 | PRESENT | RW | USER | ACCESSED | DIRTY, table);
    }

    @Property
    void modifyKeepsSpecialAndDevmap(@ForAll("leaves") LeafCase c, @ForAll("vmFlags") long to,
                                     @ForAll boolean special, @ForAll boolean devmap) {
        Level l = c.level();
        long e = c.entry();
        e = special ? F.mkSpecial(l, e) : e;
        e = devmap ? e | DEVMAP : e;
        long m = F.modify(l, e, F.vmGetPageProt(to));
        assertEquals(special, F.leafSpecial(l, m));
        assertEquals(devmap, F.leafDevmap(l, m));
        assertEquals((F.vmGetPageProt(to) & NX) != 0, (m & NX) != 0);
        assertEquals(e, F.modify(l, e, F.vmGetPageProt(c.vmFlags())), "modify to the entry's own protection");
    }

    @Property
    void mkTableRefusesUnalignedOrTooHighAddresses(@ForAll @IntRange(min = 0, max = 3) int levelOrdinal,
            @ForAll @LongRange(min = 1, max = 4095) long offset) {
        Level level = Level.of(levelOrdinal);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> F.mkTable(level, 0x5000 + offset));
        assertTrue(ex.getMessage().contains("tablePhys"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.mkTable(level, 1L << 52));
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

    @Example
    void leafKinds() {
        assertFalse(F.leaf(Level.PGD, PSE | PRESENT), "x86 has no PGD/P4D leaves");
        assertFalse(F.leaf(Level.P4D, PSE | PRESENT));
        assertTrue(F.leaf(Level.PTE, 0), "PTEs are always leaves");
        assertThrows(IllegalArgumentException.class, () -> F.mkLeaf(Level.PTE, 1, 1L << 12), "pgprot with frame bits");
        assertTrue(F.hasPteSpecial());
    }

    @Example
    void describeExamples() {
        assertEquals("pfn=0x1234 P RW U A D", F.describe(Level.PTE, F.mkLeaf(Level.PTE, 0x1234, PRESENT | RW | USER | ACCESSED | DIRTY)));
        assertEquals("pfn=0x1234 A PROTNONE", F.describe(Level.PTE, F.mkLeaf(Level.PTE, 0x1234, PAGE_NONE)));
        assertEquals("pfn=0x200 P U A PSE NX", F.describe(Level.PMD, F.mkLeaf(Level.PMD, 0x200, X86EntryFormat.PAGE_READONLY)));
        assertEquals("table=0x5000 P RW U A D", F.describe(Level.PUD, F.mkTable(Level.PUD, 0x5000)));
    }
}
