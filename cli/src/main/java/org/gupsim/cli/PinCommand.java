package org.gupsim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.scenario.Backing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gupsim pin}: one GUP/PUP call on a fresh machine, reported as one line or one JSON object. */
@Command(name = "pin", sortOptions = false,
        customSynopsis = {
            "gupsim pin [--arch ARCH[:VARIANT]] [--kernel VER] [--patch P[+P...]]... --backing B",
            "                  --map shared|private [--prot rw|ro] --api A [--write]",
            "                  [--longterm] [--pages N] [--page-size SIZE] [--json]"},
        description = {
            "Make one GUP/PUP call on a fresh machine and report the kernel's answer.",
            "",
            "Makes one get/pin_user_pages call on a fresh machine, the way the kernel's gup_longterm "
                    + "selftest does: creates the backing, mmaps it read-write, writes every page (so GUP-fast "
                    + "can pin directly), mprotects it to PROT_READ for --prot ro, makes the call, reports, "
                    + "releases what was taken, tears everything down and checks that nothing leaked.",
            "",
            "Prints one line, e.g. 'pinned 1/1 pages (fast path)' or 'failed: EFAULT (slow path: shared "
                    + "writable mapping of a dirty-tracked file)'; get_user_pages APIs say 'got'. A failed pin "
                    + "is the kernel's answer and exits 0; a leak found at teardown is printed as 'leak: ...' "
                    + "on stderr and exits 1.",
            ""},
        footer = {"",
            "Backings: anon is mmap(MAP_ANONYMOUS) (shmem underneath with --map shared); memfd is memfd_create() "
                    + "+ ftruncate(); tmpfs, ext4, xfs, btrfs are a file on that filesystem; hugetlb a file on "
                    + "hugetlbfs of the page size; memfd-hugetlb is memfd_create(MFD_HUGETLB); secretmem is "
                    + "memfd_secret(), which only MAP_SHARED can map (MAP_PRIVATE reports the kernel's EINVAL "
                    + "from mmap as the result).",
            "Page sizes: --pages counts pages of --page-size, and the call asks for that many bytes in base "
                    + "pages ('requested'). Backings other than hugetlb and memfd-hugetlb have the variant's "
                    + "base page, private anon also a PMD-sized THP (after MADV_HUGEPAGE); hugetlb and "
                    + "memfd-hugetlb have the variant's huge page sizes, the PMD-sized one (HPAGE_SIZE) by "
                    + "default. 'gupsim list' shows each variant's page sizes. At most "
                    + PinRunner.MAX_BASE_PAGES + " base pages in all (4 GiB of 4K pages, 64 GiB of 64K pages).",
            "APIs: gup, pup and pup-remote run under the mmap read lock; io_uring registers one fixed buffer "
                    + "and always passes FOLL_WRITE|FOLL_LONGTERM; vfio pins with vfio_pin_pages_remote(), "
                    + "always FOLL_LONGTERM, FOLL_WRITE with --write. FOLL_LONGTERM on gup/gup-fast is "
                    + "refused by the kernel (EINVAL), as reported. The process has CAP_IPC_LOCK (the selftest "
                    + "runs as root), so RLIMIT_MEMLOCK does not apply.",
            "JSON fields: arch, variant, kernel, patches, backing, map, prot, api, flags (FOLL_ flags passed), pageSize, "
                    + "pages, result (pinned|failed), pinned, requested, fastPinned, errno, path "
                    + "(none|fast|fast+slow|slow), reason, fastReason (on fast+slow: why GUP-fast gave up), note, "
                    + "leaks."})
