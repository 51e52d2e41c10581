package org.gupsim.bench;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.Foll;
import org.gupsim.gup.Gup;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Pins and unpins 262 144 resident anonymous base pages (1 GiB of 4K pages; 16 GiB where the
 * variant's base page is 64K, as on ppc64 radix-64k, so that every architecture is timed per page
 * over the same number of pages) with {@code pin_user_pages_fast()} and
 * {@code unpin_user_pages()}, in direct mode: the cost per page of the GUP-fast walk (PMD and
 * PTE reads, the speculative reference, the rechecks, the long-term checks) and of the unpin.
 *
 * <p>The score is nanoseconds per page: one invocation pins and unpins {@value #PAGES} pages.
 * For scale, Linux 6.18 pins 1 GiB through io_uring buffer registration at about 99 ns a page.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 10, time = 5)
@Fork(1)
public class PinBench {
    /** Base pages pinned per call: 1 GiB of 4K pages. */
    static final int PAGES = 262_144;

    /** The architecture ({@code arch[:variant]}); arch modules on the class path may add values. */
    @Param({"x86_64", "arm64", "s390", "ppc64"})
    public String arch;

    private World world;
    private Gup gup;
    private Mm mm;
    private long addr;
    private int flags;
    private Page[] pages;

    @Setup(Level.Trial)
    public void setUp() {
        KernelVersion kernel = KernelVersion.LATEST;
        ArchVariant variant = ArchRegistry.load().parse(arch, kernel);
        int pageShift = variant.pageShift();
        long bytes = (long) PAGES << pageShift;
        // The user pages, plus room for the page tables and a quarter to spare.
        MemConfig mem = MemConfig.ofBytes(pageShift, bytes + bytes / 4);
        world = World.boot(variant, kernel, mem, 1);
        gup = world.gup();
        Task task = world.newTask();
        mm = task.mm();
        // No MADV_HUGEPAGE: every page is a base-page folio mapped by its own PTE.
        addr = task.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        if (addr <= 0) {
            throw new IllegalStateException("mmap failed: " + addr);
        }
        long touched = task.touch(addr, bytes, true);
        if (touched != 0) {
            throw new IllegalStateException("touch failed: " + touched);
        }
        flags = Foll.bits(EnumSet.of(Foll.WRITE, Foll.LONGTERM));
        pages = new Page[PAGES];
        // Once, outside the measurement: the whole range must go through GUP-fast alone.
        GupResult r = gup.pinUserPagesFast(mm, addr, PAGES, flags, pages);
        if (r.ret() != PAGES || r.path() != GupResult.Path.FAST) {
            throw new IllegalStateException("expected " + PAGES + " pages pinned by GUP-fast, got " + r);
        }
        for (int i = 0; i < PAGES; i++) {
            if (pages[i].folio().large()) {
                throw new IllegalStateException("page " + i + " is in a large folio; the benchmark wants base-page folios");
            }
        }
        gup.unpinUserPages(pages, PAGES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Every measured call must have pinned, and unpinned, every page.
        if (gup.pinsAcquired() % PAGES != 0 || gup.pinsAcquired() != gup.pinsReleased()) {
            throw new IllegalStateException("pins acquired " + gup.pinsAcquired() + ", released "
                    + gup.pinsReleased() + ": some call did not pin all " + PAGES + " pages");
        }
        var violations = world.teardown();
        if (!violations.isEmpty()) {
            throw new IllegalStateException("teardown found " + violations);
        }
    }

    /** Pins all the pages with GUP-fast, then unpins them. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pinUnpin1GiB(Blackhole bh) {
        GupResult r = gup.pinUserPagesFast(mm, addr, PAGES, flags, pages);
        int n = (int) r.ret();
        gup.unpinUserPages(pages, n);
        bh.consume(r);
    }
}
