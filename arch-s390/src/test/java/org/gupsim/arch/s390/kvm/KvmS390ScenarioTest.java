package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.Labelled;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Trace;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two KVM scenarios through the catalogue and the explorer. */
class KvmS390ScenarioTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    static Exploration exploration(String scenario, Map<String, String> params, String arch, KernelVersion k) {
        return new Exploration(Scenarios.get(scenario), params, ARCHES.parse(arch, k), k);
    }

    @Test
    void theCatalogueListsThemAfterCoresScenarios() {
        List<String> names = Scenarios.names();
        assertEquals(List.of(KvmS390AifEnable.NAME, KvmS390AifVsUnplug.NAME), names.subList(names.size() - 2, names.size()));
        assertTrue(names.indexOf("gup-fast-vs-munmap") < names.indexOf(KvmS390AifEnable.NAME));
    }

    /** Only s390 is on this module's class path: another architecture is s390 under another name. */
    @Test
    void otherArchitecturesAreRefused() {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant s390 = ARCHES.parse("s390", k);
        Architecture renamed = (Architecture) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Architecture.class}, (proxy, m, args) -> m.getName().equals("name") ? "x86_64"
                        : m.invoke(s390.architecture(), args));
        ArchVariant other = (ArchVariant) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ArchVariant.class}, (proxy, m, args) -> {
                    if (m.getName().equals("architecture")) {
                        return renamed;
                    }
                    if (m.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, m, args);
                    }
                    return m.invoke(s390, args);
                });
        for (String name : List.of(KvmS390AifEnable.NAME, KvmS390AifVsUnplug.NAME)) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new Exploration(
                    Scenarios.get(name), Map.of(), other, k));
            assertTrue(x.getMessage().contains("runs on s390 only"), x.getMessage());
        }
        Scenarios.get(KvmS390AifEnable.NAME).checkArch(s390);
    }

    @Test
    void contradictoryMemoryParametersAreRefused() {
        var s = Scenarios.get(KvmS390AifEnable.NAME);
        assertRefused(s, Map.of("backend", "memory-backend-file", "hugetlb", "on"), "hugetlb=on");
        assertRefused(s, Map.of("backend", "libvirt-file", "share", "on"), "libvirt-file-shared");
        assertRefused(Scenarios.get(KvmS390AifVsUnplug.NAME),
                Map.of("backend", "memory-backend-ram", "remove", "truncate"), "remove=truncate");
    }

    @Test
    void sharedExt4FailsWithEioOnLatestAndTheGuestViewSaysSo() {
        ExplorationResult r = exploration(KvmS390AifEnable.NAME, Map.of("backend", "memory-backend-file", "fs", "ext4",
                "share", "on"), "s390", KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertEquals(1, r.outcomes().size(), r.render());
        String outcome = r.outcomes().firstKey();
        assertTrue(outcome.startsWith("aif=EIO (aibv-pin: pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) EFAULT"), outcome);
        assertTrue(outcome.contains("locked_vm=0 pinned_vm=0; disable=0; vfio=EFAULT"), outcome);
        List<String> lines = Scenarios.get(KvmS390AifEnable.NAME).explain(outcome);
        assertTrue(lines.get(0).contains("the VM starts, but the device driver cannot set up its interrupts"), lines.toString());
    }

    @Test
    void privateExt4PinsBothPagesAndChargesTwoPages() {
        ExplorationResult r = exploration(KvmS390AifEnable.NAME, Map.of("backend", "memory-backend-file"),
                "s390", KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertEquals("aif=0 alerts=gisa irq=gisa locked_vm=2 pinned_vm=2; disable=0; vfio=pinned", r.outcomes().firstKey());
        r = exploration(KvmS390AifEnable.NAME, Map.of("summary-bit", "off"), "s390", KernelVersion.LATEST).explore();
        assertEquals("aif=0 alerts=gisa irq=gisa locked_vm=1 pinned_vm=1; disable=0; vfio=pinned", r.outcomes().firstKey());
    }

    /** Without the assist the GAIT entry names no GISA: the host takes the alert and forwards it. */
    @Test
    void assistOffShowsInTheOutcome() {
        ExplorationResult r = exploration(KvmS390AifEnable.NAME, Map.of("assist", "off"), "s390", KernelVersion.LATEST)
                .explore();
        String outcome = r.outcomes().firstKey();
        assertEquals("aif=0 alerts=host irq=host locked_vm=2 pinned_vm=2; disable=0; vfio=pinned", outcome);
        assertTrue(Scenarios.get(KvmS390AifEnable.NAME).explain(outcome).get(1).startsWith("host: without the GISA assist"));
    }

    /**
     * RLIMIT_MEMLOCK too small for the two pages. Before the fixes (6.15): REG_AEN returns 0 with
     * nothing registered, and the gisc reference taken first is never dropped, which the release
     * check finds after disable. With them (latest): -ENOMEM, nothing left.
     */
    @Test
    void aMemlockLimitTooSmall() {
        ExplorationResult old = exploration(KvmS390AifEnable.NAME, Map.of("memlock-limit", "4k"), "s390",
                KernelVersion.V6_15).explore();
        assertEquals(Verdict.VIOLATION, old.verdict(), old.render());
        String outcome = old.outcomes().firstKey();
        assertTrue(outcome.startsWith("aif=0 but account-mem: RLIMIT_MEMLOCK 4096 bytes cannot take 2 more pages"), outcome);
        assertTrue(outcome.contains("locked_vm=0 pinned_vm=0"), outcome);
        assertTrue(Scenarios.get(KvmS390AifEnable.NAME).explain(outcome).get(0).contains("never set up"));
        assertEquals("guest ISC 2 still registered with kvm0 gisa after disable (1 reference)",
                old.counterexample().violation().message());

        ExplorationResult fixed = exploration(KvmS390AifEnable.NAME, Map.of("memlock-limit", "4k"), "s390",
                KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, fixed.verdict(), fixed.render());
        assertTrue(fixed.outcomes().firstKey().startsWith("aif=ENOMEM (account-mem: RLIMIT_MEMLOCK 4096 bytes"),
                fixed.outcomes().firstKey());
    }

    /**
     * Two devices, one summary bit: the second enable finds no bit. Before the fixes it returns 0
     * and its two pages stay charged after everything is disabled; with them -ENOMEM, balanced.
     */
    @Test
    void runningOutOfSummaryBitsLeaksAccountingBeforeTheFixes() {
        Map<String, String> params = Map.of("devices", "2", "zpci-nr-devices", "1");
        ExplorationResult old = exploration(KvmS390AifEnable.NAME, params, "s390", KernelVersion.V6_15).explore();
        assertEquals(Verdict.VIOLATION, old.verdict(), old.render());
        assertTrue(old.outcomes().firstKey().startsWith("aif=0 but summary-bit: no free host summary bit of 1; pins "
                + "dropped, 2 pages left accounted, 0 returned locked_vm=4 pinned_vm=4"), old.outcomes().firstKey());
        assertTrue(old.counterexample().violation().message().startsWith("accounting not back to zero after disable: "
                + "locked_vm=2 pinned_vm=2"), old.counterexample().violation().message());

        ExplorationResult fixed = exploration(KvmS390AifEnable.NAME, params, "s390", KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, fixed.verdict(), fixed.render());
        assertTrue(fixed.outcomes().firstKey().startsWith("aif=ENOMEM (summary-bit: no free host summary bit of 1"),
                fixed.outcomes().firstKey());
    }

    /**
     * The second device's GAIT entry: before 7.1 the kernel fills entry 16 while the firmware reads
     * entry 1, finds no GISA and alerts the host, which forwards through the kernel's index: the
     * assist is lost. From 7.1 the firmware delivers through the GISA.
     */
    @Test
    void theSecondDeviceLosesTheAssistBeforeTheGaitFix() {
        Map<String, String> params = Map.of("devices", "2");
        String old = exploration(KvmS390AifEnable.NAME, params, "s390", KernelVersion.V6_15).explore().outcomes().firstKey();
        assertTrue(old.startsWith("aif=0 alerts=gisa irq=host locked_vm=4"), old);
        assertTrue(Scenarios.get(KvmS390AifEnable.NAME).explain(old).get(1).contains("index scaled twice"));
        String fixed = exploration(KvmS390AifEnable.NAME, params, "s390", KernelVersion.LATEST).explore().outcomes().firstKey();
        assertTrue(fixed.startsWith("aif=0 alerts=gisa irq=gisa locked_vm=4"), fixed);
    }

    /** The kernel's faults and a second REG_AEN, before and with the fixes. */
    @Test
    void injectedFaultsAndReenable() {
        ExplorationResult nullVector = exploration(KvmS390AifEnable.NAME, Map.of("fail", "airq-iv-create"), "s390",
                KernelVersion.V6_15).explore();
        assertEquals(Verdict.VIOLATION, nullVector.verdict(), nullVector.render());
        assertTrue(nullVector.counterexample().violation().message().startsWith("NULL pointer dereference"));
        ExplorationResult enomem = exploration(KvmS390AifEnable.NAME, Map.of("fail", "airq-iv-create"), "s390",
                KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, enomem.verdict(), enomem.render());
        assertTrue(enomem.outcomes().firstKey().startsWith("aif=ENOMEM (airq-iv-create: "), enomem.outcomes().firstKey());

        String regInt = exploration(KvmS390AifEnable.NAME, Map.of("fail", "reg-int"), "s390", KernelVersion.V6_15).explore()
                .outcomes().firstKey();
        assertTrue(regInt.startsWith("aif=EIO (reg-int: MPCIFC REG_INT refused; pins, summary bit and GAIT entry stay until "
                + "disable) locked_vm=2 pinned_vm=2; disable=0"), regInt);
        regInt = exploration(KvmS390AifEnable.NAME, Map.of("fail", "reg-int"), "s390", KernelVersion.LATEST).explore()
                .outcomes().firstKey();
        assertTrue(regInt.startsWith("aif=EIO (reg-int: MPCIFC REG_INT refused; GAIT entry, vector and summary bit "
                + "released, pins dropped) locked_vm=0 pinned_vm=0; disable=0"), regInt);

        ExplorationResult again = exploration(KvmS390AifEnable.NAME, Map.of("reenable", "on"), "s390", KernelVersion.V6_15)
                .explore();
        assertEquals(Verdict.VIOLATION, again.verdict(), again.render());
        assertTrue(again.outcomes().firstKey().startsWith("aif=0 again=EIO (reg-int: "), again.outcomes().firstKey());
        again = exploration(KvmS390AifEnable.NAME, Map.of("reenable", "on"), "s390", KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, again.verdict(), again.render());
        assertTrue(again.outcomes().firstKey().startsWith("aif=0 again=EINVAL (enabled: "), again.outcomes().firstKey());
    }

    /**
     * libvirt's spellings are QEMU's memory-backend-file with share=off and share=on: the same
     * outcome on every filesystem, on a kernel where shared dirty-tracked files fail and on one
     * where they pin.
     */
    @Test
    void libvirtAliasesBehaveAsTheirQemuEquivalents() {
        for (KernelVersion k : List.of(KernelVersion.V6_4, KernelVersion.LATEST)) {
            for (String fs : Labelled.labels(MemPathFs.values())) {
                for (String[] alias : List.of(new String[] {"libvirt-file", "off"}, new String[] {"libvirt-file-shared", "on"})) {
                    ExplorationResult viaLibvirt = exploration(KvmS390AifEnable.NAME, Map.of("backend", alias[0], "fs", fs),
                            "s390", k).explore();
                    ExplorationResult viaQemu = exploration(KvmS390AifEnable.NAME, Map.of("backend", "memory-backend-file",
                            "share", alias[1], "fs", fs), "s390", k).explore();
                    assertEquals(viaQemu.verdict(), viaLibvirt.verdict(), k + " " + alias[0] + " " + fs);
                    assertEquals(viaQemu.outcomes(), viaLibvirt.outcomes(), k + " " + alias[0] + " " + fs);
                }
            }
        }
    }

    @Test
    void meaninglessAndMalformedParametersAreRefused() {
        var s = Scenarios.get(KvmS390AifEnable.NAME);
        assertRefused(s, Map.of("backend", "memory-backend-ram", "fs", "xfs"),
                "fs=xfs means nothing for backend memory-backend-ram");
        assertRefused(s, Map.of("backend", "libvirt-file", "hugetlb", "off"),
                "hugetlb=off is an option of memory-backend-memfd only, not of libvirt-file");
        for (String ok : List.of("0", "4096", "4k", "4K", "3m", "2G", "unlimited")) {
            assertEquals(ok, s.resolve(Map.of("memlock-limit", ok)).get("memlock-limit"));
        }
        for (String bad : List.of("", "8x", "-1", "1.5m", "99999999999G", "UNLIMITED")) {
            assertEquals("param memlock-limit must be BYTES[K|M|G]|unlimited, e.g. 0, 4k, 8m, unlimited, was '" + bad + "'",
                    refusal(s, Map.of("memlock-limit", bad)));
        }
        assertEquals(3L << 30, KvmS390AifEnable.memlockBytes("3g"));
        assertRefused(s, Map.of("devices", "257"), "param devices must be 1..256");
    }

    /** {@code s} refuses {@code params} with a message that says {@code part}. */
    private static void assertRefused(Scenario s, Map<String, String> params, String part) {
        String m = refusal(s, params);
        assertTrue(m.contains(part), m);
    }

    /** The message of the IllegalArgumentException with which {@code s} refuses {@code params}. */
    private static String refusal(Scenario s, Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> s.resolve(params), params.toString()).getMessage();
    }

    @Test
    void theHeaderShowsParametersAsTheyResolve() {
        var s = Scenarios.get(KvmS390AifEnable.NAME);
        assertEquals(List.of("assist=on", "backend=memory-backend-ram", "devices=1", "fail=none", "memlock-limit=8m",
                        "reenable=off", "share=off (default)", "summary-bit=on", "zpci-nr-devices=512"),
                s.describeParams(s.resolve(Map.of())));
        List<String> file = s.describeParams(s.resolve(Map.of("backend", "memory-backend-file", "share", "on")));
        assertTrue(file.contains("fs=ext4 (default)") && file.contains("share=on")
                && file.stream().noneMatch(p -> p.startsWith("hugetlb")), file.toString());
        List<String> memfd = s.describeParams(s.resolve(Map.of("backend", "memory-backend-memfd", "hugetlb", "on")));
        assertTrue(memfd.contains("hugetlb=on") && memfd.contains("share=on (default)")
                && memfd.stream().noneMatch(p -> p.startsWith("fs")), memfd.toString());
    }

    static Stream<Map<String, String>> unplugCases() {
        // Sorted, so that the test names (the maps' toString()) are the same in every run.
        return Stream.<Map<String, String>>of(Map.of(), Map.of("summary-bit", "on"), Map.of("remove", "truncate"),
                        Map.of("backend", "memory-backend-ram"),
                        Map.of("backend", "memory-backend-file", "fs", "ext4", "remove", "truncate"),
                        Map.of("backend", "memory-backend-file", "fs", "ext4", "share", "on"))
                .<Map<String, String>>map(TreeMap::new);
    }

    /**
     * Both orders are reached: enable first (pins, the memory is removed under the pin, disable
     * unpins) and removal first (no slot: -EIO); the release checks find no pin and no
     * accounting left after disable, the model's checkers no use-after-free.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unplugCases")
    void aifVsUnplugIsSafeOnLatestExhaustively(Map<String, String> params) {
        ExplorationResult r = exploration(KvmS390AifVsUnplug.NAME, params, "s390", KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertTrue(r.exhausted(), r.render());
        assertTrue(r.outcomes().keySet().stream().anyMatch(o -> o.startsWith("aif=EIO at aibv-pin")),
                "the memslot can be gone before enable translates the AIBV address: " + r.outcomes());
    }

    /**
     * The patch drops the SRCU wait of memslot deletion: enable's {@code gfn_to_hva()}, inside its
     * SRCU section, can find the slot in the array it read and then read the slot after CPU1 freed
     * it. Exhaustive exploration finds that use-after-free, and the schedule replays it.
     */
    @Test
    void withoutTheSrcuWaitTheExplorerFindsTheUseAfterFree() {
        Exploration e = new Exploration(Scenarios.get(KvmS390AifVsUnplug.NAME), Map.of(), ARCHES.parse("s390",
                KernelVersion.LATEST), KernelVersion.LATEST.with(KvmPatches.NO_MEMSLOT_SRCU_SYNC));
        ExplorationResult r = e.explore();
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample ce = r.counterexample();
        assertEquals(ViolationKind.USE_AFTER_FREE, ce.violation().kind());
        assertTrue(ce.violation().message().startsWith("gfn_to_hva() on CPU0 read memslot 0 after kvm_free_memslot()"),
                ce.violation().message());
        Trace replayed = e.replay(ce.schedule());
        assertEquals(ce.violation(), replayed.violation());
        assertEquals(ce.trace().render(), replayed.render());
    }
}
