package org.gupsim.scenario;

import static org.gupsim.vm.VmFlags.MADV_COLLAPSE;
import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MADV_PAGEOUT;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.compare.ScenarioSpec;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.SearchShard;
import org.gupsim.explore.ShardPart;
import org.gupsim.fs.FsType;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.Release;
import org.gupsim.kernel.UserCode;
import org.gupsim.litmus.LitmusParser;
import org.gupsim.litmus.LitmusRunner;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.vm.Ksm;
import org.gupsim.vm.Migrate;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Java-level misuse of the library is an {@link IllegalArgumentException} or
 * {@link IllegalStateException} that names what is wrong, at once, and never a kernel verdict
 * (a {@code KernelBugException}) or a silent wrong answer: a second Java thread, a torn-down
 * machine or process, null in a flag set, a memory size that does not fit, a CPU count out of range.
 */
class LibraryMisuseTest {
    private static final long PAGE = 4096;
    private static final KernelVersion K = KernelVersion.LATEST;
    private static final ArchVariant X86 = ArchRegistry.load().parse("x86_64", K);

    private static World world() {
        return World.boot(X86, K, MemConfig.ofBytes(12, 64L << 20), 2);
    }

    private static long anon(Task t, long len) {
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(a > 0, "mmap: " + a);
        return a;
    }

    /** {@link #anon}, every page then written (faulted in). */
    private static long written(Task t, long len) {
        long a = anon(t, len);
        assertEquals(0, t.touch(a, len, true));
        return a;
    }

    /** {@code call} throws {@code type} at once, with a message that contains {@code says}. */
    private static <T extends Throwable> void assertRefused(Class<T> type, String says, Executable call) {
        T e = assertThrows(type, call, says);
        assertTrue(e.getMessage().contains(says), "expected \"" + says + "\" in: " + e.getMessage());
    }

