package org.gupsim.scenario;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.fs.FsType;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
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
        long a = anon(t, 4 * PAGE);
        assertEquals(0, t.touch(a, 4 * PAGE, true));
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
        for (Executable call : calls) {
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
        long a = anon(t, 16 * PAGE);
        assertEquals(0, t.touch(a, 16 * PAGE, true));
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
        long a = anon(t, PAGE);
        assertEquals(0, t.touch(a, PAGE, true));
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
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("was torn down"), e.getMessage());
        }
        assertEquals(List.of(), w.teardown(), "a second teardown, like a second close(), does nothing");
    }

    @Test
    void anExitedProcessAndItsMmAreRefused() {
        World w = world();
        Task t = w.newTask();
        long a = anon(t, PAGE);
        assertEquals(0, t.touch(a, PAGE, true));
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

    @Test
    void nullInAFlagSetIsAnIllegalArgumentNamingIt() {
        World w = world();
        Task t = w.newTask();
        long a = anon(t, PAGE);
        Set<Foll> withNull = new HashSet<>(Arrays.asList(Foll.WRITE, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.gup().pinUserPagesFast(t.mm(), a, 1, withNull, new Page[1]));
        assertTrue(e.getMessage().startsWith("gupFlags must not contain null"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> w.gup().getUserPagesFast(t.mm(), a, 1, withNull, new Page[1]));
        List<Patch> patches = Arrays.asList(KernelCatalogue.get().patch("no-irq-disable"), null);
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> K.with(patches));
        assertTrue(m.getMessage().startsWith("patches must not contain null"), m.getMessage());
    }

    @Test
    void memorySizesThatDoNotFitAreRefusedNotTruncated() {
        // 2^44 + 4096 bytes are 2^32 + 1 frames: cast to int, that was one page.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemConfig.ofBytes(12, (1L << 44) + 4096));
        assertTrue(e.getMessage().startsWith("bytes is too large"), e.getMessage());
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
        long a = anon(t, PAGE);
        assertEquals(0, t.touch(a, PAGE, true));
        assertEquals(List.of(), w.teardown());
        for (int bad : new int[] {0, 65, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> World.boot(X86, K, MemConfig.ofBytes(12, 16L << 20), bad));
            assertTrue(e.getMessage().startsWith("nrCpus must be between 1 and 64"), e.getMessage());
        }
    }
}
