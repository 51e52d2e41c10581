package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;
import org.gupsim.pgtable.Level;
import org.gupsim.vm.VmFlags;

/**
 * CPU0 pins with {@code pin_user_pages_fast()} while CPU1 calls {@code madvise(MADV_DONTNEED)}
 * on the mapping: a zap under the mmap lock for read, or only the VMA's own lock, so unlike
 * munmap it runs beside page faults and GUP's slow path too. With {@code range=pages} (the
 * default) only the pinned pages are mapped and advised, and the PTE table stays. With
 * {@code range=pmd} the mapping and the advice span a whole PMD range, so where CONFIG_PT_RECLAIM
 * is built the emptied PTE table is unhooked and freed through the mmu_gather (after RCU), while
 * GUP-fast may still be in it and GUP's slow path and faults (under the mmap lock for read, beside
 * the VMA-locked advice) may be about to use it; that exploration is some hundred times larger,
 * so it is a parameter rather than the default. The user asked for the
 * pages to go, so a pin that outlives them is allowed: the pins are held and checked to show that.
 */
final class GupFastVsDontneed extends GupFastRace {

    GupFastVsDontneed() {
        super("gup-fast-vs-dontneed",
                "CPU0 pin_user_pages_fast(FOLL_WRITE) of anonymous pages; CPU1 madvise(MADV_DONTNEED)s them "
                        + "(mmap or VMA read lock; PT_RECLAIM frees the emptied PTE table)",
                List.of("anon", "memfd"), false, EnumSet.of(Foll.WRITE));
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("range", "pages", List.of("pages", "pmd"),
                "what is mapped and advised: the pinned pages, or a whole PMD range (PT_RECLAIM can free its PTE table)"));
    }

    @Override
    long span(World world, Map<String, String> params) {
        return params.get("range").equals("pmd") ? world.arch().newMmGeometry().size(Level.PMD) : 0;
    }

    @Override
    boolean holdsPins() {
        return true;
    }

    @Override
    String race(World world, MappedBacking m, int racer) {
        return "dontneed=" + m.task.madvise(m.addr, m.len, VmFlags.MADV_DONTNEED);
    }
}
