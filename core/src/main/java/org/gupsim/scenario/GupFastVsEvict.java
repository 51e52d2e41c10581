package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;

/**
 * As {@code gup-fast-vs-truncate}, but CPU1 munmaps the range and closes the last reference to
 * an unlinked shmem file, so the inode is evicted and its address space freed through RCU: the
 * object GUP-fast dereferences when it asks {@code shmem_mapping(folio->mapping)}. The merged
 * code relies on its IRQ-off section holding that grace period open; the seed patch took
 * {@code rcu_read_lock()} explicitly; 6.6's {@code pte_offset_map()} takes one too.
 */
final class GupFastVsEvict extends GupFastRace {

    GupFastVsEvict() {
        super("gup-fast-vs-evict",
                "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of a shared shmem mapping; CPU1 munmap()s and "
                        + "closes the last reference, evicting the inode (freed by RCU)",
                List.of("memfd", "tmpfs"), true, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
    }

    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        if (m.backing.linked()) {
            world.vfs().unlink(MappedBacking.FILE_NAME);
        }
    }

    @Override
    void race(World world, MappedBacking m) {
        m.task.munmap(m.addr, m.len);
        m.fileReleased = true;
        world.vfs().fput(m.file);
    }
}
