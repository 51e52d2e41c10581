package org.gupsim.arch.s390;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.Cpu;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.CpuTlb;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * crst_table_upgrade() driven through mmap: 3 → 4 → 5 levels, old mappings and pins survive;
 * the upgrade needs the mmap lock for write and reaches every CPU's TLB through its IPI.
 */
class S390UpgradeTest {

    /** Every s390 variant, from the registry; each runs on the latest kernel that has it. */
    static List<String> variants() {
        return GupArbitraries.everyVariantSpec("s390").stream().map(s -> s.substring("s390:".length())).toList();
    }

    /** The running test's world, from {@link #boot}; every test leaves it to tear down clean. */
    private World w;

    /** Boots {@code variant} on the latest kernel that has it, two CPUs, and returns a new task in it. */
    private Task boot(String variant) {
        Kernel k = Worlds.latestKernelOf("s390:" + variant);
        w = World.boot(ArchRegistry.load().parse("s390:" + variant, k), k, MemConfig.ofBytes(12, 64L << 20), 2);
        return w.newTask();
    }

    @AfterEach
    void theWorldTearsDownClean() {
        assertEquals(List.of(), w.teardown());
    }

    private static long mapAndWrite(Task t, long hint, long len) {
        long a = t.mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(a > 0, "mmap returned " + a);
        assertEquals(0, t.touch(a, len, true));
        return a;
    }

