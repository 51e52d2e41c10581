package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MADV_PAGEOUT;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.arch.toy.Toy;
import org.gupsim.check.PinLostCheck;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;

/**
 * Random sequences of mmap, touch, mprotect, munmap, MADV_DONTNEED, MADV_PAGEOUT, pin, unpin,
 * ftruncate, writeback, fork and exit on processes sharing a tmpfs, an ext4 and a hugetlbfs file;
 * fork copies the forking process's regions to the child. After every step the accounting
 * invariants hold ({@link World#checkAccounting()}: map counts match the page tables, references
 * cover mappings, page cache and pins, nothing maps a freed frame). At the end no pin a DMA user
 * relies on is lost ({@link PinLostCheck}: fork, swap-out and CoW leave pinned pages where the
 * process maps them, exclusively), then every pin is dropped, the files closed and unlinked, and
 * teardown must free every frame and swap slot.
 *
 * <p>Operations name their targets by small numbers taken modulo what exists when they run, so
 * any sequence is valid and shrinks well.
 */
class RandomOpsProperties {
    private static final long PAGE = Toy.PAGE;
    private static final int FILE_PAGES = 24;

    /** The state an operation sequence runs against. */
    static final class Machine {
        final World world;
        final List<Task> tasks = new ArrayList<>();
        final List<List<long[]>> regionsOf = new ArrayList<>(); // per task: {addr, nrPages}
        final OpenFile[] files;
        final String[] names = {"shm", "data", "huge"};
        int current;
        final List<Held> held = new ArrayList<>();
        int gupCalls;
        int gupTook;

        Machine(KernelVersion k) {
            world = Toy.boot(k, 32);
            tasks.add(world.newTask());
            regionsOf.add(new ArrayList<>());
            files = new OpenFile[] {
                world.vfs().create(world.vfs().mount(FsType.SHMEM), names[0], FILE_PAGES * PAGE),
                world.vfs().create(world.vfs().mount(FsType.EXT4), names[1], FILE_PAGES * PAGE),
                world.vfs().create(world.vfs().mount(FsType.HUGETLBFS), names[2], 2 * Toy.HUGE)
            };
        }

        /** The process the next operation runs in. */
        Task task() {
            return tasks.get(current);
        }

        List<long[]> regions() {
            return regionsOf.get(current);
        }

        long[] region(int r) {
            List<long[]> regions = regions();
            return regions.isEmpty() ? null : regions.get(r % regions.size());
        }

        /** {start address, pages} of a sub-range of region {@code r}, or null if there is no region. */
        long[] range(int r, int start, int len) {
            long[] reg = region(r);
            if (reg == null) {
                return null;
            }
            long s = start % reg[1];
            long n = Math.min(Math.max(1, len), reg[1] - s);
            return new long[] {reg[0] + s * PAGE, n};
        }

        void releaseAll() {
            for (Held h : held) {
                h.release(world);
            }
            held.clear();
        }
    }

    /** Pages taken by one successful GUP call. */
    /**
     * Pages taken by one successful GUP call; {@code lost} watches the pins a DMA user relies on
     * (FOLL_PIN for writing or long-term: a short-term read-only pin of a page-cache page may
     * legitimately stop being what the process maps), null otherwise.
     */
    record Held(Page[] pages, int n, boolean pin, PinLostCheck lost) {
        void release(World w) {
            if (pin) {
                w.gup().unpinUserPages(pages, n);
            } else {
                w.gup().putPages(pages, n);
            }
        }
    }

    /** One step of a sequence. */
    sealed interface Op {
        void run(Machine m);
    }

    /** An operation on a sub-range of one region ({@link Machine#range}); none if there is no region. */
    sealed interface RangeOp extends Op {
        int region();

        int start();

        int len();

        /** Runs it in {@code t} over {@code bytes} from {@code addr}. */
        void run(Task t, long addr, long bytes);

        @Override
        default void run(Machine m) {
            long[] r = m.range(region(), start(), len());
            if (r != null) {
                run(m.task(), r[0], r[1] * PAGE);
            }
        }
    }

    enum MapKind { ANON, THP, SHMEM_FILE, EXT4_FILE, HUGETLB_FILE }

