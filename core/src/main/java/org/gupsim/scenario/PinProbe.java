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
    private final Call call;
    private int held;
    private String outcome = "not run";

    /** Which GUP entry point the probe calls. */
    enum Call {
        /** {@code pin_user_pages_fast()}: GUP-fast, then the slow path for what it left. */
        PIN_USER_PAGES_FAST,
        /** {@code pin_user_pages_fast_only()}: GUP-fast alone, never the slow path. */
        PIN_USER_PAGES_FAST_ONLY,
        /**
         * {@code get_user_pages_fast_only()}: FOLL_GET references, never the slow path, as KVM's
         * {@code hva_to_pfn_fast()} takes them; held and checked like pins, dropped with
         * {@code put_page()}.
         */
        GET_USER_PAGES_FAST_ONLY
    }

    PinProbe(World world, Task task, long addr, int nrPages, Set<Foll> flags) {
        this(world, task, addr, nrPages, flags, false, Call.PIN_USER_PAGES_FAST);
    }

    /**
     * @param hold keep the pins until {@link #release()} and check then that none was lost
     * @param call the GUP entry point to call
     */
    PinProbe(World world, Task task, long addr, int nrPages, Set<Foll> flags, boolean hold, Call call) {
        this.lost = hold ? new PinLostCheck(world.mem()) : null;
        this.call = call;
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
        GupResult r = switch (call) {
            case PIN_USER_PAGES_FAST -> world.gup().pinUserPagesFast(task.mm(), addr, nrPages, flags, pages);
            case PIN_USER_PAGES_FAST_ONLY -> world.gup().pinUserPagesFastOnly(task.mm(), addr, nrPages, flags, pages);
            case GET_USER_PAGES_FAST_ONLY -> world.gup().getUserPagesFastOnly(task.mm(), addr, nrPages, flags, pages);
        };
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
            drop(n);
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
        drop(held);
        held = 0;
        return out;
    }

    /** {@code unpin_user_pages()}, or {@code put_page()} for each page {@code get_user_pages_fast_only()} gave. */
    private void drop(int n) {
        if (call == Call.GET_USER_PAGES_FAST_ONLY) {
            world.gup().putPages(pages, n);
        } else {
            world.gup().unpinUserPages(pages, n);
        }
    }

    String outcome() {
        return outcome;
    }
}
