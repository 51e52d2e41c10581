package org.gupsim.bench;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Folio;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap bytes per resident, mapped 4K page: boots a machine with 1 GiB of memory (plus room for
 * its page tables), maps and touches 1 GiB of anonymous memory (262,144 small folios), and divides
 * the growth of the used heap by the number of pages. The kernel spends 72 bytes on the same page:
 * a 64-byte {@code struct page} and an 8-byte PTE.
 *
 * <p>Two figures, which should agree: the used heap after full GCs (MemoryMXBean), before booting
 * and after touching, which counts everything the machine holds; and the exact size of every
 * object reachable from the {@link World}, by class, from JOL. Both depend on the JVM's object
 * layout (compressed oops and class pointers, header size, alignment), which is printed first.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.gupsim.bench.HeapPerPage [arch]</pre>
 */
public final class HeapPerPage {
    private static final int PAGES = 262_144;
    private static final long BYTES = (long) PAGES << 12;
    /**
     * Frames beyond the 1 GiB of user pages: x86-64 needs 512 PTE tables, a PMD table, a PUD table
     * and the PGD (515 pages) for 1 GiB; 1024 leaves room and costs 4 KiB of mem_map.
     */
    private static final int SLACK_PAGES = 1024;

    private HeapPerPage() {
    }

    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : "x86_64";
        // JOL cannot ask Unsafe for field offsets of records (Filesystem is one); let it find them
        // by its own probing instead. Read when JOL initialises, so set before its first use.
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        printJvm();

        long before = usedHeapAfterGc();
        KernelVersion kernel = KernelVersion.LATEST;
        MemConfig config = new MemConfig(12, PAGES + SLACK_PAGES, 0, 0, false);
        World world = World.boot(ArchRegistry.load().parse(arch, kernel), kernel, config, 1);
        Task task = world.newTask();
        long addr = task.mmap(0, BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        check(addr > 0, "mmap failed: " + addr);
        check(task.touch(addr, BYTES, true) == 0, "touch failed");
        long after = usedHeapAfterGc();
        int small = countSmallFolios(world);
        check(small == PAGES, "expected " + PAGES + " small user folios, found " + small);
        check(task.mm().pageTables().tablesLive() > 0, "no page tables");

        System.out.printf(Locale.ROOT, "machine: %s, kernel %s, %d + %d frames of 4K, 1 CPU%n",
                arch, kernel.label(), PAGES, SLACK_PAGES);
        System.out.printf(Locale.ROOT, "mapped and touched: %d anonymous 4K pages (%d order-0 folios), "
                + "%d page tables%n", PAGES, small, task.mm().pageTables().tablesLive());
        System.out.println();
        long delta = after - before;
        System.out.printf(Locale.ROOT, "used heap after full GC: before boot %,d B, after touch %,d B, growth %,d B%n",
                before, after, delta);
        System.out.printf(Locale.ROOT, "heap growth per page:            %.2f B%n", (double) delta / PAGES);

        GraphLayout graph = GraphLayout.parseInstance(world);
        System.out.printf(Locale.ROOT, "objects reachable from World:    %.2f B per page (%,d B in %,d objects)%n",
                (double) graph.totalSize() / PAGES, graph.totalSize(), graph.totalCount());
        System.out.println();
        printBreakdown(graph);
        System.out.println();
        System.out.println("Folio field layout:");
        System.out.println(ClassLayout.parseClass(Folio.class).toPrintable());
        Reference.reachabilityFence(world);
    }

    private static void printJvm() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        System.out.printf(Locale.ROOT, "JVM: %s %s; GC: %s; max heap %,d MiB%n",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), gcs,
                Runtime.getRuntime().maxMemory() >> 20);
        List<String> flags = new ArrayList<>();
        for (String f : List.of("UseCompressedOops", "UseCompressedClassPointers", "UseCompactObjectHeaders",
                "ObjectAlignmentInBytes")) {
            try {
                flags.add(f + "=" + hs.getVMOption(f).getValue());
            } catch (IllegalArgumentException noSuchFlag) {
                flags.add(f + "=n/a");
            }
        }
        System.out.println("flags: " + String.join(" ", flags));
        System.out.println("input arguments: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Used heap once repeated full GCs have stopped changing it. */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used == last) {
                return used;
            }
            last = used;
        }
        return last;
    }

    private static int countSmallFolios(World world) {
        int n = 0;
        for (Folio f : world.mem().liveFolios()) {
            if (!f.large() && f.anon()) {
                n++;
            }
        }
        return n;
    }

    /** Bytes per page by class, largest first; classes under 0.01 B per page are summed. */
    private static void printBreakdown(GraphLayout graph) {
        List<Class<?>> classes = new ArrayList<>(graph.getClasses());
        classes.sort(Comparator.comparingLong((Class<?> c) -> -graph.getClassSizes().count(c))
                .thenComparing(Class::getName));
        System.out.println("by class (JOL):                        objects          bytes   B/page");
        long rest = 0;
        long restCount = 0;
        for (Class<?> c : classes) {
            long size = graph.getClassSizes().count(c);
            long count = graph.getClassCounts().count(c);
            if ((double) size / PAGES < 0.01) {
                rest += size;
                restCount += count;
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-34s %,10d %,14d %8.2f%n", c.getName(), count, size, (double) size / PAGES);
        }
        System.out.printf(Locale.ROOT, "  %-34s %,10d %,14d %8.2f%n", "(all other classes)", restCount, rest,
                (double) rest / PAGES);
        System.out.printf(Locale.ROOT, "  %-34s %,10d %,14d %8.2f%n", "total", graph.totalCount(), graph.totalSize(),
                (double) graph.totalSize() / PAGES);
        long folio = ClassLayout.parseClass(Folio.class).instanceSize();
        long slot = graph.getClassSizes().count(Page[].class) / Math.max(1, (long) PAGES + SLACK_PAGES + 1);
        System.out.printf(Locale.ROOT, "per page: Folio %d B + mem_map slot %d B + PTE 8 B = %d B, plus page-table "
                + "objects and fixed costs spread over the GiB%n", folio, slot, folio + slot + 8);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
