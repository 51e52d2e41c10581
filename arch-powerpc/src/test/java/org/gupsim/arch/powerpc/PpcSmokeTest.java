package org.gupsim.arch.powerpc;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every variant boots, maps, pins through GUP-fast and tears down cleanly. */
class PpcSmokeTest {

    /** Every variant, from the registry (without the {@code ppc64:} prefix). */
    static List<String> variants() {
        return GupArbitraries.variantSpecs("ppc64").stream().map(s -> s.substring("ppc64:".length())).toList();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void pinAnonymousMemoryWithGupFast(String variant) {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant v = ArchRegistry.load().parse("ppc64:" + variant, k);
        World w = World.boot(v, k, MemConfig.ofBytes(v.pageShift(), 64L << 20), 2);
        Task t = w.newTask();
        long page = 1L << v.pageShift();
        int n = 40; // crosses a 2M PTE table on radix-64k
        long addr = t.mmap(0, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(addr > 0, "mmap " + addr);
        assertEquals(0, t.touch(addr, n * page, true));
        Page[] pages = new Page[n];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, n, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(n, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path(), r.toString());
        w.gup().unpinUserPages(pages, n);
        assertEquals(0, t.munmap(addr, n * page));
        assertEquals(List.of(), w.teardown());
    }
}