    private static long pinOne(World w, Task t, long addr) {
        Page[] p = new Page[1];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 1, EnumSet.of(Foll.WRITE), p);
        assertEquals(1, r.pages(), r.toString());
        assertEquals(1, r.fastPinned(), "GUP-fast itself found the page: " + r);
        long pfn = p[0].pfn();
        w.gup().unpinUserPages(p, 1);
        return pfn;
    }

    @ParameterizedTest
    @MethodSource("variants")
    void mappingsAboveTheLimitAddLevelsAndKeepTheOldOnes(String variant) {
        Task t = boot(variant);
        PageTables pt = t.mm().pageTables();
        assertEquals(Level.PUD, pt.geometry().top(), "a new mm has a region-third table on top");
        assertEquals(S390Layout.REGION2_SIZE, pt.geometry().addressLimit());

        long low = mapAndWrite(t, 0, 4096);
        assertTrue(low < S390Layout.REGION2_SIZE, "ordinary mappings stay below 4 TB: 0x" + Long.toHexString(low));
        assertEquals(Level.PUD, pt.geometry().top(), "no upgrade for an ordinary mapping");
        long lowPfn = pinOne(w, t, low);
        PageTable oldTop = pt.root();

        long mid = mapAndWrite(t, S390Layout.REGION2_SIZE, 4096);
        assertEquals(S390Layout.REGION2_SIZE, mid);
        assertEquals(Level.P4D, pt.geometry().top(), "4 levels after a mapping at 4 TB");
        assertEquals(S390Layout.REGION1_SIZE, pt.geometry().addressLimit());
        PageTable p4d = pt.root();
        assertEquals(oldTop.phys(), pt.format().tablePhys(Level.P4D, p4d.peek(0)), "entry 0 points at the old top");
        assertEquals(lowPfn, pinOne(w, t, low), "the old mapping is still found");
        pinOne(w, t, mid);

        long high = mapAndWrite(t, S390Layout.REGION1_SIZE, 4096);
        assertEquals(S390Layout.REGION1_SIZE, high);
        assertEquals(Level.PGD, pt.geometry().top(), "5 levels after a mapping at 8 PB");
        assertSame(p4d, pt.tableAt(pt.format().tablePhys(Level.PGD, pt.root().peek(0))));
        assertEquals(lowPfn, pinOne(w, t, low));
        pinOne(w, t, mid);
        pinOne(w, t, high);

        assertEquals(0, t.munmap(high, 4096));
        assertEquals(0, t.munmap(mid, 4096));
        assertEquals(List.of(), w.checkAccounting());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void threeLevelsGrowStraightToFive(String variant) {
        Task t = boot(variant);
        long high = mapAndWrite(t, 1L << 60, 8192);
        assertEquals(1L << 60, high);
        assertEquals(Level.PGD, t.mm().pageTables().geometry().top());
        assertEquals(5, t.mm().pageTables().geometry().levels());
        pinOne(w, t, high + 4096);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aMappingBeyondTaskSizeIsRefused(String variant) {
        Task t = boot(variant);
        assertEquals(-Errno.ENOMEM.code(), S390Pgalloc.checkAsceLimit(t.mm(), S390Layout.TASK_SIZE_MAX + 4096));
        assertEquals(Level.PUD, t.mm().pageTables().geometry().top());
    }

    /**
     * Spec §8: the upgrade runs with the mmap lock held for write. Without it, or with it held
     * for read only (as GUP's slow path holds it), the model reports a locking violation naming
     * crst_table_upgrade, which direct mode throws; held for write, the mm grows a level.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void theUpgradeNeedsTheMmapLockForWrite(String variant) {
        Task t = boot(variant);
        Mm mm = t.mm();
        Cpu cpu = w.vm().cpu();
        assertUpgradeIsALockingViolation(mm, "without the mmap lock");
        mm.mmapLock().downRead(cpu);
        assertUpgradeIsALockingViolation(mm, "with the mmap lock held for read");
        mm.mmapLock().upRead(cpu);
        mm.mmapLock().downWrite(cpu);
        assertEquals(0, S390Pgalloc.crstTableUpgrade(mm, S390Layout.REGION2_SIZE + 4096));
        mm.mmapLock().upWrite(cpu);
        assertEquals(Level.P4D, mm.pageTables().geometry().top(), "4 levels");
    }

    /** An upgrade of {@code mm} to 4 levels, with its mmap lock as it is now, is reported and changes nothing. */
    private static void assertUpgradeIsALockingViolation(Mm mm, String how) {
        KernelBugException e = assertThrows(KernelBugException.class,
                () -> S390Pgalloc.crstTableUpgrade(mm, S390Layout.REGION2_SIZE + 4096), how);
        assertEquals(ViolationKind.LOCKING, e.violation().kind(), how);
        assertTrue(e.violation().message().contains("crst_table_upgrade"), e.getMessage());
        assertEquals(Level.PUD, mm.pageTables().geometry().top(), "nothing was upgraded " + how);
    }

    /**
     * The upgrade's {@code on_each_cpu(__crst_table_upgrade, mm, 0)}: every CPU, the one that
     * upgrades and the others (by IPI), loads the new ASCE and flushes its TLB, so a translation
     * of the mm that CPU1 cached through the old top is gone afterwards.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void theAsceReloadReachesEveryCpu(String variant) {
        Task t = boot(variant);
        long low = mapAndWrite(t, 0, 4096);
        long vpage = low >>> 12;
        long pfn = pinOne(w, t, low);
        CpuTlb cpu0 = w.vm().tlbs().of(0);
        CpuTlb cpu1 = w.vm().tlbs().of(1);
        cpu1.fill(t.mm().id(), vpage, pfn, true); // CPU1 ran the task and its MMU cached the page
        assertEquals(pfn, cpu1.lookup(t.mm().id(), vpage, true));
        assertEquals(pfn, cpu0.lookup(t.mm().id(), vpage, true), "the write left it in CPU0's TLB");
        // mmap upgrades; the new page is not touched, so nothing but the flush changes the TLBs.
        assertEquals(S390Layout.REGION2_SIZE, t.mmap(S390Layout.REGION2_SIZE, 4096, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, null, 0));
        assertEquals(Level.P4D, t.mm().pageTables().geometry().top());
        assertEquals(-1, cpu1.lookup(t.mm().id(), vpage, true), "CPU1 took the IPI and flushed");
        assertEquals(-1, cpu0.lookup(t.mm().id(), vpage, true), "the upgrading CPU flushed its own TLB");
    }
}
