package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.gup.KernelVersion;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.Test;

class PinCommandTest {
    private static final String[] SEED = {"pin", "--backing", "ext4", "--map", "shared", "--api", "pup-fast",
        "--write", "--longterm"};

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static void assertOk(CliRun r, String line) {
        assertEquals(List.of(line), r.outLines(), r.toString());
        assertEquals("", r.err(), r.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
    }

    @Test
    void seedCaseIsRefusedOnLatest() {
        assertOk(CliRun.of(SEED), "failed: EFAULT (slow path: shared writable mapping of a dirty-tracked file)");
    }

    @Test
    void seedCasePinsOn64() {
        assertOk(CliRun.of(with(SEED, "--kernel", "6.4")), "pinned 1/1 pages (fast path)");
    }

    @Test
    void seedCaseWithPrivateMappingPinsThroughTheSlowPath() {
        CliRun r = CliRun.of("pin", "--backing", "ext4", "--map", "private", "--api", "pup-fast", "--write",
                "--longterm", "--pages", "4", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().contains("\"result\": \"pinned\", \"pinned\": 4, \"requested\": 4"), r.out());
    }

    @Test
    void anonPrivatePinsOnTheFastPath() {
        assertOk(CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "pup-fast", "--write",
                "--longterm"), "pinned 1/1 pages (fast path)");
    }

    @Test
    void getApisSayGot() {
        assertOk(CliRun.of("pin", "--backing", "tmpfs", "--map", "shared", "--api", "gup-fast", "--write",
                "--pages", "8"), "got 8/8 pages (fast path)");
        assertOk(CliRun.of("pin", "--backing", "memfd", "--map", "shared", "--api", "gup"),
                "got 1/1 pages (slow path)");
    }