    record MapOp(MapKind kind, boolean shared, int pages, int filePage) implements Op {
        @Override
        public void run(Machine m) {
            OpenFile file = switch (kind) {
                case SHMEM_FILE -> m.files[0];
                case EXT4_FILE -> m.files[1];
                case HUGETLB_FILE -> m.files[2];
                default -> null;
            };
            boolean huge = kind == MapKind.THP || kind == MapKind.HUGETLB_FILE;
            long len = huge ? Toy.HUGE : pages * PAGE;
            int flags = (shared && kind != MapKind.THP ? MAP_SHARED : MAP_PRIVATE)
                    | (file == null ? MAP_ANONYMOUS : 0);
            long off = file == null ? 0 : kind == MapKind.HUGETLB_FILE ? (filePage % 2) * Toy.HUGE
                    : filePage * PAGE;
            long addr = m.task().mmap(0, len, PROT_READ | PROT_WRITE, flags, file, off);
            if (addr > 0) {
                if (kind == MapKind.THP) {
                    m.task().madvise(addr, len, MADV_HUGEPAGE);
                }
                m.regions().add(new long[] {addr, len / PAGE});
            }
        }
    }

    record TouchOp(int region, int start, int len, boolean write) implements RangeOp {
        @Override
        public void run(Task t, long addr, long bytes) {
            t.touch(addr, bytes, write);
        }
    }

    record MprotectOp(int region, int start, int len, int prot) implements RangeOp {
        @Override
        public void run(Task t, long addr, long bytes) {
            t.mprotect(addr, bytes, prot);
        }
    }

    record MunmapOp(int region, int start, int len) implements RangeOp {
        @Override
        public void run(Task t, long addr, long bytes) {
            t.munmap(addr, bytes);
        }
    }

    record DontneedOp(int region, int start, int len) implements RangeOp {
        @Override
        public void run(Task t, long addr, long bytes) {
            t.madvise(addr, bytes, MADV_DONTNEED);
        }
    }

    enum PinApi { PIN_FAST, PIN, GET_FAST, GET }

    record PinOp(int region, int start, int len, PinApi api, boolean write, boolean longterm) implements Op {
        @Override
        public void run(Machine m) {
            long[] r = m.range(region, start, len);
            if (r == null) {
                return;
            }
            int n = (int) r[1];
            EnumSet<Foll> flags = EnumSet.noneOf(Foll.class);
            if (write) {
                flags.add(Foll.WRITE);
            }
            boolean pin = api == PinApi.PIN_FAST || api == PinApi.PIN;
            if (longterm && pin) {
                flags.add(Foll.LONGTERM);
            }
            Page[] pages = new Page[n];
            Gup gup = m.world.gup();
            Mm mm = m.task().mm();
            GupResult res = switch (api) {
                case PIN_FAST -> gup.pinUserPagesFast(mm, r[0], n, flags, pages);
                case GET_FAST -> gup.getUserPagesFast(mm, r[0], n, flags, pages);
                default -> {
                    mm.mmapLock().downRead(m.world.vm().cpu());
                    try {
                        yield api == PinApi.PIN ? gup.pinUserPages(mm, r[0], n, flags, pages)
                                : gup.getUserPages(mm, r[0], n, flags, pages);
                    } finally {
                        mm.mmapLock().upRead(m.world.vm().cpu());
                    }
                }
            };
            m.gupCalls++;
            if (res.pages() > 0) {
                m.gupTook++;
                PinLostCheck lost = null;
                if (pin && (write || longterm)) {
                    lost = new PinLostCheck(m.world.mem());
                    lost.pinned(mm, r[0], pages, res.pages());
                }
                m.held.add(new Held(pages, res.pages(), pin, lost));
            }
        }
    }

    record UnpinOp(int which, boolean dirty) implements Op {
        @Override
        public void run(Machine m) {
            if (m.held.isEmpty()) {
                return;
            }
            Held h = m.held.remove(which % m.held.size());
            if (h.pin() && dirty) {
                m.world.gup().unpinUserPagesDirtyLock(h.pages(), h.n(), true);
            } else {
                h.release(m.world);
            }
        }
    }

    record TruncateOp(int file, int pages) implements Op {
        @Override
        public void run(Machine m) {
            int f = file % 3;
            // hugetlbfs sizes are whole huge pages: 0, 1 or 2 of them
            long size = f == 2 ? (pages % 3) * Toy.HUGE : pages * PAGE;
            m.world.vfs().ftruncate(m.files[f], size);
        }
    }

    /** madvise(MADV_PAGEOUT): anonymous pages of the range go to swap, pinned ones stay. */
    record PageoutOp(int region, int start, int len) implements RangeOp {
        @Override
        public void run(Task t, long addr, long bytes) {
            t.madvise(addr, bytes, MADV_PAGEOUT);
        }
    }

    /** Later operations run in process {@code which} (modulo those alive). */
    record SwitchOp(int which) implements Op {
        @Override
        public void run(Machine m) {
            m.current = which % m.tasks.size();
        }
    }

