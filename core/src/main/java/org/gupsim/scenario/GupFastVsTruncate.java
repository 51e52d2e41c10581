package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;

/**
 * CPU0 takes a long-term write pin of a shared file mapping with GUP-fast while CPU1 truncates the
 * file to 0: {@code unmap_mapping_range()}, then the folios leave the page cache and lose their
 * {@code mapping}. GUP-fast reads {@code folio->mapping} to decide whether the pin is allowed; it
 * may see it cleared (then it falls back) but must never pin a folio of a dirty-tracked file.
 */
final class GupFastVsTruncate extends GupFastRace {

    GupFastVsTruncate() {
        super("gup-fast-vs-truncate",
                "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of a shared file mapping; CPU1 ftruncate()s the file to 0",
                List.of("memfd", "tmpfs", "ext4", "xfs", "btrfs", "hugetlb"), true,
                EnumSet.of(Foll.WRITE, Foll.LONGTERM));
    }

    @Override
    void race(World world, MappedBacking m) {
        world.vfs().ftruncate(m.file, 0);
    }
}
