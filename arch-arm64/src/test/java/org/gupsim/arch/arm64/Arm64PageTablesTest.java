package org.gupsim.arch.arm64;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.testkit.StandalonePageTables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's walks over real arm64 descriptors: pages and blocks at every level that may hold
 * one, including a PUD block in the top table of 4K/39-bit and a PMD block in the top table of
 * 64K/42-bit, which no x86 geometry has.
 */
class Arm64PageTablesTest {

    @ParameterizedTest
    @ValueSource(strings = {"4k-39", "4k-48", "4k-52", "4k-52+lpa2", "16k-47", "16k-48", "16k-48+lpa2", "16k-52", "16k-52+lpa2",
            "64k-42", "64k-48"})
    void pagesAndBlocksAreFoundByTheWalk(String spec) {
        ArchVariant v = new Arm64().variant(spec, KernelVersion.LATEST);
        var g = v.newMmGeometry();
        PageTables pt = StandalonePageTables.of(v);
        assertEquals(g.top(), pt.root().level());
        StandalonePageTables.assertPteFoundByTheWalk(pt, v.mmapBase() + 3 * g.pageSize());
        assertEquals(g.levels(), pt.tablesLive(), "one table per real level");

        for (Level level : new Level[] {Level.PMD, Level.PUD}) {
            if (!g.leafAllowed(level) || g.folded(level)) {
                continue;
            }
            long size = g.size(level);
            long a = (v.mmapBase() / 2) & -size;
            if (level == Level.PUD) {
                a += size;
            }
            StandalonePageTables.assertProtNoneLeafFoundByTheWalk(pt, level, a, size >>> g.pageShift(), 5 * g.pageSize());
        }
    }
}
