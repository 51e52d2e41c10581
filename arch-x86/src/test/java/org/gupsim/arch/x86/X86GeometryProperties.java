package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/** Per-level indices of 4-level and 5-level x86-64 addresses. */
class X86GeometryProperties {

    @Property
    void indicesComposeTheAddress(@ForAll @IntRange(max = 255) int pgd, @ForAll @IntRange(max = 511) int p4d,
            @ForAll @IntRange(max = 511) int pud, @ForAll @IntRange(max = 511) int pmd,
            @ForAll @IntRange(max = 511) int pte, @ForAll @IntRange(max = 4095) int offset) {
        long addr5 = ((long) pgd << 48) | ((long) p4d << 39) | ((long) pud << 30) | ((long) pmd << 21)
                | ((long) pte << 12) | offset;
        Geometry g5 = X86Layout.FIVE_LEVEL;
        assertEquals(pgd, g5.index(Level.PGD, addr5));
        assertEquals(p4d, g5.index(Level.P4D, addr5));
        assertEquals(pud, g5.index(Level.PUD, addr5));
        assertEquals(pmd, g5.index(Level.PMD, addr5));
        assertEquals(pte, g5.index(Level.PTE, addr5));

        long addr4 = addr5 & ((1L << 48) - 1);
        Geometry g4 = X86Layout.FOUR_LEVEL;
        assertEquals(p4d, g4.index(Level.P4D, addr4));
        assertEquals(pud, g4.index(Level.PUD, addr4));
        assertEquals(pmd, g4.index(Level.PMD, addr4));
        assertEquals(pte, g4.index(Level.PTE, addr4));
    }
}
