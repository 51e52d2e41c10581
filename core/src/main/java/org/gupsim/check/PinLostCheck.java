package org.gupsim.check;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.util.Args;
import org.gupsim.vm.Mm;
import org.gupsim.vm.SwapOps;
import org.gupsim.vm.Vma;

/**
 * The check for a pin the mm lost. A pin is a promise that the device and the process share a
 * page: what the device writes through the pin, the process reads at the address GUP was given.
 * The kernel keeps that promise by never moving or replacing a page that may be pinned: khugepaged
 * refuses folios with unexpected references, migration and KSM compare reference counts, swap-out
 * and fork look at {@code folio_maybe_dma_pinned()}. When one of them gets it wrong (a race with
 * GUP-fast, a missing recheck) the pinned page is still allocated, so nothing is freed twice and
 * no sanitizer fires; the process simply stops seeing what the device writes. This check makes
 * that visible.
 *
 * <p>Use: take {@link Mm#userUnmapMark()} before a GUP call; after it returns, {@link #pinned}
 * the pages it returned and keep the pins held;
 * once every CPU is done (a scenario's {@code release()}), {@link #check()} and then unpin. For
 * each pinned page the check asks what a user access to its address would reach now: the page
 * a present leaf maps; where nothing is mapped, the page-cache page a fault would map for a file
 * mapping, or a new page for anonymous memory. If that is not the pinned page, or it is an
 * anonymous page that is no longer exclusive (the next write copies it), the pin is lost,
 * unless the user asked for the address to be dropped after the pin was taken ({@code munmap},
 * {@code mmap(MAP_FIXED)} over it, {@code madvise(MADV_DONTNEED)}, truncation, all recorded by
 * {@link Mm#userUnmappedSince}): the kernel allows a pin to outlive the mapping it came from.
 * The zero page is never reported: pinning it takes no reference and any read fault maps it
 * again.
 *
 * <p>It reads the state without scheduling points (it is the checker), so it must only run when
 * no CPU is in the middle of changing a mapping: a collapse in progress clears the PMD before it
 * restores or replaces it, and would look like a loss.
 */
public final class PinLostCheck {
    private final PhysMem mem;
    private final List<Pin> pins = new ArrayList<>();

    private record Pin(Mm mm, long addr, Page page, int mark) {
    }

    public PinLostCheck(PhysMem mem) {
        this.mem = Args.notNull(mem, "mem");
    }

    /**
     * Records the {@code n} pages GUP returned for {@code [start, start + n pages)} of {@code mm},
     * pinned from now until after {@link #check()}. Null entries (none returned) are skipped.
     */
    public void pinned(Mm mm, long start, Page[] pages, int n) {
        Args.notNull(mm, "mm");
        pinned(mm, start, pages, n, mm.userUnmapMark());
    }

    /**
     * As {@link #pinned(Mm, long, Page[], int)}, for a call that raced other CPUs: {@code mark} is
     * {@link Mm#userUnmapMark()} taken before the call, so that what the user unmapped while the
     * call ran counts as the user's too.
     */
    public void pinned(Mm mm, long start, Page[] pages, int n, int mark) {
        Args.notNull(mm, "mm");
        Args.notNull(pages, "pages");
        Validate.isTrue(n >= 0 && n <= pages.length, "n must be between 0 and pages.length (%d), was %d",
                pages.length, n);
        Validate.isTrue(mark >= 0 && mark <= mm.userUnmapMark(), "mark must be a userUnmapMark() of mm, was %d",
                mark);
        for (int i = 0; i < n; i++) {
            if (pages[i] != null) {
                pins.add(new Pin(mm, start + i * mm.pageSize(), pages[i], mark));
            }
        }
    }

    /** Pins recorded so far. */
    public int size() {
        return pins.size();
    }

