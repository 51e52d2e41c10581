package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.gup.Foll;

/**
 * CPU0 takes pages of a shared shmem mapping with GUP-fast while CPU1 is
 * khugepaged collapsing the file range into a huge folio ({@code collapse_file()}), which unmaps
 * the small pages from every mm and then retracts the emptied PTE table
 * ({@code retract_page_tables()}): before 6.6 under the mmap lock for write with an IPI round
 * and {@code pte_free()}, from 6.6 without the mmap lock and with {@code pte_free_defer()} (RCU).
 * The mapping spans one PMD-aligned PMD range of a file of that size, only the pinned pages
 * touched; the pins are held and checked at the end. GUP-fast's PTE recheck is what keeps it
 * from holding a page the page cache has let go ({@code no-pte-recheck} shows it), and IRQs off
 * (RCU, or the IPI round) what keeps the retracted table alive under it
 * ({@code retract-free-now} frees it at once).
 *
 * <p>CPU0 calls {@code get_user_pages_fast_only()} by default ({@code api=gup-fast-only}, as KVM's
 * {@code hva_to_pfn_fast()} does): the lockless walk is what races the retraction. With
 * {@code api=pup-fast} it calls {@code pin_user_pages_fast()}, whose slow path and fault run beside
 * the collapse (which holds no mmap lock from 6.6), and with {@code retract-free-now} the slow
 * path's {@code pte_offset_map()} (under RCU from 6.6) meets the freed table too; but the
 * exploration is some thousand times larger (295,493 schedules, SAFE, for the x86_64:native-rcu
 * cell of the latest kernel, where the slow path's fault after the retraction maps the huge folio
 * by a PMD), so it is a parameter rather than the default, and only those runs were made with it.
 *
 * <p>On x86_64:paravirt with 6.5 (the retraction under the mmap lock) the default search takes
 * 13,401 schedules, more than compare's default cap of 10,000: the description says so, and
 * {@code --schedules 20000} finishes it (SAFE).
 */
class GupFastVsRetract extends PmdRangeRace {

    GupFastVsRetract() {
        this("gup-fast-vs-retract",
                "CPU0 get_user_pages_fast_only(FOLL_WRITE) of a shared shmem mapping; CPU1 khugepaged collapses the file "
                        + "range into a THP and retracts the PTE table (collapse_file, retract_page_tables); x86_64:paravirt "
                        + "on 6.5 needs --schedules 20000 (13,401)");
    }

    /** The same set-up (one PMD-aligned PMD range of a shmem file, pins held), another racer. */
    GupFastVsRetract(String name, String description) {
        super(name, description, List.of("memfd", "tmpfs"), true, EnumSet.of(Foll.WRITE), 1);
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("api", "gup-fast-only", List.of("gup-fast-only", "pup-fast"),
                "CPU0's call: get_user_pages_fast_only() (no slow path), or pin_user_pages_fast() (slow path and fault too)"));
    }

    @Override
    PinProbe.Call gupCall(Map<String, String> params) {
        return params.get("api").equals("gup-fast-only") ? PinProbe.Call.GET_USER_PAGES_FAST_ONLY
                : PinProbe.Call.PIN_USER_PAGES_FAST;
    }

    /** A PMD-aligned place ({@code shmem_get_unmapped_area()} aligns THP-able shmem so). */
    @Override
    long placement(World world, Map<String, String> params) {
        return 4 * pmdSize(world);
    }

    @Override
    String race(World world, MappedBacking m, int racer) {
        return "collapse=" + world.vm().khugepaged().collapseFile(m.task.mm(), m.addr);
    }
}
