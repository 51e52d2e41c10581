package com.example.gupsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.Scenarios;
import org.gupsim.explore.Counterexample;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scenario and the patch of this project, explored as gupsim explores its own. */
class ExampleExplorationTest {
    private static final Kernel PATCHED = KernelVersion.LATEST.with(KernelCatalogue.get().patch("v6-check-without-rcu"));

    private static Exploration exploration(String scenario, String arch, Kernel kernel, Map<String, String> params) {
        Scenario s = Scenarios.get(scenario);
        return new Exploration(s, s.resolve(params), Worlds.variant(arch, kernel), kernel);
    }

    /** Found through ServiceLoader like gupsim's own; with the patch, every order is safe and all three outcomes occur. */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64:native-rcu", "arm64"})
    void theUserScenarioIsSafeWithThePatch(String arch) {
        ExplorationResult r = Explorations.assertSafe(exploration("gup-fast-vs-dontneed-mprotect", arch, PATCHED, Map.of()));
        assertEquals(Set.of("pinned=0 errno=EFAULT", "pinned=1", "pinned=2"), r.outcomes().keySet(), r.render());
    }

    /**
     * Without the rcu_read_lock() the v6 posting took, the check leans on IRQs off being an RCU
     * read-side section, and from 6.6 on pte_offset_map()'s rcu_read_lock() around the PTE walk.
     * On 6.5 with the RCU of kernels before 4.20 neither holds: the inode, freed by call_rcu(), is
     * read after its grace period where the TLB flush does not wait for IRQ-off CPUs.
     */
    @Test
    void on65WithoutConsolidatedRcuTheCheckReadsAFreedAddressSpace() {
        Kernel oldRcu = KernelVersion.V6_5.with(KernelCatalogue.get().patch("v6-check-without-rcu"),
                KernelCatalogue.get().patch("split-rcu-flavors"));
        Counterexample cx = Explorations.assertViolation(exploration("gup-fast-vs-evict", "arm64", oldRcu, Map.of()),
                ViolationKind.USE_AFTER_FREE, "address space");
        assertTrue(cx.violation().message().startsWith("shmem_mapping dereferenced"), cx.violation().message());
    }

    /** The same on the latest kernel is safe: pte_offset_map() holds rcu_read_lock() while the check runs. */
    @Test
    void onLatestPteOffsetMapsRcuReadLockCoversTheCheck() {
        Kernel oldRcu = PATCHED.with(KernelCatalogue.get().patch("split-rcu-flavors"));
        Explorations.assertSafe(exploration("gup-fast-vs-evict", "arm64", oldRcu, Map.of()));
    }
}
