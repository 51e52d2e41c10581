package org.gupsim.scenario;

import java.util.List;
import java.util.Map;
import org.gupsim.vm.VmFlags;

/**
 * CPU0 pins private anonymous memory with {@code pin_user_pages_fast_only(FOLL_WRITE|FOLL_LONGTERM)}
 * (parameter {@code fallback=slow}: {@code pin_user_pages_fast()}) and holds the pins; CPU1 asks the kernel to page the range out ({@code madvise(MADV_PAGEOUT)}:
 * add to the swap cache, {@code try_to_unmap()}, write, free). A pinned page must stay mapped and
 * {@code PageAnonExclusive} (the pin-lost check): {@code try_to_unmap_one()} clears the PTE,
 * flushes, and then asks {@code folio_try_share_anon_rmap_pte()}, which refuses a page that may be
 * pinned (6c287605fd56); a GUP-fast that pinned after that check sees the cleared PTE when it
 * rechecks and backs off. The barriers that make this hold on weakly ordered CPUs (088b8aa537c2)
 * are not visible under sequential consistency.
 *
 * <p>GUP-fast alone is the default because its lockless walk is what races the unmap; the slow
 * path adds a swap-in fault ({@code do_swap_page()}) beside the pageout, which takes the search
 * past the default 10,000 schedules on every architecture, so a default cell would be no verdict.
 * The slow path takes the PTE lock the unmap also holds, so it cannot see a half-unmapped page.
 */
final class GupFastVsSwapout extends LongtermAnonPinRace {

    GupFastVsSwapout() {
        super("gup-fast-vs-swapout",
                "CPU0 pin_user_pages_fast_only(FOLL_WRITE|FOLL_LONGTERM) of private anonymous memory, pins held; CPU1 "
                        + "madvise(MADV_PAGEOUT)s it (swap cache, try_to_unmap, pageout)");
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(fallbackParam("more than 10000 interleavings: the slow path faults the page back in from swap "
                + "beside the pageout"));
    }

    @Override
    PinProbe.Call gupCall(Map<String, String> params) {
        return fallbackCall(params);
    }

    @Override
    void race(World world, MappedBacking m) {
        m.task.madvise(m.addr, m.len, VmFlags.MADV_PAGEOUT);
    }
}
