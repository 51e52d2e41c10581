package org.gupsim.scenario;

/**
 * Three CPUs: CPU0 pins with {@code pin_user_pages_fast()}, CPU1 is khugepaged collapsing the
 * PMD range, CPU2 munmaps it once khugepaged is done with it (a {@link Milestone}: the orders
 * where the munmap comes first are {@code gup-fast-vs-munmap}'s, and leaving them out keeps the
 * exploration small; GUP-fast still interleaves with every step of both). The collapse deposits the old PTE table with the huge PMD it
 * installs; the munmap zaps that huge PMD and frees the deposited table at once with
 * {@code pte_free()} ({@code zap_deposited_table()}). A GUP-fast walker that read the PMD before
 * the collapse unhooked the table may still be reading it then: only the collapse's wait for
 * IRQ-off walkers ({@code tlb_remove_table_sync_one()}, 2ba99c5e0881), or an IPI flush, keeps
 * the table from being freed under it. The PMD recheck comes too late for that: the walker has
 * read the PTE by then.
 *
 * <p>On x86_64:paravirt (a flush that skips preempted vCPUs, tables freed through RCU) the
 * exhaustive search of the latest kernel takes 15,884 schedules, more than compare's default cap
 * of 10,000: the description says so, and {@code --schedules 20000} finishes it (SAFE).
 */
final class GupFastVsCollapseMunmap extends GupFastVsCollapse {
    private static final String COLLAPSED = "khugepaged's collapse attempt is over";

    GupFastVsCollapseMunmap() {
        super("gup-fast-vs-collapse-munmap",
                "CPU0 pin_user_pages_fast(FOLL_WRITE) of small anonymous pages; CPU1 khugepaged collapses their PMD "
                        + "range; CPU2 munmap()s it (zap_deposited_table frees the old PTE table); x86_64:paravirt needs "
                        + "--schedules 20000 (15,884 on the latest kernel)", 2);
    }

    @Override
    String race(World world, MappedBacking m, int racer) {
        if (racer == 1) {
            String r = super.race(world, m, racer);
            m.milestone(COLLAPSED).reach(world.sched());
            return r;
        }
        m.milestone(COLLAPSED).await(world.sched());
        m.task.munmap(m.addr, m.len);
        return null;
    }
}