final class PinCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MachineOptions machine;

    @Option(names = "--backing", paramLabel = "B", completionCandidates = PinCommand.BackingNames.class,
            description = "Required. What backs the mapping: ${COMPLETION-CANDIDATES}.")
    String backing;

    @Option(names = "--map", paramLabel = "shared|private", completionCandidates = MapNames.class,
            description = "Required. MAP_SHARED or MAP_PRIVATE.")
    String map;

    @Option(names = "--prot", paramLabel = "rw|ro", defaultValue = "rw", completionCandidates = ProtNames.class,
            description = "Protection at the time of the call (default: ${DEFAULT-VALUE}); ro mprotects to "
                    + "PROT_READ after the pages were written.")
    String prot;

    @Option(names = "--api", paramLabel = "A", completionCandidates = PinApi.Names.class,
            description = "Required. The call: ${COMPLETION-CANDIDATES}.")
    String api;

    @Option(names = "--write", arity = "0", description = "Pass FOLL_WRITE.")
    boolean write;

    @Option(names = "--longterm", arity = "0", description = "Pass FOLL_LONGTERM.")
    boolean longterm;

    @Allowed("1 or more pages of --page-size: at most " + PinRunner.MAX_BASE_PAGES
            + " base pages in all")
    @Option(names = "--pages", paramLabel = "N", defaultValue = "1",
            description = "Number of pages of --page-size (default: ${DEFAULT-VALUE}).")
    String pages;

    @Option(names = "--page-size", paramLabel = "SIZE", completionCandidates = PageSize.Names.class,
            description = "Page size of the backing: one the variant has (gupsim list), e.g. 4K, 2M or 1G on "
                    + "x86_64, 4K, 1M or 2G on s390; default: the variant's PMD-sized huge page for hugetlb "
                    + "backings, its base page otherwise.")
    String pageSize;

    @Option(names = "--json", arity = "0", description = "Print one JSON object instead of a line.")
    boolean json;

    @Override
    public Integer call() {
        PinRequest q = request();
        PinReport report = PinRunner.run(q);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.humanLine());
        out.flush();
        if (report.leaks().isEmpty()) {
            return Main.EXIT_OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String leak : report.leaks()) {
            err.println("leak: " + leak);
        }
        err.flush();
        return Main.EXIT_FAILURE;
    }

    /**
     * Validates the options into a request.
     *
     * @throws UsageException naming the flag and the allowed values
     */
    PinRequest request() {
        requireAll();
        MachineOptions.Machine m = machine.resolve();
        Backing b = Backing.byLabel(CliValues.oneOf("--backing", backing, Backing.labels()));
        boolean shared = CliValues.oneOf("--map", map, MapNames.VALUES).equals("shared");
        boolean readOnly = CliValues.oneOf("--prot", prot, ProtNames.VALUES).equals("ro");
        PinApi a = PinApi.byLabel(CliValues.oneOf("--api", api, PinApi.labels()));
        if (pageSize != null && pageSize.isEmpty()) {
            throw CliValues.needsValue("--page-size", String.join(", ", m.arch().pageSizeNames()));
        }
        PageSize ps = pageSize == null ? PageSize.ofShift(b.defaultPageShift(m.arch())) : PageSize.byLabel(pageSize);
        if (ps == null) {
            throw CliValues.notKnown("--page-size", pageSize, m.arch().pageSizeNames());
        }
        List<PageSize> allowed = b.pageShifts(shared, m.arch()).stream().map(PageSize::ofShift).toList();
        if (!allowed.contains(ps)) {
            throw new UsageException("--page-size " + ps.label() + " is not available with --backing " + b.label()
                    + (b == Backing.ANON ? " --map " + map : "") + " (allowed: "
                    + String.join(", ", allowed.stream().map(PageSize::label).toList()) + ")");
        }
        if (!m.arch().pageSizeNames().contains(ps.label())) {
            throw new UsageException("--page-size " + ps.label() + " is not available on " + m.arch().fullName()
                    + " (allowed: " + String.join(", ", m.arch().pageSizeNames()) + ")");
        }
        int baseShift = m.arch().pageShift();
        long max = PinRunner.MAX_BASE_PAGES >>> (ps.shift() - baseShift);
        long n = CliValues.wholeNumber("--pages", pages, 1, max, " pages of " + ps.label() + ": at most "
                + PinRunner.MAX_BASE_PAGES + " base pages of " + PageSize.ofShift(baseShift).label());
        return new PinRequest(m, b, shared, readOnly, a, write, longterm, (int) n, ps);
    }

    /**
     * The required options, checked here rather than by picocli so that an unknown option is
     * reported before a missing one.
     */
    private void requireAll() {
        List<String> missing = new ArrayList<>();
        List<String> firstAllowed = null;
        if (backing == null) {
            missing.add("--backing");
            firstAllowed = Backing.labels();
        }
        if (map == null) {
            missing.add("--map");
            firstAllowed = firstAllowed != null ? firstAllowed : MapNames.VALUES;
        }
        if (api == null) {
            missing.add("--api");
            firstAllowed = firstAllowed != null ? firstAllowed : PinApi.labels();
        }
        if (!missing.isEmpty()) {
            String also = missing.size() > 1
                    ? "; also required: " + String.join(", ", missing.subList(1, missing.size())) : "";
            throw new UsageException(missing.get(0) + " is required (allowed: " + String.join(", ", firstAllowed) + ")"
                    + also);
        }
    }

    /** Values of {@code --map}. */
    static final class MapNames implements Iterable<String> {
        static final List<String> VALUES = List.of("shared", "private");

        @Override
        public Iterator<String> iterator() {
            return VALUES.iterator();
        }
    }

    /** Values of {@code --prot}. */
    static final class ProtNames implements Iterable<String> {
        static final List<String> VALUES = List.of("rw", "ro");

        @Override
        public Iterator<String> iterator() {
            return VALUES.iterator();
        }
    }

    /** For picocli's help and error messages. */
    static final class BackingNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Backing.labels().iterator();
        }
    }
}
