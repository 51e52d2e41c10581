package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;
import org.gupsim.sched.Violation;

/**
 * As {@code gup-fast-vs-truncate}, but CPU1 munmaps the range and closes the last reference to
 * an unlinked shmem file, so the inode is evicted and its address space freed through RCU: the
 * object GUP-fast dereferences when it asks {@code shmem_mapping(folio->mapping)}. The merged
 * code relies on its IRQ-off section holding that grace period open; the seed patch took
 * {@code rcu_read_lock()} explicitly; 6.6's {@code pte_offset_map()} takes one too.
 */
final class GupFastVsEvict implements Scenario {

    @Override
    public String name() {
        return "gup-fast-vs-evict";
    }

    @Override
    public String description() {
        return "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of a shared shmem mapping; CPU1 munmap()s and "
                + "closes the last reference, evicting the inode (freed by RCU)";
    }

    @Override
    public List<ScenarioParam> params() {
        return List.of(
                new ScenarioParam("backing", "memfd", List.of("memfd", "tmpfs"), "the shmem file behind the mapping"),
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
        if (backing.linked()) {
            world.vfs().unlink(MappedBacking.FILE_NAME);
        }
        PinProbe probe = new PinProbe(world, m.task, m.addr, m.nrPages, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
        return new Programs() {
            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    probe.run();
                } else {
                    m.task.munmap(m.addr, m.len);
                    m.fileReleased = true;
                    world.vfs().fput(m.file);
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
