package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;
import org.gupsim.sched.Violation;

/**
 * CPU0 pins a resident range with {@code pin_user_pages_fast()} while CPU1 munmaps it: zap, TLB
 * flush, then the page tables that served only that range are freed. GUP-fast must never touch
 * a freed table: safe where the flush waits for CPU0 (IPIs against its IRQ-off walk) or where
 * tables are freed after an RCU grace period that CPU0's IRQ-off walk holds open.
 */
final class GupFastVsMunmap implements Scenario {

    @Override
    public String name() {
        return "gup-fast-vs-munmap";
    }

    @Override
    public String description() {
        return "CPU0 pin_user_pages_fast(FOLL_WRITE) over a resident range; CPU1 munmap()s it (zap, flush, free tables)";
    }

    @Override
    public List<ScenarioParam> params() {
        return List.of(
                new ScenarioParam("backing", "anon", List.of("anon", "memfd", "tmpfs", "ext4"), "what is mapped"),
                new ScenarioParam("pages", "1", List.of("1", "2", "3"), "base pages pinned"),
                new ScenarioParam("table-batch", "ok", List.of("ok", "fail"),
                        "whether mmu_gather's GFP_NOWAIT batch page can be allocated (fail: tlb_remove_table_one())"));
    }

    @Override
    public int cpus() {
        return 2;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        Backing backing = Backing.byLabel(params.get("backing"));
        MappedBacking m = new MappedBacking(world, backing, Integer.parseInt(params.get("pages")), false);
        PinProbe probe = new PinProbe(world, m.task, m.addr, m.nrPages, EnumSet.of(Foll.WRITE));
        world.mem().setFailNowait(params.get("table-batch").equals("fail"));
        return new Programs() {
            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    probe.run();
                } else {
                    m.task.munmap(m.addr, m.len);
                }
            }

            @Override
            public String outcome() {
                return probe.outcome();
            }

            @Override
            public List<Violation> release() {
                m.releaseFile();
                return List.of();
            }
        };
    }
}