    @Test
    void longtermWithoutPinIsTheKernelsEinval() {
        assertOk(CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "gup-fast", "--longterm"),
                "failed: EINVAL (is_valid_gup_args() rejected the arguments (WARN))");
    }

    @Test
    void readOnlyMappingRefusesWritePin() {
        assertOk(CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "pup", "--write", "--prot",
                "ro"), "failed: EFAULT (slow path: write to a read-only mapping)");
    }

    @Test
    void secretmemPrivateMappingFailsInMmap() {
        assertOk(CliRun.of("pin", "--backing", "secretmem", "--map", "private", "--api", "pup-fast"),
                "failed: EINVAL (mmap: memfd_secret() memory can only be mapped MAP_SHARED)");
        assertOk(CliRun.of("pin", "--backing", "secretmem", "--map", "shared", "--api", "pup"),
                "failed: EFAULT (slow path: secretmem mapping)");
    }

    @Test
    void jsonHasEveryFieldInOrderAndIsStable() {
        String[] args = with(SEED, "--json");
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertEquals(Main.EXIT_OK, a.exit(), a.toString());
        assertEquals(a.out(), b.out());
        assertEquals("{\"arch\": \"x86_64\", \"variant\": \"native-rcu\", \"kernel\": \"latest\", "
                + "\"patches\": [], \"backing\": \"ext4\", \"map\": \"shared\", \"prot\": \"rw\", "
                + "\"api\": \"pup-fast\", "
                + "\"flags\": \"FOLL_WRITE|FOLL_LONGTERM\", \"pageSize\": \"4K\", \"pages\": 1, "
                + "\"result\": \"failed\", \"pinned\": 0, \"requested\": 1, \"fastPinned\": 0, "
                + "\"errno\": \"EFAULT\", \"path\": \"fast+slow\", "
                + "\"reason\": \"slow path: shared writable mapping of a dirty-tracked file\", "
                + "\"note\": null, \"leaks\": []}\n", a.out());
    }

    @Test
    void jsonOfASuccessfulPin() {
        CliRun r = CliRun.of("pin", "--kernel", "6.4", "--backing", "anon", "--map", "private", "--api",
                "pup-fast", "--write", "--pages", "3", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("{\"arch\": \"x86_64\", \"variant\": \"native\", \"kernel\": \"6.4\", \"patches\": [], "
                + "\"backing\": \"anon\", "
                + "\"map\": \"private\", \"prot\": \"rw\", \"api\": \"pup-fast\", \"flags\": \"FOLL_WRITE\", "
                + "\"pageSize\": \"4K\", \"pages\": 3, \"result\": \"pinned\", \"pinned\": 3, \"requested\": 3, "
                + "\"fastPinned\": 3, \"errno\": null, \"path\": \"fast\", \"reason\": null, \"note\": null, "
                + "\"leaks\": []}\n", r.out());
    }

    @Test
    void hugetlbPinsHugePages() {
        assertOk(CliRun.of("pin", "--backing", "hugetlb", "--map", "shared", "--api", "pup-fast", "--write",
                "--longterm", "--page-size", "2M"), "pinned 512/512 pages (fast path)");
        assertOk(CliRun.of("pin", "--backing", "hugetlb", "--map", "shared", "--api", "pup", "--write",
                "--longterm", "--page-size", "1G"), "pinned 262144/262144 pages (slow path)");
        assertOk(CliRun.of("pin", "--backing", "memfd-hugetlb", "--map", "private", "--api", "pup-fast",
                "--write", "--longterm", "--page-size", "1G", "--pages", "2"), "pinned 524288/524288 pages (fast path)");
    }

    @Test
    void hugetlbDefaultsTo2M() {
        CliRun r = CliRun.of("pin", "--backing", "memfd-hugetlb", "--map", "shared", "--api", "pup-fast", "--json");
        assertTrue(r.out().contains("\"pageSize\": \"2M\", \"pages\": 1, \"result\": \"pinned\", \"pinned\": 512, "
                + "\"requested\": 512"), r.out());
    }

    @Test
    void anonThpPinsFast() {
        assertOk(CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "pup-fast", "--write",
                "--longterm", "--page-size", "2M", "--pages", "2"), "pinned 1024/1024 pages (fast path)");
    }

    @Test
    void ioUringUsesItsOwnFlags() {
        CliRun r = CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "io_uring", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().contains("\"flags\": \"FOLL_WRITE|FOLL_LONGTERM\""), r.out());
        assertTrue(r.out().contains("\"result\": \"pinned\", \"pinned\": 1"), r.out());
        assertOk(CliRun.of("pin", "--backing", "ext4", "--map", "shared", "--api", "io_uring", "--write",
                "--longterm"), "failed: EFAULT (slow path: shared writable mapping of a dirty-tracked file)");
        assertOk(CliRun.of("pin", "--backing", "ext4", "--map", "shared", "--api", "io_uring"),
                "failed: EFAULT (slow path: shared writable mapping of a dirty-tracked file; flags used: "
                        + "FOLL_WRITE|FOLL_LONGTERM (io_uring chooses its own))");
    }

    @Test
    void ioUringBefore65RefusesFileBackedBuffersItself() {
        assertOk(CliRun.of("pin", "--kernel", "6.4", "--backing", "xfs", "--map", "private", "--api", "io_uring",
                "--write", "--longterm"), "failed: EOPNOTSUPP (io_uring (before 6.5): file-backed buffers other "
                + "than shmem and hugetlbfs are not supported)");
    }

    @Test
    void vfioPinsLongterm() {
        assertOk(CliRun.of("pin", "--backing", "ext4", "--map", "private", "--api", "vfio", "--write",
                "--longterm", "--pages", "2"), "pinned 2/2 pages (slow path)");
        assertOk(CliRun.of("pin", "--backing", "btrfs", "--map", "shared", "--api", "vfio", "--write",
                "--longterm"), "failed: EFAULT (slow path: shared writable mapping of a dirty-tracked file)");
        CliRun r = CliRun.of("pin", "--backing", "anon", "--map", "private", "--api", "vfio", "--json");
        assertTrue(r.out().contains("\"flags\": \"FOLL_LONGTERM\""), r.out());
        assertTrue(r.out().contains("\"note\": \"flags used: FOLL_LONGTERM (vfio chooses its own)\""), r.out());
    }

    @Test
    void v7PatchRefusesPrivateFileMappingsInVfio() {
        assertOk(CliRun.of("pin", "--kernel", "v7-patch", "--backing", "ext4", "--map", "private", "--api", "vfio",
                "--write", "--longterm"), "failed: EFAULT (slow path: writable_file_mapping_allowed() as in v7-patch refused a private ext4 mapping)");
    }

    // ------------------------------------------------------------------ bad input

    private static void assertUsage(String flag, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains(flag), r.toString());
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), r.toString());
    }

    @Test
    void unknownBacking() {
        assertUsage("--backing nfs is not known (allowed: anon, memfd, tmpfs, hugetlb, memfd-hugetlb, ext4, xfs, "
                + "btrfs, secretmem)", "pin", "--backing", "nfs", "--map", "shared", "--api", "pup");
    }

    @Test
    void pageSizesFollowTheArchitectureVariant() {
        assertOk(CliRun.of("pin", "--arch", "arm64:16k-47", "--backing", "hugetlb", "--map", "shared", "--api",
                "pup-fast", "--write", "--longterm"), "pinned 2048/2048 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:64k-42", "--backing", "anon", "--map", "private", "--api",
                "pup-fast", "--write", "--longterm", "--pages", "3"), "pinned 3/3 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:16k-48", "--backing", "anon", "--map", "private", "--api",
                "pup", "--write", "--page-size", "32M"), "pinned 2048/2048 pages (slow path)");
        assertUsage("--page-size 64K is not available with --backing hugetlb (allowed: 32M, 2M, 1G)",
                "pin", "--arch", "arm64:16k-47", "--backing", "hugetlb", "--map", "shared", "--api", "pup",
                "--page-size", "64K");
    }

    /** arm64's contiguous-bit hugetlb sizes: 64K (16 PTEs) and 32M (16 PMDs) with 4K granules, 2M (128 PTEs) with 16K. */
    @Test
    void arm64ContiguousHugetlbPagesPin() {
        assertOk(CliRun.of("pin", "--arch", "arm64", "--backing", "hugetlb", "--map", "shared", "--api",
                "pup-fast", "--write", "--longterm", "--page-size", "64K", "--pages", "3"), "pinned 48/48 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:4k-39", "--backing", "memfd-hugetlb", "--map", "private", "--api",
                "pup", "--write", "--page-size", "32M"), "pinned 8192/8192 pages (slow path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:16k-47", "--backing", "hugetlb", "--map", "shared", "--api",
                "pup-fast", "--page-size", "2M"), "pinned 128/128 pages (fast path)");
    }

    @Test
    void pageSizeTheBackingCannotHave() {
        assertUsage("--page-size 2M is not available with --backing ext4 (allowed: 4K)",
                "pin", "--backing", "ext4", "--map", "shared", "--api", "pup", "--page-size", "2M");
        assertUsage("--page-size 1G is not available with --backing anon --map private (allowed: 4K, 2M)",
                "pin", "--backing", "anon", "--map", "private", "--api", "pup", "--page-size", "1G");
        assertUsage("--page-size 2M is not available with --backing anon --map shared (allowed: 4K)",
                "pin", "--backing", "anon", "--map", "shared", "--api", "pup", "--page-size", "2M");
        assertUsage("--page-size 4K is not available with --backing hugetlb (allowed: 2M, 1G)",
                "pin", "--backing", "hugetlb", "--map", "shared", "--api", "pup", "--page-size", "4K");
        assertUsage("--page-size 3M is not known (allowed: 4K, 2M, 1G)",
                "pin", "--backing", "hugetlb", "--map", "shared", "--api", "pup", "--page-size", "3M");
    }

    /** An unknown size is answered with the sizes of the variant asked for, not of some other architecture. */
    @Test
    void anUnknownPageSizeListsTheVariantsSizes() {
        assertUsage("--page-size 5M is not known (allowed: 4K, 1M, 2G)",
                "pin", "--arch", "s390", "--backing", "anon", "--map", "private", "--api", "pup", "--page-size", "5M");
        assertUsage("--page-size 3M is not known (allowed: 64K, 16M, 16G)", "pin", "--arch", "ppc64:hash-64k",
                "--backing", "hugetlb", "--map", "shared", "--api", "pup", "--page-size", "3M");
        assertUsage("--page-size 12K is not known (allowed: 16K, 2M, 32M, 1G)", "pin", "--arch", "arm64:16k-47",
                "--backing", "anon", "--map", "private", "--api", "pup", "--page-size", "12K");
    }

    /**
     * Every hugetlb page size that every variant lists gets past the CLI's checks with room for at
     * least one page: {@code --pages 0} is answered with the range, which must start at 1 and go
     * at least to 1.
     */
    @Test
    void everyListedHugePageSizeIsAccepted() {
        Pattern range = Pattern.compile("allowed: 1\\.\\.(\\d+) pages of ");
        for (Architecture a : ArchRegistry.load().architectures()) {
            for (String v : a.variants()) {
                ArchVariant variant = a.variant(v, KernelVersion.LATEST);
                String kernel = Worlds.latestKernelOf(variant).label(); // s390:fragments is before 6.7
                for (long size : variant.hugePageSizes()) {
                    String label = PageSize.ofShift(Long.numberOfTrailingZeros(size)).label();
                    CliRun r = CliRun.of("pin", "--arch", variant.fullName(), "--kernel", kernel, "--backing", "hugetlb",
                            "--map", "shared", "--api", "pup", "--page-size", label, "--pages", "0");
                    assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
                    Matcher m = range.matcher(r.err());
                    assertTrue(m.find() && Long.parseLong(m.group(1)) >= 1,
                            variant.fullName() + " " + label + ": " + r);
                }
            }
        }
    }

    /**
     * The largest page of each architecture, and the two arm64 ones a contiguous PMD group or a
     * PUD block maps, pin on a machine big enough for them (the audit found s390's 2G page failing
     * with an internal error: the allocator stopped at the order of a 1G page of 4K pages).
     */
    @Test
    void theLargestPagesPin() {
        assertOk(CliRun.of("pin", "--arch", "s390", "--backing", "hugetlb", "--map", "shared", "--api", "pup-fast",
                "--write", "--page-size", "2G"), "pinned 524288/524288 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "ppc64:hash-64k", "--backing", "hugetlb", "--map", "shared", "--api",
                "pup-fast", "--write", "--page-size", "16G"), "pinned 262144/262144 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:64k-48", "--backing", "memfd-hugetlb", "--map", "shared", "--api",
                "pup-fast", "--write", "--longterm", "--page-size", "16G"), "pinned 262144/262144 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:4k-48", "--backing", "hugetlb", "--map", "shared", "--api",
                "pup-fast", "--page-size", "1G"), "pinned 262144/262144 pages (fast path)");
        assertOk(CliRun.of("pin", "--arch", "arm64:16k-48", "--backing", "hugetlb", "--map", "private", "--api",
                "pup", "--write", "--page-size", "1G"), "pinned 65536/65536 pages (slow path)");
    }

    @Test
    void pagesOutOfRange() {
        assertUsage("--pages 0 is out of range (allowed: 1..1048576 pages of 4K: at most 1048576 base pages of 4K)",
                "pin", "--backing", "anon", "--map", "shared", "--api", "pup", "--pages", "0");
        assertUsage("--pages -3 is out of range", "pin", "--backing", "anon", "--map", "shared", "--api", "pup",
                "--pages", "-3");
        assertUsage("--pages 5 is out of range (allowed: 1..4 pages of 1G: at most 1048576 base pages of 4K)", "pin",
                "--backing", "hugetlb", "--map", "shared", "--api", "pup", "--page-size", "1G", "--pages", "5");
        assertUsage("--pages 5 is out of range (allowed: 1..4 pages of 16G: at most 1048576 base pages of 64K)",
                "pin", "--arch", "ppc64:hash-64k", "--backing", "hugetlb", "--map", "shared", "--api", "pup",
                "--page-size", "16G", "--pages", "5");
        assertUsage("--pages 1048577 is out of range", "pin", "--backing", "anon", "--map", "shared", "--api",
                "pup", "--pages", "1048577");
        assertUsage("--pages many is not a whole number", "pin", "--backing", "anon", "--map", "shared", "--api",
                "pup", "--pages", "many");
        assertUsage("--pages needs a value", "pin", "--backing", "anon", "--map", "shared", "--api", "pup",
                "--pages");
    }

    @Test
    void unknownApiMapProt() {
        assertUsage("--api pin_user_pages is not known (allowed: gup, gup-fast, pup, pup-fast, pup-remote, "
                + "io_uring, vfio)", "pin", "--backing", "anon", "--map", "shared", "--api", "pin_user_pages");
        assertUsage("--map both is not known (allowed: shared, private)",
                "pin", "--backing", "anon", "--map", "both", "--api", "pup");
        assertUsage("--prot rwx is not known (allowed: rw, ro)",
                "pin", "--backing", "anon", "--map", "shared", "--api", "pup", "--prot", "rwx");
    }

    /**
     * 36639013b346: the released 6.10 on 16k-52 without LPA2 reads a stack word in GUP-fast, which
     * the pin reports as a kernel bug (exit 1, one line); 6.15 and with LPA2 it pins.
     */
    @Test
    void arm64With16kAnd52BitsReadsTheStackOn610Only() {
        String[] pin = {"pin", "--backing", "anon", "--map", "private", "--api", "pup-fast", "--write"};
        CliRun r = CliRun.of(with(pin, "--arch", "arm64:16k-52", "--kernel", "6.10"));
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("gupsim pin: kernel bug detected: BUG_ON: KASAN: stack-out-of-bounds read in "
                + "gup_fast_pud_range: pud_offset_lockless() aligned its stack copy"), r.toString());
        assertOk(CliRun.of(with(pin, "--arch", "arm64:16k-52", "--kernel", "6.15")), "pinned 1/1 pages (fast path)");
        assertOk(CliRun.of(with(pin, "--arch", "arm64:16k-52+lpa2", "--kernel", "6.10")),
                "pinned 1/1 pages (fast path)");
    }

    @Test
    void variantsTheKernelDidNotHaveYetNameBothFlags() {
        assertUsage("--arch arm64:16k-52 is not available with --kernel 6.4: 52-bit virtual addresses with 16K pages "
                + "came with LPA2 support in 6.9", "pin", "--arch", "arm64:16k-52", "--kernel", "6.4", "--backing",
                "anon", "--map", "private", "--api", "pup");
        assertUsage("--arch arm64:4k-48+lpa2 is not available with --kernel 6.10: before 6.14 ARM64_LPA2 needed "
                + "ARM64_PA_BITS_52", "pin", "--arch", "arm64:4k-48+lpa2", "--kernel", "6.10", "--backing", "anon",
                "--map", "private", "--api", "pup");
    }

    @Test
    void unknownArchAndKernel() {
        assertUsage("--arch sparc64 is not known (allowed: " + String.join(", ", ArchRegistry.load().names()) + ")",
                "pin", "--arch", "sparc64", "--backing", "anon", "--map", "shared", "--api", "pup");
        assertUsage("--arch: variant must be one of [native, native-rcu, paravirt, invlpgb, rar]",
                "pin", "--arch", "x86_64:hyperv", "--backing", "anon", "--map", "shared", "--api", "pup");
        // A colon with nothing after it is a mistake, not a request for the default variant.
        assertUsage("--arch: variant must be one of [4k-39, 4k-48, 4k-52, 16k-47, 16k-48, 16k-52, 64k-42, 64k-48] "
                + "(options: +lpa2), was ''", "pin", "--arch", "arm64:", "--backing", "anon", "--map", "shared",
                "--api", "pup");
        assertUsage("--arch: variant must be one of [default, fragments] (no options), was ''",
                "pin", "--arch", "s390:", "--backing", "anon", "--map", "shared", "--api", "pup");
        assertUsage("--kernel 5.15 is not known (allowed: 6.4, v6-patch, v7-patch, 6.5, 6.10, 6.15, 7.2, latest)",
                "pin", "--kernel", "5.15", "--backing", "anon", "--map", "shared", "--api", "pup");
    }

    @Test
    void missingRequiredOptions() {
        assertUsage("--backing is required (allowed: anon, memfd, tmpfs, hugetlb, memfd-hugetlb, ext4, xfs, btrfs, "
                + "secretmem)", "pin", "--map", "shared", "--api", "pup");
        assertUsage("--api is required (allowed: gup,", "pin", "--backing", "anon", "--map", "shared");
        assertUsage("--backing is required (allowed: anon,", "pin");
        assertUsage("also required: --map, --api", "pin");
    }

    @Test
    void unknownOptionsAndCommands() {
        assertUsage("unknown option '--pin-harder' (allowed: --arch, --kernel, --patch, --backing,", "pin", "--pin-harder",
                "--backing", "anon", "--map", "shared", "--api", "pup");
        assertUsage("unknown command 'explode' (allowed: compare, explore, replay, list, pin, litmus, merge, kvm-s390-matrix, help)",
                "explode");
        assertUsage("a command is needed (allowed: compare, explore, replay, list, pin, litmus, merge, kvm-s390-matrix, help)");
        assertUsage("option '--backing' (B) should be specified only once",
                "pin", "--backing", "anon", "--backing", "ext4", "--map", "shared", "--api", "pup");
    }

    @Test
    void explicitArchVariantAndKernelShowInJson() {
        CliRun r = CliRun.of("pin", "--arch", "x86_64:native+la57", "--kernel", "6.10", "--backing", "anon",
                "--map", "private", "--api", "pup-fast", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("{\"arch\": \"x86_64\", \"variant\": \"native+la57\", \"kernel\": \"6.10\""),
                r.out());
    }
}
