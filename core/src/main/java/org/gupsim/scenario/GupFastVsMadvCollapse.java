package org.gupsim.scenario;

import java.util.List;
import java.util.Map;
import org.gupsim.mm.Errno;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.Walk;
import org.gupsim.vm.Khugepaged;
import org.gupsim.vm.VmFlags;

/**
 * CPU0 takes pages of a shared shmem mapping with {@code get_user_pages_fast_only()} and holds
 * them; CPU1 asks for the range to be collapsed now, {@code madvise(MADV_COLLAPSE)} (6.1,
 * 7d8faaf15545): {@code madvise_collapse()} drops the mmap lock, runs {@code collapse_file()}
 * (which retracts the emptied PTE tables of every mm, {@code retract_page_tables()}) and then,
 * under the mmap lock for read (for write before 6.6), {@code collapse_pte_mapped_thp()}, which
 * retracts this mm's PTE table if it still maps the huge folio by PTEs and installs a huge PMD.
 *
 * <p>{@code thp=pte-mapped} (the default) starts where the page cache already holds the range as
 * one huge folio that this mm maps by PTEs, so CPU1's work is {@code collapse_pte_mapped_thp()}
 * alone: the PTEs are cleared under the PTE lock, the table unhooked by
 * {@code pmdp_collapse_flush()} under the PMD and PTE locks and freed by {@code pte_free_defer()}
 * (before 6.6: PTEs left, {@code tlb_remove_table_sync_one()}, {@code pte_free()}), then the huge
 * PMD installed. GUP-fast's walker may be reading that table: only the RCU grace period (or the
 * IPI round) keeps it alive, which {@code retract-free-now} shows. The kernel reaches that state
 * when {@code retract_page_tables()} left this mm's (empty) PTE table in place (before 6.6 when
 * its {@code mmap_write_trylock()} failed; from 6.6 for a VMA with an anon_vma or uffd-wp) and the
 * pages were faulted back into it: into an empty PMD, {@code finish_fault()} maps the PMD-sized
 * folio by a PMD ({@code do_set_pmd()}). So the set-up lets khugepaged collapse the file, puts an
 * empty PTE table back under the PMD ({@code pte_alloc()}: what the skipped retraction leaves)
 * and faults the pages in.
 *
 * <p>{@code thp=none} starts from small pages: CPU1 runs the whole of MADV_COLLAPSE, and a pin
 * taken before {@code collapse_file()} counted references makes it fail with -EAGAIN.
 */
final class GupFastVsMadvCollapse extends GupFastVsRetract {

    GupFastVsMadvCollapse() {
        super("gup-fast-vs-madv-collapse",
                "CPU0 get_user_pages_fast_only(FOLL_WRITE) of a shared shmem mapping; CPU1 madvise(MADV_COLLAPSE)s the "
                        + "PMD range (collapse_file, then collapse_pte_mapped_thp retracts the PTE table and maps a PMD)");
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("thp", "pte-mapped", List.of("pte-mapped", "none"),
                "pte-mapped: the page cache already holds the range as one huge folio this mm maps by PTEs "
                        + "(collapse_pte_mapped_thp alone); none: small pages (collapse_file first)"));
    }

    @Override
    PinProbe.Call gupCall(Map<String, String> params) {
        return PinProbe.Call.GET_USER_PAGES_FAST_ONLY;
    }

    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        if (params.get("thp").equals("none")) {
            return;
        }
        // khugepaged collapses the file range, retracting this mm's table; an empty table is put
        // back, as a retraction that skipped this mm leaves it, and the pages faulted into it, by
        // PTEs (see the class comment).
        m.madviseHugepage();
        Khugepaged.ScanResult r = world.vm().khugepaged().collapseFile(m.task.mm(), m.addr);
        if (r != Khugepaged.ScanResult.SCAN_SUCCEED) {
            throw new IllegalStateException("scenario setup: khugepaged's collapse failed: " + r);
        }
        Walk table = m.task.mm().pageTables().walkAlloc(m.addr, Level.PTE, new Walk(), "pte_alloc");
        if (table == null || table.level != Level.PTE) {
            throw new IllegalStateException("scenario setup: no PTE table under the collapsed range");
        }
        long pageSize = 1L << world.mem().pageShift();
        long touched = m.task.touch(m.addr, m.nrPages * pageSize, true);
        if (touched != 0) {
            throw new IllegalStateException("scenario setup: faulting the huge folio in again failed: " + touched);
        }
    }

    @Override
    String race(World world, MappedBacking m, int racer) {
        return "madv_collapse=" + errnoName(m.task.madvise(m.addr, pmdSize(world), VmFlags.MADV_COLLAPSE));
    }

    private static String errnoName(long r) {
        return r == 0 ? "0" : Errno.fromReturn(r).name();
    }
}
