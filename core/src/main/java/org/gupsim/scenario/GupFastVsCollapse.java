package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;

/**
 * CPU0 pins a page of an anonymous mapping with {@code pin_user_pages_fast()} while CPU1 is
 * khugepaged collapsing the PMD range around it into a transparent huge page
 * ({@code collapse_huge_page()}). The mapping spans one PMD-aligned PMD range; only the pinned
 * pages are touched (small pages), then marked {@code MADV_HUGEPAGE} so khugepaged may collapse
 * them. The pins are held until both CPUs are done and then checked: the mm must still reach each
 * pinned page (a collapse that went ahead would have replaced it). Safe because the collapse
 * waits for IRQ-off walkers after unhooking the PTE table ({@code tlb_remove_table_sync_one()},
 * 2ba99c5e0881; an IPI flush waits anyway) and because GUP-fast rechecks the PMD (70cbc3cc78a9).
 */
class GupFastVsCollapse extends PmdRangeRace {

    GupFastVsCollapse() {
        this("gup-fast-vs-collapse",
                "CPU0 pin_user_pages_fast(FOLL_WRITE) of small anonymous pages; CPU1 khugepaged collapses their "
                        + "PMD range into a THP (collapse_huge_page)", 1);
    }

    GupFastVsCollapse(String name, String description, int racers) {
        super(name, description, List.of("anon"), false, EnumSet.of(Foll.WRITE), racers);
    }

    @Override
    String race(World world, MappedBacking m, int racer) {
        return "collapse=" + world.vm().khugepaged().collapseAnon(m.task.mm(), m.addr);
    }
}
