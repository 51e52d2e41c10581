package org.gupsim.arch.powerpc;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spec §1: {@code tlb_needs_table_invalidate()} is {@code radix_enabled()} on book3s64. The radix
 * MMU walks the Linux tables and may cache their entries, so before a page-table page is freed
 * the TLBs are invalidated ({@code tlb_table_invalidate()}); the hash MMU searches its hashed
 * page table and never caches a Linux table, so that invalidation is skipped. It shows where a
 * table is freed on the spot: when mmu_gather cannot allocate its batch page (GFP_NOWAIT fails),
 * {@code tlb_remove_table()} invalidates and then frees each table through
 * {@code tlb_remove_table_one()}, while the batch path's invalidation coincides with the flush
 * {@code tlb_flush_mmu()} makes anyway.
 */
class PpcTableInvalidateTest {

    /** Every variant, from the registry (without the {@code ppc64:} prefix). */
    static List<String> variants() {
        return GupArbitraries.variantSpecs("ppc64").stream().map(s -> s.substring("ppc64:".length())).toList();
    }

    /** What an munmap that frees page tables did. */
    private record Unmap(int tablesFreed, long tlbFlushes) {
    }

    /** Maps, writes and unmaps 40 pages of a fresh process, whose munmap frees its page tables. */
    private static Unmap unmap(String variant, boolean batchPageFails) {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant v = ArchRegistry.load().parse("ppc64:" + variant, k);
        World w = World.boot(v, k, MemConfig.ofBytes(v.pageShift(), 64L << 20), 2);
        Task t = w.newTask();
        long len = 40L << v.pageShift();
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(addr > 0, "mmap " + addr);
        assertEquals(0, t.touch(addr, len, true));
        int tables = t.mm().pageTables().tablesLive();
        long flushes = t.mm().tlbMm().flushes();
        w.mem().setFailNowait(batchPageFails);
        assertEquals(0, t.munmap(addr, len));
        w.mem().setFailNowait(false);
        Unmap u = new Unmap(tables - t.mm().pageTables().tablesLive(), t.mm().tlbMm().flushes() - flushes);
        assertEquals(List.of(), w.teardown());
        return u;
    }

    /**
     * With the batch page: one flush for the munmap on every variant. Without it: on radix, every
     * table freed on the spot is preceded by its own invalidation (the first also covers the
     * unmapped pages, so tlb_finish_mmu() has nothing left to flush); on hash there is still just
     * the munmap's one flush, however many tables go.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void tablesFreedOnTheSpotAreInvalidatedFirstOnlyOnRadix(String variant) {
        Unmap batched = unmap(variant, false);
        assertTrue(batched.tablesFreed() >= 2, "the munmap frees page tables: " + batched);
        assertEquals(1, batched.tlbFlushes(), "one flush for the munmap: " + batched);
        Unmap onTheSpot = unmap(variant, true);
        assertEquals(batched.tablesFreed(), onTheSpot.tablesFreed(), "the same tables go");
        boolean radix = !variant.startsWith("hash");
        assertEquals(radix ? onTheSpot.tablesFreed() : 1, onTheSpot.tlbFlushes(),
                (radix ? "one invalidation per table freed on the spot: " : "no table invalidation on hash: ")
                        + onTheSpot);
    }
}
