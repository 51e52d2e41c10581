package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;
import org.gupsim.sched.Violation;

/**
 * CPU0 takes a long-term write pin of a shared file mapping with GUP-fast while CPU1 truncates the
 * file to 0: {@code unmap_mapping_range()}, then the folios leave the page cache and lose their
 * {@code mapping}. GUP-fast reads {@code folio->mapping} to decide whether the pin is allowed; it
 * may see it cleared (then it falls back) but must never pin a folio of a dirty-tracked file.
 */
final class GupFastVsTruncate implements Scenario {

    @Override
    public String name() {
        return "gup-fast-vs-truncate";
    }

    @Override
    public String description() {
        return "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of a shared file mapping; CPU1 ftruncate()s the file to 0";
    }

    @Override
    public List<ScenarioParam> params() {
        return List.of(
                new ScenarioParam("backing", "memfd", List.of("memfd", "tmpfs", "ext4", "xfs", "btrfs", "hugetlb"),
                        "the file behind the shared mapping"),
                new ScenarioParam("pages", "1", List.of("1", "2", "3"), "base pages pinned"));
    }

    @Override
    public int cpus() {
        return 2;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        Backing backing = Backing.byLabel(params.get("backing"));
        MappedBacking m = new MappedBacking(world, backing, Integer.parseInt(params.get("pages")), true);
        PinProbe probe = new PinProbe(world, m.task, m.addr, m.nrPages, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
        return new Programs() {
            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    probe.run();
                } else {
                    world.vfs().ftruncate(m.file, 0);
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
