package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;
import org.gupsim.vm.VmFlags;

/**
 * CPU0 pins private anonymous memory with {@code pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)}
 * and holds the pins; CPU1 asks the kernel to page the range out ({@code madvise(MADV_PAGEOUT)}:
 * add to the swap cache, {@code try_to_unmap()}, write, free). A pinned page must stay mapped and
 * {@code PageAnonExclusive} (the pin-lost check): {@code try_to_unmap_one()} clears the PTE,
 * flushes, and then asks {@code folio_try_share_anon_rmap_pte()}, which refuses a page that may be
 * pinned (6c287605fd56); a GUP-fast that pinned after that check sees the cleared PTE when it
 * rechecks and backs off. The barriers that make this hold on weakly ordered CPUs (088b8aa537c2)
 * are not visible under sequential consistency.
 */
final class GupFastVsSwapout extends GupFastRace {

    GupFastVsSwapout() {
        super("gup-fast-vs-swapout",
                "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of private anonymous memory, pins held; CPU1 "
                        + "madvise(MADV_PAGEOUT)s it (swap cache, try_to_unmap, pageout)",
                List.of("anon"), false, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
    }

    @Override
    boolean holdsPins() {
        return true;
    }

    @Override
    void race(World world, MappedBacking m) {
        m.task.madvise(m.addr, m.len, VmFlags.MADV_PAGEOUT);
    }
}
