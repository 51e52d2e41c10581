package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;

/**
 * CPU0 pins private memory with {@code pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)} and holds
 * the pins, as an RDMA or VFIO user does; CPU1 is the same process forking. The pins must end up
 * on pages the parent maps exclusively (the pin-lost check): a page fork left CoW-shared is
 * copied by the parent's next write, and the device keeps the old one. Fork copies maybe-pinned
 * pages for the child instead of sharing them (70e806e4e645), and a GUP-fast that overlaps fork's
 * copy of a CoW mapping sees {@code mm->write_protect_seq} odd or changed and leaves the work to
 * the slow path, which waits for fork's mmap lock (57efa1fe5957). The write itself need not run:
 * the check asks what it would reach.
 *
 * <p>With {@code backing=ext4} the range is a private mapping of an ext4 file that was only read:
 * its PTEs map page-cache pages read-only, so GUP-fast cannot pin them for writing, and the slow
 * path's write fault breaks CoW ({@code do_wp_page()} → {@code wp_page_copy()}) and pins the
 * anonymous copy, under the mmap lock fork takes for write. The VMA then has an anon_vma, so fork
 * copies its page tables, and the pinned copy is treated like any anonymous page: copied for the
 * child, the parent keeping it writable (issue 14 item 4).
 */
final class GupFastVsFork extends GupFastRace {

    GupFastVsFork() {
        super("gup-fast-vs-fork",
                "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of private memory (anonymous, or an ext4 file "
                        + "read in), pins held; CPU1 fork()s (the pins must stay on pages the parent maps exclusively)",
                List.of("anon", "ext4"), false, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
    }

    @Override
    boolean holdsPins() {
        return true;
    }

    @Override
    boolean mapsFilesPrivate() {
        return true;
    }

    @Override
    void race(World world, MappedBacking m) {
        world.fork(m.task);
    }
}
