package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KVM s390 scenarios through explore, and the kvm-s390-matrix command. */
class KvmS390CliTest {
    static final String[] SHARED_EXT4 = {"explore", "kvm-s390-aif-enable", "--param", "backend=memory-backend-file",
        "--param", "fs=ext4", "--param", "share=on"};

    @Test
    void exploreWithoutArchRunsOnS390AndSaysWhatTheGuestSees() {
        CliRun r = CliRun.of(SHARED_EXT4);
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).contains(" on s390:"), lines.get(0));
        assertTrue(lines.get(1).startsWith("SAFE (exhausted, 1 schedules"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("aif=EIO (aibv-pin: ") && l.contains("vfio=EFAULT")), r.out());
        assertTrue(lines.contains("guest: the VM starts, but the device driver cannot set up its interrupts: mlx5 and "
                + "ISM give up at probe, nvme retries AEN setup forever (spec §7)"), r.out());
    }

    /**
     * Enabling many devices is long work for one CPU (about 70 steps a device): the step budget
     * grows with it, so 143 and 256 devices are judged like 142 were, not cut off as a livelock.
     */
    @Test
    void manyDevicesGetAStepBudgetThatFitsTheirWork() {
        for (String[] params : List.of(new String[] {"devices=143"}, new String[] {"devices=256", "summary-bit=off"})) {
            List<String> args = new java.util.ArrayList<>(List.of("explore", "kvm-s390-aif-enable", "--json"));
            for (String p : params) {
                args.add("--param");
                args.add(p);
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(Main.EXIT_OK, r.exit(), r.toString());
            JsonNode json = ExploreCommandTest.json(r);
            assertEquals("SAFE", json.get("verdict").asText(), r.out());
            assertTrue(json.get("exhausted").asBoolean(), r.out());
            assertEquals(0, json.get("outOfBudget").asLong(), r.out());
            assertTrue(json.get("stepBudget").asLong() > 10_000, r.out());
            // every device pins its AIBV page, and the page of its summary bit (AISB) when that is on
            int devices = Integer.parseInt(params[0].substring("devices=".length()));
            int pages = params.length == 1 ? 2 * devices : devices;
            assertTrue(json.get("outcomes").fieldNames().next().contains("locked_vm=" + pages + " pinned_vm=" + pages),
                    r.out());
        }
    }

    @Test
    void thePrivateFileDefaultWorks() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=memory-backend-file");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith(
                "aif=0 alerts=gisa irq=gisa locked_vm=2 pinned_vm=2; disable=0; vfio=pinned")), r.out());
        assertTrue(r.outLines().get(0).startsWith("explore kvm-s390-aif-enable (assist=on, backend=memory-backend-file, "
                + "devices=1, fail=none, fs=ext4 (default), memlock-limit=8m, reenable=off, share=off (default), "
                + "summary-bit=on, zpci-nr-devices=512) on s390:"), r.outLines().get(0));
        assertTrue(r.out().contains("guest: adapter interrupts of the device are forwarded"), r.out());
    }

    @Test
    void jsonCarriesTheExplanation() {
        JsonNode j = ExploreCommandTest.json(CliRun.of(ExploreCommandTest.with(SHARED_EXT4, "--json")));
        assertEquals("s390", j.get("arch").asText());
        String outcome = j.get("outcomes").fieldNames().next();
        JsonNode lines = j.get("explanations").get(outcome);
        assertTrue(lines.get(0).asText().startsWith("guest: the VM starts"), j.toString());
        JsonNode none = ExploreCommandTest.json(CliRun.of("explore", "gup-fast-vs-munmap", "--json"));
        assertEquals(0, none.get("explanations").size());
    }

    @Test
    void anotherArchIsOneUsageLine() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-enable", "--arch", "x86_64");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--arch x86_64") && r.err().contains("runs on s390 only"), r.err());
    }

    @Test
    void contradictoryParamsAreOneUsageLine() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=memory-backend-file",
                "--param", "hugetlb=on");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--param: hugetlb=on is an option of memory-backend-memfd only"), r.err());
        r = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=qcow2");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("backend must be one of memory-backend-ram, memory-backend-memfd, memory-backend-file, "
                + "libvirt-file, libvirt-file-shared"), r.err());
    }

    @Test
    void unplugExploresBothOrdersOnLatest() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-vs-unplug");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.outLines().get(1).startsWith("SAFE (exhausted"), r.out());
        assertTrue(r.out().contains("aif=0 disable=0 memslot=0 munmap=0"), r.out());
        assertTrue(r.out().contains("aif=EIO at aibv-pin disable=0 memslot=0 munmap=0"), r.out());
    }

    @Test
    void listShowsTheScenarios() {
        CliRun r = CliRun.of("list");
        assertTrue(r.out().contains("  kvm-s390-aif-enable (1 CPU)"), r.out());
        assertTrue(r.out().contains("  kvm-s390-aif-vs-unplug (2 CPUs)"), r.out());
    }

    @Test
    void theMatrixHasOneRowPerSetup() {
        CliRun r = CliRun.of("kvm-s390-matrix");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("KVM s390 AIF and VFIO pinning by guest memory on s390:"), lines.get(0));
        assertTrue(lines.get(0).endsWith("kernel latest (7.2), kvm pci.c with the 2026 fixes"), lines.get(0));
        assertTrue(lines.get(1).startsWith("backend "), lines.get(1));
        assertEquals(2 + 1 + 16, lines.size(), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("memory-backend-file +on +ext4 +- +EIO \\(aibv-pin\\) +EFAULT +"
                + "slow path: .*dirty-tracked file")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("memory-backend-file +off +ext4 +- +0 +pinned")), r.out());
        assertEquals(r.out(), CliRun.of("kvm-s390-matrix", "--kernel", "latest").out(), "deterministic");
    }

    @Test
    void theMatrixOn64PinsEverythingAndOnV7FailsVfioForPrivateFiles() {
        CliRun r = CliRun.of("kvm-s390-matrix", "--kernel", "6.4", "--markdown");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().contains("| backend | share | fs | hugetlb | AIF enable | VFIO pin | why |"), r.out());
        long rows = r.outLines().stream().filter(l -> l.startsWith("| memory-backend-")).count();
        assertEquals(16, rows);
        assertFalse(r.out().contains("EIO") || r.out().contains("EFAULT"), r.out());

        JsonNode j = ExploreCommandTest.json(CliRun.of("kvm-s390-matrix", "--kernel", "v7-patch", "--json"));
        assertEquals("v7-patch", j.get("kernel").asText());
        assertEquals("BEFORE_2026_FIXES", j.get("pciCode").asText());
        assertEquals("WITH_2026_FIXES", ExploreCommandTest.json(CliRun.of("kvm-s390-matrix", "--kernel", "7.2", "--json"))
                .get("pciCode").asText());
        assertTrue(CliRun.of("kvm-s390-matrix", "--kernel", "6.15").outLines().get(0)
                .endsWith("kernel 6.15 (6.15), kvm pci.c before the 2026 fixes"));
        assertEquals(16, j.get("rows").size());
        for (JsonNode row : j.get("rows")) {
            if (row.get("qemu").asText().equals("memory-backend-file,mem-path=<ext4>,share=off")) {
                assertEquals(0, row.get("aif").get("rc").asInt(), row.toString());
                assertEquals("EFAULT", row.get("vfio").get("errno").asText(), row.toString());
                return;
            }
        }
        throw new AssertionError("no private ext4 row: " + j);
    }

    @Test
    void badFlagsAreOneUsageLine() {
        for (String[] args : List.of(new String[] {"kvm-s390-matrix", "--kernel", "5.10"},
                new String[] {"kvm-s390-matrix", "--json", "--markdown"},
                new String[] {"kvm-s390-matrix", "--arch", "s390"})) {
            CliRun r = CliRun.of(args);
            assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.err());
            assertEquals("", r.out());
        }
        assertTrue(CliRun.of("kvm-s390-matrix", "--kernel", "5.10").err()
                .contains("--kernel 5.10 is not known (allowed: 6.4, v6-patch, v7-patch, 6.5, 6.10, 6.15, 7.2, latest)"));
        assertTrue(CliRun.of("kvm-s390-matrix", "--json", "--markdown").err().contains("--json and --markdown"));
        assertTrue(CliRun.of("kvm-s390-matrix", "--arch", "s390").err().contains("unknown option '--arch'"));
    }

    /** Meaningless or malformed parameters are one usage line naming the flag and what is allowed. */
    @Test
    void meaninglessAndMalformedParamsAreOneUsageLine() {
        for (String[] p : List.of(new String[] {"backend=memory-backend-ram", "fs=xfs"},
                new String[] {"backend=memory-backend-file", "hugetlb=off"},
                new String[] {"memlock-limit=8x"},
                new String[] {"devices=0"})) {
            CliRun r = CliRun.of("explore", "kvm-s390-aif-enable", "--param", p[0], "--param", p.length > 1 ? p[1] : p[0]);
            assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains("--param"), r.err());
        }
        assertTrue(CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=memory-backend-ram", "--param", "fs=xfs")
                .err().contains("--param: fs=xfs means nothing for backend memory-backend-ram"));
        assertTrue(CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=8x").err()
                .contains("--param memlock-limit=8x: memlock-limit must be BYTES[K|M|G]|unlimited, e.g. 0, 4k, 8m, "
                        + "unlimited (default: 8m)"));
        CliRun big = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=3G");
        assertEquals(Main.EXIT_OK, big.exit(), big.toString());
        assertTrue(big.outLines().get(0).contains("memlock-limit=3G"), big.outLines().get(0));
    }

    /** libvirt's spellings, end to end: the same outcomes as the QEMU options they stand for. */
    @Test
    void libvirtAliasesRunEndToEnd() {
        for (String[] alias : List.of(new String[] {"libvirt-file", "off"}, new String[] {"libvirt-file-shared", "on"})) {
            CliRun viaLibvirt = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=" + alias[0], "--json");
            CliRun viaQemu = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=memory-backend-file",
                    "--param", "share=" + alias[1], "--json");
            assertEquals(viaQemu.exit(), viaLibvirt.exit(), viaLibvirt.toString());
            assertEquals(ExploreCommandTest.json(viaQemu).get("outcomes"), ExploreCommandTest.json(viaLibvirt).get("outcomes"));
        }
        assertTrue(CliRun.of("explore", "kvm-s390-aif-enable", "--param", "backend=libvirt-file-shared").out()
                .contains("aif=EIO (aibv-pin: "));
    }

    /**
     * The old pci.c's leaks show from the command line: a memlock limit too small for the two
     * pages leaves the gisc reference on 6.15 (a violation with its replay line) and nothing on latest.
     */
    @Test
    void theOldPciCLeaksAndTheNewOneDoesNot() {
        CliRun old = CliRun.of("explore", "kvm-s390-aif-enable", "--kernel", "6.15", "--param", "memlock-limit=4k");
        assertEquals(Main.EXIT_FAILURE, old.exit(), old.toString());
        assertTrue(old.outLines().get(1).startsWith("VIOLATION: LEAK: guest ISC 2 still registered"), old.out());
        assertTrue(ExploreCommandTest.replayLine(old).endsWith("--kernel 6.15 --param memlock-limit=4k"),
                ExploreCommandTest.replayLine(old));
        CliRun fixed = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=4k");
        assertEquals(Main.EXIT_OK, fixed.exit(), fixed.toString());
        assertTrue(fixed.out().contains("aif=ENOMEM (account-mem: "), fixed.out());
    }

    /** The patch that drops the memslot SRCU wait: a use-after-free, whose replay line reproduces it. */
    @Test
    void theUnplugMutantIsFoundAndReplays() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-vs-unplug", "--mutant", "no-memslot-srcu-sync");
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.outLines().get(1).startsWith("VIOLATION: USE_AFTER_FREE: gfn_to_hva() on CPU0 read memslot 0"), r.out());
        String line = ExploreCommandTest.replayLine(r);
        assertTrue(line.endsWith("--patch no-memslot-srcu-sync"), line);
        CliRun replay = CliRun.of(line.substring("./gupsim ".length()).split(" "));
        assertEquals(Main.EXIT_FAILURE, replay.exit(), replay.toString());
        assertTrue(replay.out().contains("<== USE_AFTER_FREE"), replay.out());
    }
}
