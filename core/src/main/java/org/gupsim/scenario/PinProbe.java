package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.gupsim.check.MappingHistory;
import org.gupsim.check.PinLostCheck;
import org.gupsim.check.PinChecks;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Page;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/**
 * CPU 0's program in the GUP-fast scenarios: one {@code pin_user_pages_fast()} call, checked as it
 * returns (every page must have been mapped at its address during the call; with
 * FOLL_LONGTERM|FOLL_WRITE no folio of a dirty-tracked file may be pinned), then unpinned: at once,
 * or, where the scenario races kernel paths that may move or replace pages ({@code hold}), held
 * like a DMA pin until every CPU is done, when the {@link PinLostCheck} asks whether the mm still
 * reaches each pinned page.
 */
final class PinProbe {
    private final World world;
    private final Task task;
    private final long addr;
    private final int nrPages;
    private final Set<Foll> flags;
    private final MappingHistory history;
    private final Page[] pages;
    private final PinLostCheck lost;
    private int held;
    private final boolean fastOnly;
    private String outcome = "not run";

    PinProbe(World world, Task task, long addr, int nrPages, Set<Foll> flags) {
        this(world, task, addr, nrPages, flags, false);
    }

    /**
     * @param hold keep the pins until {@link #release()} and check then that none was lost
     */
    PinProbe(World world, Task task, long addr, int nrPages, Set<Foll> flags, boolean hold) {
        this(world, task, addr, nrPages, flags, hold, false);
    }

    /**
     * @param fastOnly pin with {@code pin_user_pages_fast_only()}: GUP-fast alone, no slow path
     */
    PinProbe(World world, Task task, long addr, int nrPages, Set<Foll> flags, boolean hold, boolean fastOnly) {
        this.fastOnly = fastOnly;
        this.lost = hold ? new PinLostCheck(world.mem()) : null;
        this.world = world;
        this.task = task;
        this.addr = addr;
        this.nrPages = nrPages;
        this.flags = EnumSet.copyOf(flags);
        this.history = new MappingHistory(world.mem());
        this.pages = new Page[nrPages];
        task.mm().pageTables().setLeafListener(history);
    }

    void run() {
        int unmapMark = task.mm().userUnmapMark();
        history.start(task.mm().pageTables(), addr, nrPages);
        GupResult r = fastOnly ? world.gup().pinUserPagesFastOnly(task.mm(), addr, nrPages, flags, pages)
                : world.gup().pinUserPagesFast(task.mm(), addr, nrPages, flags, pages);
        int n = r.pages();
        List<Violation> problems = history.checkResults(task.mm().pageTables(), addr, pages, n);
        if (flags.contains(Foll.LONGTERM) && flags.contains(Foll.WRITE)) {
            problems = new java.util.ArrayList<>(problems);
            problems.addAll(PinChecks.longtermWritePins(pages, n));
        }
        outcome = "pinned=" + n + (r.isError() ? " errno=" + r.errno().name() : "");
        if (!problems.isEmpty()) {
            world.sched().report(problems.get(0));
        }
        if (lost != null) {
            lost.pinned(task.mm(), addr, pages, n, unmapMark);
            held = n;
        } else {
            world.gup().unpinUserPages(pages, n);
        }
    }

    /**
     * Once every CPU is done (direct mode): checks the held pins, then unpins them.
     *
     * @return the pins the mm lost
     */
    List<Violation> release() {
        if (lost == null) {
            return List.of();
        }
        List<Violation> out = lost.check();
        world.gup().unpinUserPages(pages, held);
        held = 0;
        return out;
    }

    String outcome() {
        return outcome;
    }
}