    /**
     * Checks every recorded pin, as described above, and forgets them.
     *
     * @return one violation per lost pin, in the order the pins were recorded
     */
    public List<Violation> check() {
        List<Violation> out = new ArrayList<>();
        for (Pin p : pins) {
            Folio pinned = p.page.folio();
            if (pinned.zero() || p.mm.dead() || p.mm.userUnmappedSince(p.mark, p.addr)) {
                continue;
            }
            Reach reach = wouldMap(p.mm, p.addr);
            Page now = reach == null ? null : reach.page();
            boolean same = now != null && now.pfn() == p.page.pfn() && now.folio() == pinned;
            // sanity_check_pinned_pages(): a pinned anonymous page keeps PageAnonExclusive for as
            // long as it is pinned, mapped or not (the head page stands for a PMD-mapped THP).
            boolean flagged = !pinned.anon() || p.page.pageAnonExclusive() || pinned.pageAnonExclusive();
            if (same && flagged && (!pinned.anon() || reach.exclusive())) {
                continue;
            }
            String there;
            if (!same) {
                there = now == null ? "maps nothing there, and a fault would bring in a new page"
                        : "maps " + now.folio() + (now.folio().large() ? " (page " + now.pfn() + ")" : "") + " there";
            } else if (!flagged) {
                there = (reach.mapped() ? "still maps it there" : "would fault it back in from the swap cache")
                        + ", but it is no longer PageAnonExclusive (sanity_check_pinned_pages() would BUG at unpin):"
                        + " the kernel treats it as possibly shared, and fork or KSM may share it";
            } else {
                there = "still maps it there, but no longer exclusively (CoW-shared): its next write copies it";
            }
            out.add(new Violation(ViolationKind.PIN_LOST, "GUP pinned " + pinned
                    + (pinned.large() ? " (page " + p.page.pfn() + ")" : "") + " for 0x" + Long.toHexString(p.addr)
                    + " of " + p.mm + ", and while the pin is held " + p.mm + " " + there
                    + (!same ? ": the kernel replaced the page behind the pin"
                            : flagged ? ": the kernel let the page behind the pin become shared"
                            : ": the kernel cleared the page's exclusive marker under the pin")
                    + " (the user did not unmap it)"));
        }
        pins.clear();
        return out;
    }

    /**
     * What a user access would reach: a page, and for anonymous memory whether it would be
     * {@code PageAnonExclusive}. A write to an anonymous page that is not exclusive copies it
     * ({@code do_wp_page()}: a pinned page never passes {@code wp_can_reuse_anon_folio()}), so the
     * process would write a new page and the device the old one: lost as surely as a page already
     * replaced. The kernel's own debug check says the same: {@code sanity_check_pinned_pages()}
     * (mm/gup.c, CONFIG_DEBUG_VM) asserts at unpin that a pinned anonymous page is exclusive, the
     * head page standing for a PMD-mapped THP.
     */
    private record Reach(Page page, boolean exclusive, boolean mapped) {
        static Reach mapped(Page page) {
            return new Reach(page, page.pageAnonExclusive() || page.folio().pageAnonExclusive(), true);
        }
    }

    /**
     * The page a user access to {@code addr} would reach now, or null where a fault would bring in
     * a page that does not exist yet (anonymous memory, an empty page-cache slot) or where nothing
     * is mapped at all.
     */
    private Reach wouldMap(Mm mm, long addr) {
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        Walk w = pt.peekWalk(addr, new Walk());
        if (w.leafPresent) {
            long size = pt.geometry().size(w.level);
            long pfn = fmt.leafPfn(w.level, w.entry) + ((addr & (size - 1)) >>> pt.geometry().pageShift());
            return mem.pfnValid(pfn) ? Reach.mapped(mem.pfnToPage(pfn)) : null;
        }
        if (w.level == Level.PTE && fmt.isSwapPte(w.entry)) {
            // do_swap_page(): the folio still in the swap cache comes back, exclusive (so the
            // next write keeps it) only if the swap PTE remembers that it was, or nobody else
            // holds it, which a pinned folio never is. A migration entry never outlives a
            // migration, and this check runs when none is in progress.
            if (!SwapOps.isSwapEntry(fmt, w.entry)) {
                return null;
            }
            Folio cached = mem.swap().peek(fmt.swpOffset(w.entry));
            return cached == null ? null : new Reach(cached, fmt.swpExclusive(w.entry) && !cached.ksm(), false);
        }
        Vma vma = mm.vmaLookup(addr);
        if (vma == null || vma.file() == null) {
            return null;
        }
        // A read fault on a file mapping, shared or private, maps the page-cache page.
        AddressSpace cache = vma.file().inode().mapping();
        long index = vma.linearPageIndex(addr);
        int order = vma.file().inode().folioPageShift(mm.pageShift()) - mm.pageShift();
        Folio f = cache.peek(index >>> order);
        if (f == null || f.freed()) {
            return null;
        }
        long sub = index - f.index();
        return sub >= 0 && sub < f.nrPages() ? new Reach(f.page(mem, (int) sub), true, false) : null;
    }
}
