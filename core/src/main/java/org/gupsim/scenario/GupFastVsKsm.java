package org.gupsim.scenario;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gupsim.gup.Foll;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.vm.Ksm;
import org.gupsim.vm.Task;
import org.gupsim.vm.VmFlags;

/**
 * CPU0 pins private anonymous memory with {@code pin_user_pages_fast_only(FOLL_WRITE|FOLL_LONGTERM)}
 * (parameter {@code fallback=slow}: {@code pin_user_pages_fast()}) and holds the pins; CPU1 is ksmd, which finds that the pages hold the same bytes as a KSM page
 * already in its stable tree (two pages of another process merged earlier) and merges each into
 * it ({@code try_to_merge_with_ksm_page()}: {@code write_protect_page()}, then
 * {@code replace_page()}). A pinned page must
 * not be replaced (the pin-lost check): {@code write_protect_page()} clears and flushes the PTE,
 * then compares the reference count with the map count plus ksmd's own reference, and gives up if
 * they differ; a GUP-fast that grabbed the page before the PTE was cleared either holds its
 * reference still (the counts differ) or saw the PTE change and let go.
 *
 * <p>Parameter {@code pin=read} is 088b8aa537c2's KSM example: the pages were swapped out and read
 * back in, so each PTE is read-only and clean and its page exclusive; CPU0 pins them read-only
 * ({@code FOLL_LONGTERM} without {@code FOLL_WRITE}, so GUP-fast does not back off at a read-only
 * PTE). {@code write_protect_page()} still clears and flushes the PTE (the page is exclusive),
 * clears {@code PageAnonExclusive} and puts the same PTE back, so GUP-fast's PTE recheck cannot
 * see that anything happened: only its {@code gup_must_unshare()} read of the flag, after the
 * recheck, stops it pinning a page ksmd is about to replace. That read must see the clear, which
 * is what the commit's {@code smp_mb__after_atomic()} (A3 before A4) and {@code smp_rmb()} (B4
 * before B5) are for.
 */
final class GupFastVsKsm extends LongtermAnonPinRace {

    GupFastVsKsm() {
        super("gup-fast-vs-ksm",
                "CPU0 pin_user_pages_fast_only(FOLL_WRITE|FOLL_LONGTERM) of private anonymous memory, pins held; "
                        + "CPU1 (ksmd) merges each page into an identical KSM page (write_protect_page, replace_page)");
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(fallbackParam("about 70000 interleavings where flushes are IPIs"),
                new ScenarioParam("pin", "write", List.of("write", "read"),
                        "write: FOLL_WRITE|FOLL_LONGTERM pins of writable PTEs; read: FOLL_LONGTERM read-only pins of "
                                + "exclusive pages whose PTEs are read-only and clean (swapped out and read back in), "
                                + "088b8aa537c2's KSM example"));
    }

    private static boolean readPin(Map<String, String> params) {
        return params.get("pin").equals("read");
    }

    @Override
    Set<Foll> flags(Map<String, String> params) {
        return readPin(params) ? EnumSet.of(Foll.LONGTERM) : super.flags(params);
    }

    @Override
    PinProbe.Call gupCall(Map<String, String> params) {
        return fallbackCall(params);
    }

    /** Another process's two identical pages, merged into the KSM page the race will use. */
    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        long pageSize = 1L << world.mem().pageShift();
        if (readPin(params)) {
            // do_swap_page() maps an exclusive swap entry's page back exclusive; a read fault
            // leaves the PTE read-only and clean.
            if (m.task.madvise(m.addr, m.len, VmFlags.MADV_PAGEOUT) != 0 || m.task.touch(m.addr, m.len, false) != 0) {
                throw new IllegalStateException("scenario setup: swapping the pages out and in again failed");
            }
        }
        Task other = world.newTask();
        long addr = other.mmap(0, 2 * pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        if (addr < 0 || other.touch(addr, 2 * pageSize, true) != 0) {
            throw new IllegalStateException("scenario setup: the other process's mapping failed: " + addr);
        }
        Ksm ksm = new Ksm(world.vm());
        if (!ksm.mergeTwoPages(other.mm(), addr, other.mm(), addr + pageSize)) {
            throw new IllegalStateException("scenario setup: merging the other process's pages failed");
        }
        m.peer = other;
        m.peerAddr = addr;
        m.peerFolio = world.mem().pfnToPage(pfnAt(other, addr)).folio();
        // CPU0 goes back to running the pinning process: the other one ran there only to be set
        // up, and a CPU that switched away from an mm is no longer in its cpumask for flushes.
        other.mm().tlbMm().removeCpu(0);
        m.task.enter();
    }

    private static long pfnAt(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk w = pt.peekWalk(addr, new Walk());
        return pt.format().leafPfn(w.level, w.entry);
    }

    @Override
    void race(World world, MappedBacking m) {
        Ksm ksm = new Ksm(world.vm());
        long pageSize = 1L << world.mem().pageShift();
        for (int i = 0; i < m.nrPages; i++) {
            ksm.mergeWithKsmPage(m.task.mm(), m.addr + i * pageSize, m.peerFolio);
        }
    }
}