    /** A folio mapped at {@code a}: found by pinning it, then unpinned. */
    private static Folio folioAt(World w, Task t, long a) {
        Page[] pages = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.of(Foll.WRITE), pages).ret());
        w.gup().unpinUserPages(pages, 1);
        return pages[0].folio();
    }

    /**
     * The entry points of the kernel's own actors that act on task {@code t}'s address space (two
     * touched anonymous pages at {@code a}) in direct mode: fork, reclaim (MADV_PAGEOUT),
     * MADV_DONTNEED, MADV_COLLAPSE, mprotect, KSM, khugepaged's anonymous and shmem collapse.
     */
    private static List<Executable> processActors(World w, Task t, long a) {
        return List.of(
                () -> t.fork(99),
                () -> w.fork(t),
                () -> t.madvise(a, PAGE, MADV_PAGEOUT),
                () -> t.madvise(a, PAGE, MADV_DONTNEED),
                () -> t.madvise(0, 1L << 21, MADV_COLLAPSE),
                () -> t.mprotect(a, PAGE, PROT_READ),
                () -> new Ksm(w.vm()).mergeTwoPages(t.mm(), a, t.mm(), a + PAGE),
                () -> w.vm().khugepaged().collapseAnon(t.mm(), 0),
                () -> w.vm().khugepaged().collapseFile(t.mm(), 0));
    }

    /** Those of the machine's: migration and compaction of folio {@code f}, and swap-cache reclaim. */
    private static List<Executable> machineActors(World w, Folio f) {
        return List.of(
                () -> new Migrate(w.vm()).migrateFolio(f),
                () -> new Migrate(w.vm()).compactFolio(f, 1),
                () -> w.vm().reclaimUnusedSwapCache());
    }

    /** Both. */
    private static List<Executable> actors(World w, Task t, long a) {
        List<Executable> all = new ArrayList<>(processActors(w, t, a));
        all.addAll(machineActors(w, folioAt(w, t, a)));
        return all;
    }

    /** What {@code call} throws when run on a second Java thread. */
    private static Throwable onAnotherThread(Executable call) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                call.execute();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "second-driver");
        other.start();
        other.join();
        return thrown.get();
    }

    @Test
    void aSecondJavaThreadIsRefusedAtOnceAndTheMachineStaysSound() throws Exception {
        World w = world();
        Task t = w.newTask();
        long a = written(t, 4 * PAGE);
        Page[] pages = new Page[4];
        EnumSet<Foll> flags = EnumSet.of(Foll.WRITE);
        List<Executable> calls = List.of(
                () -> w.gup().pinUserPagesFast(t.mm(), a, 4, flags, pages),
                () -> w.gup().pinUserPagesFast(t.mm(), a, 4, Foll.WRITE.bit(), pages),
                () -> t.touch(a, PAGE, true),
                () -> t.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0),
                () -> t.munmap(a, PAGE),
                w::newTask,
                () -> w.vfs().create(w.vfs().mount(FsType.EXT4), "f", PAGE),
                w::teardown);
        List<Executable> all = new ArrayList<>(calls);
        all.addAll(actors(w, t, a));
        for (Executable call : all) {
            Throwable e = onAnotherThread(call);
            assertTrue(e instanceof IllegalStateException, "a second thread must be refused: " + e);
            assertTrue(e.getMessage().contains("'" + Thread.currentThread().getName() + "'")
                    && e.getMessage().contains("'second-driver'"), e.getMessage());
        }
        // Nothing the second thread tried happened: the driving thread goes on as if it had not.
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 4, flags, pages);
        assertEquals(4, r.ret(), r.toString());
        w.gup().unpinUserPages(pages, 4);
        assertEquals(List.of(), w.teardown());
    }

    /** Two threads racing on one machine: every call of the second is refused, none corrupts the first's. */
    @Test
    void twoThreadsDrivingOneWorldNeverMakeAFalseKernelBug() throws Exception {
        World w = world();
        Task t = w.newTask();
        long a = written(t, 16 * PAGE);
        List<Throwable> secondThread = new ArrayList<>();
        Thread other = new Thread(() -> {
            Page[] mine = new Page[16];
            for (int i = 0; i < 200; i++) {
                try {
                    GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 16, EnumSet.of(Foll.WRITE), mine);
                    secondThread.add(new AssertionError("the second thread pinned: " + r));
                    return;
                } catch (Throwable e) {
                    secondThread.add(e);
                }
            }
        }, "second-driver");
        other.start();
        Page[] pages = new Page[16];
        for (int i = 0; i < 200; i++) {
            assertEquals(16, w.gup().pinUserPagesFast(t.mm(), a, 16, EnumSet.of(Foll.WRITE), pages).ret());
            w.gup().unpinUserPages(pages, 16);
        }
        other.join();
        assertEquals(200, secondThread.size());
        assertTrue(secondThread.stream().allMatch(e -> e instanceof IllegalStateException), secondThread.toString());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aMachineCanBeHandedToAnotherThread() throws Exception {
        World w = world();
        Task t = w.newTask();
        long a = anon(t, PAGE);
        Throwable e = onAnotherThread(() -> {
            w.driveFromCurrentThread();
            assertEquals(0, t.touch(a, PAGE, true));
        });
        assertEquals(null, e);
        assertThrows(IllegalStateException.class, () -> t.touch(a, PAGE, true), "the first thread handed it over");
        w.driveFromCurrentThread();
        assertEquals(0, t.touch(a, PAGE, true));
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aTornDownMachineRefusesEveryCallWithAnIllegalStateException() {
        World w = world();
        Task t = w.newTask();
        long a = written(t, 2 * PAGE);
        List<Executable> actors = actors(w, t, a);
        assertEquals(List.of(), w.teardown());
        Page[] pages = new Page[1];
        List<Executable> calls = List.of(
                () -> t.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0),
                () -> t.munmap(a, PAGE),
                () -> t.touch(a, PAGE, true),
                w::newTask,
                () -> w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.of(Foll.WRITE), pages),
                () -> w.gup().unpinUserPages(pages, 0),
                () -> w.vfs().create(w.vfs().mount(FsType.EXT4), "f", PAGE),
                () -> w.vfs().memfdCreate("m", 0, 0),
                w::checkAccounting);
        List<Executable> all = new ArrayList<>(calls);
        all.addAll(actors);
        for (Executable call : all) {
            assertRefused(IllegalStateException.class, "was torn down", call);
        }
        assertEquals(List.of(), w.teardown(), "a second teardown, like a second close(), does nothing");
    }

    @Test
    void anExitedProcessAndItsMmAreRefused() {
        World w = world();
        Task t = w.newTask();
        long a = written(t, PAGE);
        t.exit();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.touch(a, PAGE, true));
        assertTrue(e.getMessage().contains("has exited"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.munmap(a, PAGE));
        assertThrows(IllegalStateException.class, t::exit);
        // Before: a USE_AFTER_FREE kernel bug, as if the kernel had pinned through a freed mm.
        IllegalStateException pin = assertThrows(IllegalStateException.class,
                () -> w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.of(Foll.WRITE), new Page[1]));
        assertTrue(pin.getMessage().contains("was torn down"), pin.getMessage());
        assertEquals(List.of(), w.teardown(), "teardown skips the process that exited already");
    }

    /** The actors' entry points refuse a process that exited, and its mm, as GUP does. */
    @Test
    void theKernelsActorsRefuseAnExitedProcess() {
        World w = world();
        Task other = w.newTask();
        long b = written(other, PAGE);
        Task t = w.newTask();
        long a = written(t, 2 * PAGE);
        t.exit();
        for (Executable call : processActors(w, t, a)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call, "an exited process");
            assertTrue(e.getMessage().contains("has exited") || e.getMessage().contains("was torn down"),
                    e.getMessage());
        }
        assertRefused(IllegalStateException.class, "mm2 (", () -> new Ksm(w.vm()).mergeTwoPages(other.mm(), b,
                t.mm(), a));
        assertEquals(List.of(), w.teardown());
    }

    /** Null, negative, misaligned, out-of-range and another machine's arguments: IAE naming the argument. */
    @Test
    void theKernelsActorsNameTheirBadArguments() {
        World w = world();
        Task t = w.newTask();
        long a = written(t, 2 * PAGE);
        World elsewhere = world();
        Task stranger = elsewhere.newTask();
        long s = written(stranger, PAGE);
        Folio strangers = folioAt(elsewhere, stranger, s);
        Folio f = folioAt(w, t, a);
        Ksm ksm = new Ksm(w.vm());
        Migrate migrate = new Migrate(w.vm());
        assertRefused(IllegalArgumentException.class, "vm must not be null", () -> new Ksm(null));
        assertRefused(IllegalArgumentException.class, "vm must not be null", () -> new Migrate(null));
        assertRefused(IllegalArgumentException.class, "mm1 must not be null",
                () -> ksm.mergeTwoPages(null, a, t.mm(), a));
        assertRefused(IllegalArgumentException.class, "mm2 must not be null",
                () -> ksm.mergeTwoPages(t.mm(), a, null, a));
        assertRefused(IllegalArgumentException.class, "belongs to another machine",
                () -> ksm.mergeTwoPages(t.mm(), a, stranger.mm(), s));
        assertRefused(IllegalArgumentException.class, "mm must not be null", () -> ksm.mergeWithKsmPage(null, a, f));
        assertRefused(IllegalArgumentException.class, "kpage must not be null",
                () -> ksm.mergeWithKsmPage(t.mm(), a, null));
        assertRefused(IllegalArgumentException.class, "kpage must be a KSM page",
                () -> ksm.mergeWithKsmPage(t.mm(), a, f));
        assertRefused(IllegalArgumentException.class, "folio must not be null", () -> migrate.migrateFolio(null));
        assertRefused(IllegalArgumentException.class, "folio must not be null", () -> migrate.compactFolio(null, 1));
        assertRefused(IllegalArgumentException.class, "is not a folio of this machine",
                () -> migrate.migrateFolio(strangers));
        for (int passes : new int[] {0, -1, Migrate.NR_MAX_MIGRATE_ASYNC_RETRY + 1, Integer.MIN_VALUE}) {
            assertRefused(IllegalArgumentException.class, "passes must be between 1 and 3",
                    () -> migrate.compactFolio(f, passes));
        }
        assertRefused(IllegalArgumentException.class, "mm must not be null",
                () -> w.vm().khugepaged().collapseAnon(null, 0));
        assertRefused(IllegalArgumentException.class, "belongs to another machine",
                () -> w.vm().khugepaged().collapseFile(stranger.mm(), 0));
        for (long haddr : new long[] {PAGE, -PAGE, Long.MAX_VALUE}) {
            assertRefused(IllegalArgumentException.class, "haddr must be PMD-aligned",
                    () -> w.vm().khugepaged().collapseAnon(t.mm(), haddr));
            assertRefused(IllegalArgumentException.class, "haddr must be PMD-aligned",
                    () -> w.vm().khugepaged().collapseFile(t.mm(), haddr));
        }
        assertRefused(IllegalArgumentException.class, "childPid must be positive", () -> t.fork(0));
        assertRefused(IllegalArgumentException.class, "childPid must be positive", () -> t.fork(-1));
        assertRefused(IllegalArgumentException.class, "parent must be a task of this world", () -> w.fork(null));
        assertRefused(IllegalArgumentException.class, "parent must be a task of this world", () -> w.fork(stranger));
        assertEquals(List.of(), elsewhere.teardown());
        assertEquals(List.of(), w.teardown());
    }

    /**
     * Lengths the kernel reads as {@code size_t} that round up past zero or wrap the range around
     * are the kernel's errno (madvise -EINVAL, mprotect -ENOMEM, munmap -EINVAL), not an exception
     * and never a silent success over a wrapped range; the mapping is untouched.
     */
    @Test
    void overflowingLengthsGetTheKernelsErrno() {
        World w = world();
        Task t = w.newTask();
        long a = written(t, 2 * PAGE);
        for (long len : new long[] {-1, -PAGE, -a}) {
            for (int advice : new int[] {MADV_DONTNEED, MADV_PAGEOUT, MADV_COLLAPSE}) {
                assertEquals(Errno.EINVAL.negative(), t.madvise(a, len, advice), "madvise len " + len);
            }
            assertEquals(Errno.ENOMEM.negative(), t.mprotect(a, len, PROT_READ), "mprotect len " + len);
            assertEquals(Errno.EINVAL.negative(), t.munmap(a, len), "munmap len " + len);
        }
        assertEquals(Errno.EINVAL.negative(), t.madvise(a + 1, PAGE, MADV_DONTNEED), "a misaligned start");
        assertEquals(0, t.madvise(a, 0, MADV_DONTNEED), "an empty range");
        // Still mapped, still the same pages: nothing above did anything.
        Folio f = folioAt(w, t, a);
        assertEquals(0, t.touch(a, 2 * PAGE, true));
        assertEquals(f, folioAt(w, t, a));
        // A range past what a long holds does not wrap: it covers every VMA above a, as the kernel's
        // would, and answers -ENOMEM for the unmapped rest (madvise_walk_vmas()).
        assertEquals(Errno.ENOMEM.negative(), t.madvise(a, Long.MAX_VALUE, MADV_DONTNEED));
        assertTrue(f.freed(), "MADV_DONTNEED dropped the page");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void nullInAFlagSetIsAnIllegalArgumentNamingIt() {
        World w = world();
        Task t = w.newTask();
        long a = anon(t, PAGE);
        Set<Foll> withNull = new HashSet<>(Arrays.asList(Foll.WRITE, null));
        assertRefused(IllegalArgumentException.class, "gupFlags must not contain null",
                () -> w.gup().pinUserPagesFast(t.mm(), a, 1, withNull, new Page[1]));
        assertRefused(IllegalArgumentException.class, "gupFlags must not contain null",
                () -> w.gup().getUserPagesFast(t.mm(), a, 1, withNull, new Page[1]));
        List<Patch> patches = Arrays.asList(KernelCatalogue.get().patch("no-irq-disable"), null);
        assertRefused(IllegalArgumentException.class, "patches must not contain null", () -> K.with(patches));
    }

    @Test
    void memorySizesThatDoNotFitAreRefusedNotTruncated() {
        // 2^44 + 4096 bytes are 2^32 + 1 frames: cast to int, that was one page.
        assertRefused(IllegalArgumentException.class, "bytes is too large",
                () -> MemConfig.ofBytes(12, (1L << 44) + 4096));
        MemConfig m = MemConfig.ofBytes(12, 64L << 20);
        assertThrows(IllegalArgumentException.class, () -> m.withCma((1L << 44) + 4096, false));
        assertThrows(IllegalArgumentException.class, () -> m.withMovable((1L << 44) + 4096));
        assertThrows(IllegalArgumentException.class, () -> m.withCma(-4096, false));
        assertThrows(IllegalArgumentException.class, () -> MemConfig.ofBytes(40, 64L << 20));
        assertEquals(64 << 8, MemConfig.ofBytes(12, (64L << 20) + 100).normalPages(), "a partial page is left out");
        assertEquals(8 << 8, m.withCma(8L << 20, true).cmaPages());
    }

    @Test
    void cpuCountsAreOneToSixtyFourAsDocumented() {
        World w = World.boot(X86, K, MemConfig.ofBytes(12, 16L << 20), 64);
        assertEquals(64, w.smp().cpus().size());
        Task t = w.newTask();
        long a = written(t, PAGE);
        assertEquals(List.of(), w.teardown());
        for (int bad : new int[] {0, 65, -1}) {
            assertRefused(IllegalArgumentException.class, "nrCpus must be between 1 and 64",
                    () -> World.boot(X86, K, MemConfig.ofBytes(12, 16L << 20), bad));
        }
    }

    /** A part of a split that says what it likes: what merging must check itself. */
    private record Part(int shard, int shards) implements ShardPart {
    }

    /**
     * The entry points this round added answer null, empty, out-of-range and unknown arguments
     * with an IllegalArgumentException naming them, never a NullPointerException or an index out
     * of bounds: memory models and choices, the litmus API, merging shards, patches by name, user
     * class paths, scenario specs, explore options.
     */
    @Test
    void thisRoundsEntryPointsNameTheirBadArguments() {
        assertEquals(Optional.empty(), MemoryModelChoice.parse(null));
        assertEquals(Optional.empty(), MemoryModels.byName(null));
        assertRefused(IllegalArgumentException.class, "memory model must be one of", () -> MemoryModels.get(null));
        assertRefused(IllegalArgumentException.class, "memory model must be one of", () -> MemoryModels.get(""));
        assertRefused(IllegalArgumentException.class, "text must not be null", () -> LitmusParser.parse(null));
        assertRefused(IllegalArgumentException.class, "empty file", () -> LitmusParser.parse(""));
        assertRefused(IllegalArgumentException.class, "test and model must not be null",
                () -> LitmusRunner.run(null, MemoryModels.get("sc")));
        assertRefused(IllegalArgumentException.class, "patch must be one of", () -> KernelCatalogue.get().patch(null));
        assertRefused(IllegalArgumentException.class, "patch must be one of", () -> KernelCatalogue.get().patch(""));
        assertRefused(IllegalArgumentException.class, "a class path entry must not be blank",
                () -> UserCode.loader(Arrays.asList((String) null)));
        assertRefused(IllegalArgumentException.class, "entries must not be empty", () -> UserCode.loader(List.of()));
        assertEquals(Map.of(), ScenarioSpec.of("gup-fast-vs-munmap", null).params());
        assertRefused(IllegalArgumentException.class, "name must not be empty", () -> ScenarioSpec.of(null, Map.of()));
        assertRefused(IllegalArgumentException.class, "no shards to merge", () -> ShardPart.inShardOrder(List.of()));
        assertRefused(IllegalArgumentException.class, "no shards to merge", () -> ShardPart.inShardOrder(null));
        assertRefused(IllegalArgumentException.class, "parts must not contain null",
                () -> ShardPart.inShardOrder(Arrays.asList(new Part(0, 2), null)));
        assertRefused(IllegalArgumentException.class, "shard 7/2 is out of range (0 to 1)",
                () -> ShardPart.inShardOrder(List.of(new Part(0, 2), new Part(7, 2))));
        assertRefused(IllegalArgumentException.class, "shard -1/2 is out of range",
                () -> ShardPart.inShardOrder(List.of(new Part(-1, 2))));
        assertRefused(IllegalArgumentException.class, "a part of 0 shards", () -> ShardPart.inShardOrder(
                List.of(new Part(0, 0))));
        assertRefused(IllegalArgumentException.class, "shard 1/2 is missing",
                () -> ShardPart.inShardOrder(List.of(new Part(0, 2))));
        assertRefused(IllegalArgumentException.class, "shard must be 0 to shards - 1: 2/2",
                () -> new SearchShard(2, 2, 10_000, false, List.of()));
        assertRefused(IllegalArgumentException.class, "threads must be 1 to 1024: 0",
                () -> ExploreOptions.DEFAULTS.withThreads(0));
        assertRefused(IllegalArgumentException.class, "maxSchedules must be positive: -1",
                () -> ExploreOptions.DEFAULTS.withMaxSchedules(-1));
        assertRefused(IllegalArgumentException.class, "maxSteps must be positive: 0",
                () -> ExploreOptions.DEFAULTS.withMaxSteps(0));
        assertRefused(IllegalArgumentException.class, "preemptionBound must be -1 or more: -2",
                () -> ExploreOptions.DEFAULTS.withPreemptionBound(-2));
        assertRefused(IllegalArgumentException.class, "release must not be null", () -> Release.parse(null));
        assertRefused(IllegalArgumentException.class, "release must be MAJOR.MINOR",
                () -> Release.parse("99999999999.1"));
    }
}
