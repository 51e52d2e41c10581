package org.gupsim.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gupsim.gup.Foll;
import org.gupsim.pgtable.Level;

/**
 * The set-up of the scenarios whose racer collapses a PMD range (khugepaged, MADV_COLLAPSE): the
 * mapping spans one whole PMD range, of which only the pinned pages are touched (small pages),
 * marked {@code MADV_HUGEPAGE} so that khugepaged may collapse it; CPU0's pins are held until
 * every CPU is done and then checked, since a collapse replaces pages.
 */
abstract class PmdRangeRace extends GupFastRace {

    PmdRangeRace(String name, String description, List<String> backings, boolean shared, Set<Foll> flags,
                 int racers) {
        super(name, description, backings, shared, flags, racers);
    }

    /** The size of the range a PMD maps on this world's geometry. */
    static long pmdSize(World world) {
        return world.arch().newMmGeometry().size(Level.PMD);
    }

    @Override
    long span(World world, Map<String, String> params) {
        return pmdSize(world);
    }

    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        m.madviseHugepage();
    }

    @Override
    boolean holdsPins() {
        return true;
    }
}
