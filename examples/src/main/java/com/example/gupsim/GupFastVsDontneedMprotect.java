package com.example.gupsim;

import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.check.MappingHistory;
import org.gupsim.check.PinChecks;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.Milestone;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/**
 * Three CPUs on one mapping of two pages: CPU0 pins both with
 * {@code pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM)}, as a DMA user registering a buffer
 * would; CPU1 gives them back with {@code madvise(MADV_DONTNEED)}; then CPU2 makes them read-only
 * with {@code mprotect(PROT_READ)}.
 *
 * <p>What may happen: GUP-fast pins what is mapped and writable when it looks; a page the advice
 * has zapped, or one made read-only, sends the rest of the range to the slow path, which faults
 * the page back in or, for the read-only page, stops with what it has (a short count, or EFAULT
 * for none). What must not happen, checked here and by the model at every step: a pinned page
 * that was never mapped at its address during the call, a long-term write pin of a
 * dirty-tracked file folio, a page table or folio used after it was freed, a pin left behind.
 * The user asked for the pages to go, so a pin outliving the advice is allowed.
 */
public final class GupFastVsDontneedMprotect implements Scenario {
    private static final int PAGES = 2;
    private static final String FILE = "example-buffer";

    @Override
    public String name() {
        return "gup-fast-vs-dontneed-mprotect";
    }

    @Override
    public String description() {
        return "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of two pages; CPU1 madvise(MADV_DONTNEED)s them; "
                + "then CPU2 mprotect(PROT_READ)s them";
    }

    @Override
    public List<ScenarioParam> params() {
        return List.of(new ScenarioParam("backing", "anon", List.of("anon", "memfd"),
                "what is mapped: private anonymous memory (the advice frees the pages), or a shared memfd "
                        + "(they stay in the page cache; GUP-fast's long-term write-pin check reads its mapping)"));
    }

    @Override
    public int cpus() {
        return 3;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        // Direct mode, like the setup part of a selftest: map the buffer and fault it in.
        Task task = world.newTask();
        long len = PAGES * (1L << world.mem().pageShift());
        Backing backing = Backing.byLabel(params.get("backing"));
        OpenFile file = backing.createFile(world.vfs(), FILE, len, 0);
        int flags = file == null ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
        long addr = task.mmap(0, len, PROT_READ | PROT_WRITE, flags, file, 0);
        if (addr < 0 || task.touch(addr, len, true) != 0) {
            throw new IllegalStateException("setup: mapping the buffer failed: " + addr);
        }
        MappingHistory history = new MappingHistory(world.mem());
        task.mm().pageTables().setLeafListener(history);
        Page[] pages = new Page[PAGES];
        String[] seen = new String[3];
        // CPU2 protects what CPU1 has given back, as an allocator turns freed memory into a guard: the
        // orders where mprotect comes first are left out, which keeps the exploration small; GUP-fast
        // still interleaves with every step of both.
        Milestone freed = new Milestone("the buffer is given back");
        return new Programs() {
            @Override
            public void run(int cpu) {
                switch (cpu) {
                    case 0 -> {
                        history.start(task.mm().pageTables(), addr, PAGES);
                        GupResult r = world.gup().pinUserPagesFast(task.mm(), addr, PAGES,
                                EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
                        int n = r.pages();
                        List<Violation> problems = new ArrayList<>(
                                history.checkResults(task.mm().pageTables(), addr, pages, n));
                        problems.addAll(PinChecks.longtermWritePins(pages, n));
                        if (!problems.isEmpty()) {
                            world.sched().report(problems.get(0));
                        }
                        seen[0] = "pinned=" + n + (r.isError() ? " errno=" + r.errno().name() : "");
                        world.gup().unpinUserPages(pages, n);
                    }
                    case 1 -> {
                        seen[1] = "dontneed=" + task.madvise(addr, len, MADV_DONTNEED);
                        freed.reach(world.sched());
                    }
                    case 2 -> {
                        freed.await(world.sched());
                        seen[2] = "mprotect=" + task.mprotect(addr, len, PROT_READ);
                    }
                    default -> throw new IllegalArgumentException("cpu " + cpu + " has no program (3 CPUs)");
                }
            }

            @Override
            public String outcome() {
                return seen[0];
            }

            @Override
            public List<Violation> release() {
                if (file != null) {
                    world.vfs().fput(file);
                }
                return List.of();
            }
        };
    }
}
