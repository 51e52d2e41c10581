package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.ExplorationResult;
import org.gupsim.sched.Mutant;
import org.gupsim.sched.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two KVM scenarios through the catalogue and the explorer. */
class KvmS390ScenarioTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    static Exploration exploration(String scenario, Map<String, String> params, String arch, KernelVersion k) {
        return new Exploration(Scenarios.get(scenario), params, ARCHES.parse(arch, k), k, EnumSet.noneOf(Mutant.class));
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
                    Scenarios.get(name), Map.of(), other, k, EnumSet.noneOf(Mutant.class)));
            assertTrue(x.getMessage().contains("runs on s390 only"), x.getMessage());
        }
        Scenarios.get(KvmS390AifEnable.NAME).checkArch(s390);
    }

    @Test
    void contradictoryMemoryParametersAreRefused() {
        var s = Scenarios.get(KvmS390AifEnable.NAME);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> s.resolve(Map.of("backend", "memory-backend-file", "hugetlb", "on")));
        assertTrue(x.getMessage().contains("hugetlb=on"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class,
                () -> s.resolve(Map.of("backend", "libvirt-file", "share", "on")));
        assertTrue(x.getMessage().contains("libvirt-file-shared"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> Scenarios.get(KvmS390AifVsUnplug.NAME)
                .resolve(Map.of("backend", "memory-backend-ram", "remove", "truncate")));
        assertTrue(x.getMessage().contains("remove=truncate"), x.getMessage());
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
        assertEquals("aif=0 locked_vm=2 pinned_vm=2; disable=0; vfio=pinned", r.outcomes().firstKey());
        r = exploration(KvmS390AifEnable.NAME, Map.of("summary-bit", "off"), "s390", KernelVersion.LATEST).explore();
        assertEquals("aif=0 locked_vm=1 pinned_vm=1; disable=0; vfio=pinned", r.outcomes().firstKey());
    }

    /** The pre-2026 silent failure: REG_AEN returns 0 with nothing registered. */
    @Test
    void aMemlockLimitTooSmallReturnsZeroWithNothingRegistered() {
        ExplorationResult r = exploration(KvmS390AifEnable.NAME, Map.of("memlock-limit", "4k"), "s390",
                KernelVersion.LATEST).explore();
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        String outcome = r.outcomes().firstKey();
        assertTrue(outcome.startsWith("aif=0 but account-mem: RLIMIT_MEMLOCK 4096 bytes cannot take 2 more pages"), outcome);
        assertTrue(outcome.contains("locked_vm=0 pinned_vm=0"), outcome);
        assertTrue(Scenarios.get(KvmS390AifEnable.NAME).explain(outcome).get(0).contains("never set up"));
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
}
