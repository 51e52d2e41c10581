package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;

/**
 * CPU0 pins a resident range with {@code pin_user_pages_fast()} while CPU1 munmaps it: zap, TLB
 * flush, then the page tables that served only that range are freed. GUP-fast must never touch
 * a freed table: safe where the flush waits for CPU0 (IPIs against its IRQ-off walk) or where
 * tables are freed after an RCU grace period that CPU0's IRQ-off walk holds open.
 */
final class GupFastVsMunmap extends GupFastRace {

    GupFastVsMunmap() {
        super("gup-fast-vs-munmap",
                "CPU0 pin_user_pages_fast(FOLL_WRITE) over a resident range; CPU1 munmap()s it (zap, flush, free tables)",
                List.of("anon", "memfd", "tmpfs", "ext4"), false, EnumSet.of(Foll.WRITE));
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("table-batch", "ok", List.of("ok", "fail"),
                "whether mmu_gather's GFP_NOWAIT batch page can be allocated (fail: tlb_remove_table_one())"));
    }

    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        world.mem().setFailNowait(params.get("table-batch").equals("fail"));
    }

    @Override
    void race(World world, MappedBacking m) {
        m.task.munmap(m.addr, m.len);
    }
}
