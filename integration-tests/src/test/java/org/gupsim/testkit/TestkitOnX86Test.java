package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The testkit's checks can fail: it lives in a module without architectures (the arch modules'
 * tests use it), so its own behaviour is tested here, on x86-64.
 */
class TestkitOnX86Test {
    private static final long MIB = 1L << 20;
    private static final GupCall LONGTERM_WRITE_PIN =
            new GupCall(GupCall.Kind.PIN, EnumSet.of(Foll.WRITE, Foll.LONGTERM));

    @Test
    void fastSlowAgreementCatchesTheV6Posting() {
        Mapping shmem = Mapping.small(Backing.MEMFD, true, 4, Touch.WRITE, Prot.RW);
        FastSlowAgreement.Outcome v6 = FastSlowAgreement.run(
                () -> shmem.map(Worlds.boot("x86_64", KernelVersion.V6_PATCH, 16 * MIB)), LONGTERM_WRITE_PIN);
        assertFalse(v6.agrees(), "v6's inverted slow check refuses the shmem pin its fast path took: " + v6);
        assertTrue(FastSlowAgreement.knownPostingDivergence(KernelVersion.V6_PATCH, LONGTERM_WRITE_PIN, shmem));

        FastSlowAgreement.Outcome latest = FastSlowAgreement.run(
                () -> shmem.map(Worlds.boot("x86_64", KernelVersion.LATEST, 16 * MIB)), LONGTERM_WRITE_PIN);
        assertTrue(latest.agrees(), latest.toString());
        assertEquals(4, latest.fastTaken(), latest.toString());
        assertFalse(FastSlowAgreement.knownPostingDivergence(KernelVersion.LATEST, LONGTERM_WRITE_PIN, shmem));
    }

    @Test
    void aLeakedPinFailsTheTeardownCheck() {
        World w = Worlds.boot("x86_64", KernelVersion.LATEST, 16 * MIB);
        Mapped m = Mapping.small(Backing.ANON, false, 2, Touch.WRITE, Prot.RW).map(w);
        Page[] pages = new Page[m.nrPages()];
        GupResult r = LONGTERM_WRITE_PIN.runFast(m, pages);
        assertEquals(2, r.pages(), r.toString());
        assertThrows(AssertionFailedError.class, () -> Worlds.assertTearsDownClean(w), "two pages stay pinned");
    }

    @Test
    void aReleasedPinTearsDownClean() {
        Mapped m = Mapping.huge(Backing.ANON, false, 2 * MIB, Touch.WRITE, Prot.RW)
                .map(Worlds.boot("x86_64", KernelVersion.LATEST, 16 * MIB));
        assertEquals(512, m.nrPages());
        Page[] pages = new Page[m.nrPages()];
        GupResult r = LONGTERM_WRITE_PIN.runSlow(m, pages);
        assertEquals(512, r.pages(), r.toString());
        LONGTERM_WRITE_PIN.release(m.world(), pages, r.pages());
        m.assertTearsDownClean("teardown after unpin");
    }

    @Test
    void privateSecretmemIsRefusedAndCleanedUp() {
        World w = Worlds.boot("x86_64", KernelVersion.LATEST, 16 * MIB);
        assertNull(Mapping.small(Backing.SECRETMEM, false, 1, Touch.NONE, Prot.RW).map(w));
    }

    @Test
    void variantSpecsAreTheRegisteredOnesEveryKernelAccepts() {
        List<String> specs = GupArbitraries.variantSpecs("x86_64");
        // native is x86 before 6.15, native-rcu and invlpgb from 6.15: only paravirt is on every kernel.
        assertEquals(List.of("x86_64:paravirt", "x86_64:paravirt+la57"), specs);
        assertTrue(GupArbitraries.variantSpecs("x86_64", KernelVersion.V6_10).contains("x86_64:native+la57"));
        assertTrue(GupArbitraries.variantSpecs("x86_64", KernelVersion.LATEST).containsAll(
                List.of("x86_64:native-rcu", "x86_64:invlpgb+la57+few-cpus")));
        for (String spec : specs) {
            for (KernelVersion k : KernelVersion.values()) {
                assertEquals(spec, Worlds.variant(spec, k).fullName());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GupArbitraries.variantSpecs("vax"));
    }

    @Test
    void mappingsHaveOnlyTheVariantsPageSizes() {
        var x86 = Worlds.variant("x86_64", KernelVersion.LATEST);
        List<Mapping> all = GupArbitraries.mappings(x86, 8, 2 * MIB).allValues().orElseThrow().toList();
        assertTrue(all.stream().anyMatch(m -> m.backing() == Backing.HUGETLB && m.hugePageSize() == 2 * MIB));
        assertTrue(all.stream().anyMatch(Mapping::thp), "private anonymous THP of the PMD size");
        assertTrue(all.stream().noneMatch(m -> m.hugePageSize() > 2 * MIB), "1G pages are above the bound");
        assertTrue(all.stream().noneMatch(m -> m.thp() && m.shared()), "shared anonymous memory is shmem: no THP");
    }

    @Test
    void misuseNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Mapping.small(Backing.HUGETLB, false, 4, Touch.NONE, Prot.RW));
        assertTrue(e.getMessage().contains("hugePageSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GupCall(GupCall.Kind.GET, EnumSet.of(Foll.LONGTERM)));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }
}
