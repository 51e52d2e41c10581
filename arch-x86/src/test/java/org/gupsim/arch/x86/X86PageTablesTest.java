package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.testkit.StandalonePageTables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The x86 format and geometry driven by core's locked walks. */
class X86PageTablesTest {

    @ParameterizedTest
    @ValueSource(strings = {"native", "native+la57"})
    void pteAndHugeLeavesAreFoundByTheWalk(String spec) {
        ArchVariant v = new X86_64().variant(spec, KernelVersion.LATEST);
        PageTables pt = StandalonePageTables.of(v);
        assertEquals(v.newMmGeometry().top(), pt.root().level());
        StandalonePageTables.assertPteFoundByTheWalk(pt, 0x7f0000201000L);
        assertEquals(v.newMmGeometry().levels(), pt.tablesLive(), "one table per real level");

        long huge = 0x7f0040000000L; // a different PUD slot, 1G aligned
        StandalonePageTables.assertProtNoneLeafFoundByTheWalk(pt, Level.PMD, huge, 0x200, 0x5000);
        StandalonePageTables.assertProtNoneLeafFoundByTheWalk(pt, Level.PUD, huge + (1L << 30), 0x40000, 0x5000);
    }
}