    /** The current process forks; the child starts with copies of its regions. */
    record ForkOp() implements Op {
        @Override
        public void run(Machine m) {
            Task child = m.world.fork(m.task());
            if (child != null) {
                m.tasks.add(child);
                List<long[]> copy = new ArrayList<>();
                for (long[] r : m.regions()) {
                    copy.add(r.clone());
                }
                m.regionsOf.add(copy);
            }
        }
    }

    /** The current process exits, unless it is the last one. */
    record ExitOp() implements Op {
        @Override
        public void run(Machine m) {
            if (m.tasks.size() > 1) {
                m.task().exit();
                m.tasks.remove(m.current);
                m.regionsOf.remove(m.current);
                m.current = 0;
            }
        }
    }

    record WritebackOp(int file) implements Op {
        @Override
        public void run(Machine m) {
            m.world.vfs().writeback(m.files[file % 3].inode());
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> idx = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> page = Arbitraries.integers().between(0, 600);
        Arbitrary<Integer> len = Arbitraries.integers().between(1, 40);
        Arbitrary<Op> map = Combinators.combine(Arbitraries.of(MapKind.class), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 32), Arbitraries.integers().between(0, 8)).as(MapOp::new);
        Arbitrary<Op> touch = Combinators.combine(idx, page, len, Arbitraries.of(true, false)).as(TouchOp::new);
        Arbitrary<Op> mprotect = Combinators.combine(idx, page, len,
                Arbitraries.of(PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE)).as(MprotectOp::new);
        Arbitrary<Op> munmap = Combinators.combine(idx, page, len).as(MunmapOp::new);
        Arbitrary<Op> dontneed = Combinators.combine(idx, page, len).as(DontneedOp::new);
        Arbitrary<Op> pin = Combinators.combine(idx, page, len, Arbitraries.of(PinApi.class),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(PinOp::new);
        Arbitrary<Op> unpin = Combinators.combine(idx, Arbitraries.of(true, false)).as(UnpinOp::new);
        Arbitrary<Op> truncate = Combinators.combine(idx, Arbitraries.integers().between(0, 32)).as(TruncateOp::new);
        Arbitrary<Op> writeback = idx.map(WritebackOp::new);
        Arbitrary<Op> switchTask = idx.map(SwitchOp::new);
        Arbitrary<Op> fork = Arbitraries.just(new ForkOp());
        Arbitrary<Op> pageout = Combinators.combine(idx, page, len).as(PageoutOp::new);
        Arbitrary<Op> exit = Arbitraries.just(new ExitOp());
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, map), Tuple.of(4, touch),
                Tuple.of(2, mprotect), Tuple.of(2, munmap),
                Tuple.of(1, dontneed), Tuple.of(5, pin),
                Tuple.of(2, unpin), Tuple.of(2, truncate),
                Tuple.of(2, writeback), Tuple.of(2, fork), Tuple.of(2, pageout),
                Tuple.of(2, switchTask), Tuple.of(1, exit));
        return op.list().ofMinSize(4).ofMaxSize(40);
    }

    @Property(tries = 500)
    void accountingHoldsAndTeardownFreesEverything(@ForAll KernelVersion kernel, @ForAll("ops") List<Op> ops) {
        Machine m = new Machine(kernel);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            op.run(m);
            assertEquals(List.of(), m.world.checkAccounting(), "after step " + i + ": " + op);
            for (Held h : m.held) {
                for (int j = 0; j < h.n(); j++) {
                    Folio f = h.pages()[j].folio();
                    assertTrue(!f.freed() && (!h.pin() || f.zero() || f.maybeDmaPinned()),
                            "after step " + i + ": " + op + ": held page " + h.pages()[j] + " lost its reference");
                }
            }
        }
        Statistics.label("pins held at the end").collect(m.held.isEmpty() ? "none" : "some");
        Statistics.label("processes at the end").collect(m.tasks.size() == 1 ? "1" : "2+");
        Statistics.label("GUP calls that took pages").collect(m.gupTook == 0 ? "none" : m.gupTook < 3 ? "1-2" : "3+");
        for (Held h : m.held) {
            if (h.lost() != null) {
                assertEquals(List.of(), h.lost().check(), "a pin the process lost");
            }
        }
        m.releaseAll();
        assertEquals(List.of(), m.world.checkAccounting(), "after releasing every pin");
        for (int i = 0; i < m.files.length; i++) {
            m.world.vfs().fput(m.files[i]);
            assertEquals(null, m.world.vfs().unlink(m.names[i]));
        }
        assertEquals(List.of(), m.world.teardown(), "teardown");
    }
}
