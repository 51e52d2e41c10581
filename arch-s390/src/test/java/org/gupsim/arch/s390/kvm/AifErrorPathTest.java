package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The error paths of KVM_S390_ZPCI_OP and kvm_s390_pci_aif_enable(), before and with the 2026 fixes. */
class AifErrorPathTest {
    private static final GuestMemorySpec RAM = GuestMemorySpec.parse("memory-backend-ram", "default", "default", "default");
    private static final long EIGHT_M = 8L << 20;

    private static World world() {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant arch = ArchRegistry.load().parse("s390", k);
        return World.boot(arch, k, MemConfig.ofBytes(arch.pageShift(), 32L << 20), 1);
    }

    /** A guest on a latest world whose kvm module runs {@code code}, 512 summary bits. */
    private static S390Guest guest(AifCode code) {
        return guest(code, 512, EIGHT_M);
    }

    /**
     * A guest with RLIMIT_MEMLOCK {@code memlockLimit} on a latest world whose kvm module runs
     * {@code code} with {@code nrDevices} summary bits.
     */
    private static S390Guest guest(AifCode code, int nrDevices, long memlockLimit) {
        World w = world();
        return S390Guest.boot(w, new KvmS390Pci(w, code, nrDevices, true), RAM, memlockLimit, 0, S390Guest.FIRST_FH,
                true);
    }

    /**
     * Registers {@code second} (handle 0x101) with {@code g}'s VM, turns forwarding on for
     * {@code g}'s own device, then asks for it for {@code second}: that REG_AEN's result.
     */
    private static AifResult secondDeviceAfterTheFirst(S390Guest g, ZpciDev second) {
        assertEquals(0, g.pci().kvmS390PciRegisterKvm(second, g.kvm()));
        assertTrue(g.regAen(true, true).ok());
        return g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x101, S390Guest.AIBV_GPA + 0x100,
                S390Guest.AISB_GPA + 1, 0, S390Guest.NOI, S390Guest.GUEST_ISC, 0));
    }

    /** {@code r} failed with {@code errno} at {@code step}. */
    private static void assertFailed(Errno errno, AifStep step, AifResult r) {
        assertEquals(errno, r.errno());
        assertEquals(step, r.failed());
    }

    private static void assertClean(World w, S390Guest... guests) {
        for (S390Guest g : guests) {
            g.shutdown();
        }
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void withoutInterpretationGisaIsZeroAndBothOpsAreEinval() {
        World w = world();
        KvmS390Pci pci = new KvmS390Pci(w, AifCode.of(w.kernel()), 512, false);
        S390Guest g = S390Guest.boot(w, pci, RAM, EIGHT_M, 0, 0x100, true);
        assertEquals(0, g.dev().gisa());
        AifResult on = g.regAen(true, true);
        assertFailed(Errno.EINVAL, AifStep.GISA, on);
        assertEquals(Errno.EINVAL, g.deregAen().errno());
        assertTrue(S390Guest.pinnedFolios(w).isEmpty());
        assertClean(w, g);
    }

    @Test
    void aVmWithoutGisaIsNotInterpretedEither() {
        World w = world();
        S390Guest g = S390Guest.boot(w, KvmS390Pci.init(w), RAM, EIGHT_M, 0, 0x100, false);
        assertEquals(0, g.dev().gisa());
        assertEquals(Errno.EINVAL, g.regAen(true, true).errno());
        assertClean(w, g);
    }

    @Test
    void anUnknownFunctionHandleIsEnodev() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x999, S390Guest.AIBV_GPA, 0, 0, 1, 2, 0));
        assertFailed(Errno.ENODEV, AifStep.ZDEV_LOOKUP, r);
        assertEquals(Errno.ENODEV, g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.deregAen(0x999)).errno());
        assertClean(w, g);
    }

    /**
     * Another VM's device: its handle is not on this VM's list, so -ENODEV; -EPERM needs the
     * device to change VMs between the lookup and the locks, which nothing prevents.
     */
    @Test
    void anotherVmsDeviceIsEnodevByHandleAndEpermIfItMovedAfterTheLookup() {
        World w = world();
        KvmS390Pci pci = KvmS390Pci.init(w);
        S390Guest a = S390Guest.boot(w, pci, RAM, EIGHT_M, 0, 0x100, true);
        S390Guest b = S390Guest.boot(w, pci, GuestMemorySpec.parse("memory-backend-memfd", "default", "default", "default"),
                EIGHT_M, 1, 0x200, true);
        ZpciOp regA = ZpciOp.regAen(0x100, S390Guest.AIBV_GPA, 0, 0, 1, 2, 0);
        assertEquals(Errno.ENODEV, pci.kvmS390PciZpciOp(b.kvm(), regA).errno());

        ZpciDev dev = pci.getZdevFromKvmByFh(b.kvm(), 0x200);
        assertEquals(b.dev(), dev);
        pci.kvmS390PciUnregisterKvm(dev);
        ZpciOp regB = ZpciOp.regAen(0x200, S390Guest.AIBV_GPA, 0, 0, 1, 2, 0);
        AifResult gone = pci.kvmS390PciZpciOpLocked(b.kvm(), dev, regB);
        assertEquals(Errno.ENODEV, gone.errno(), "released after the lookup");
        assertEquals(0, pci.kvmS390PciRegisterKvm(dev, a.kvm()));
        AifResult r = pci.kvmS390PciZpciOpLocked(b.kvm(), dev, regB);
        assertFailed(Errno.EPERM, AifStep.KVM_OWNER, r);
        assertTrue(S390Guest.pinnedFolios(w).isEmpty());
        assertClean(w, a, b);
    }

    @Test
    void unknownFlagsAndUnknownOpsAreEinval() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x100, S390Guest.AIBV_GPA, 0, 0x2, 1, 2, 0));
        assertFailed(Errno.EINVAL, AifStep.ARGS, r);
        assertEquals(Errno.EINVAL, g.pci().kvmS390PciZpciOp(g.kvm(), new ZpciOp(0x100, 7, 0, 0, 0, 0, 0, 0)).errno());
        assertEquals(0, g.kvm().gisa().refCount(S390Guest.GUEST_ISC), "refused before the gisc is registered");
        assertClean(w, g);
    }

    @Test
    void theHostFlagTurnsTheAssistOff() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        assertTrue(g.regAen(true, false).ok());
        Gaite e = g.pci().aift().gaiteOf(g.dev().aisb(), g.pci().code());
        assertEquals(0, e.gisa(), "host gets every alert");
        assertEquals(S390Guest.GUEST_ISC, e.gisc());
        assertTrue(g.deregAen().ok());
        assertTrue(g.regAen(true, true).ok());
        assertEquals(g.kvm().gisa().origin(), g.pci().aift().gaiteOf(g.dev().aisb(), g.pci().code()).gisa());
        assertTrue(g.deregAen().ok());
        assertClean(w, g);
    }

    /** Before the fixes: 0 returned, nothing registered; with them -ENOMEM. CAP_IPC_LOCK is no help. */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void exceedingTheMemlockLimit(AifCode code) {
        S390Guest g = guest(code, 512, 4096);
        World w = g.world();
        g.qemu().setCapIpcLock(true);
        AifResult r = g.regAen(true, true);
        assertEquals(AifStep.ACCOUNT_MEM, r.failed());
        if (code.fixed()) {
            assertEquals(Errno.ENOMEM, r.errno());
        } else {
            assertEquals(0, r.rc());
            assertTrue(r.silentFailure());
        }
        assertEquals(0, g.dev().kzdev().fib().aibv(), "forwarding not registered");
        assertTrue(S390Guest.pinnedFolios(w).isEmpty(), "both pins dropped");
        assertEquals(0, g.qemu().userLockedVm());
        assertEquals(0, g.qemu().mm().pinnedVm());
        assertTrue(g.pci().aift().idle());
        assertEquals(code.fixed() ? 0 : 1, g.kvm().gisa().refCount(S390Guest.GUEST_ISC), "gisc reference");
        assertTrue(g.deregAen().ok(), "nothing to disable");
        // One page fits.
        assertTrue(g.regAen(false, true).ok());
        assertEquals(1, g.qemu().userLockedVm());
        assertTrue(g.deregAen().ok());
        assertEquals(0, g.qemu().userLockedVm());
        assertClean(w, g);
    }

    /**
     * The AISB sits in a second memslot backed by a shared ext4 file, which the long-term rule
     * refuses: -EIO after the AIBV page was pinned, which is unpinned again.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void anAisbPinFailingAfterTheAibvPinUnpinsTheAibv(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        GuestRam second = new GuestRam(w, g.qemu(), GuestMemorySpec.parse("memory-backend-file", "on", "ext4", "default"), 1);
        long gpa = 0x100000;
        assertEquals(0, g.kvm().kvmSetUserMemoryRegion(1, gpa, second.len(), second.hva()));
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x100, S390Guest.AIBV_GPA, gpa + 8, 0,
                S390Guest.NOI, S390Guest.GUEST_ISC, 0));
        assertFailed(Errno.EIO, AifStep.AISB_PIN, r);
        assertEquals(Errno.EFAULT, r.gup().errno(), "GUP said EFAULT; the caller says EIO");
        assertTrue(r.reason().endsWith("AIBV page unpinned"), r.reason());
        assertTrue(S390Guest.pinnedFolios(w).isEmpty());
        assertEquals(0, g.qemu().userLockedVm());
        assertEquals(code.fixed() ? 0 : 1, g.kvm().gisa().refCount(S390Guest.GUEST_ISC));
        second.releaseFile();
        assertClean(w, g);
    }

    /**
     * No free summary bit: before the fixes 0 is returned after unpinning, and the two pages stay
     * charged to locked_vm and pinned_vm for good; with the fixes -ENOMEM and nothing charged.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void runningOutOfSummaryBits(AifCode code) {
        S390Guest g = guest(code, 1, EIGHT_M);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        ZpciDev second = pci.plug(0x101, S390Guest.NOI);
        AifResult r = secondDeviceAfterTheFirst(g, second);
        assertEquals(AifStep.SUMMARY_BIT, r.failed());
        assertEquals(code.fixed() ? Errno.ENOMEM.negative() : 0, r.rc());
        assertEquals(2, S390Guest.pinnedFolios(w).size(), "the first device's two pages only");
        assertEquals(code.fixed() ? 2 : 4, g.qemu().userLockedVm());
        assertEquals(code.fixed() ? 2 : 4, g.qemu().mm().pinnedVm());
        assertTrue(g.deregAen().ok());
        assertEquals(code.fixed() ? 0 : 2, g.qemu().userLockedVm(), "what the failed enable charged stays charged");
        pci.kvmS390PciUnregisterKvm(second);
        assertClean(w, g);
    }

    /** Two devices: summary bits 0 and 1; the old code puts bit 1's entry at GAIT index 16. */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void gaitIndexing(AifCode code) {
        S390Guest g = guest(code, 512, EIGHT_M);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        ZpciDev second = pci.plug(0x101, S390Guest.NOI);
        AifResult r = secondDeviceAfterTheFirst(g, second);
        assertTrue(r.ok(), r.toString());
        assertEquals(1, second.aisb());
        Aift aift = pci.aift();
        assertEquals(code.fixed() ? 1 : 16, Aift.gaitIndex(1, code));
        assertEquals(1, aift.gaiteOf(1, code).count());
        assertEquals(code.fixed(), aift.gaite(1).count() == 1, "entry 1 used only with the fix");
        assertEquals(0x80 >>> S390Guest.GUEST_ISC, g.kvm().gisa().alertMask());
        assertTrue(pci.kvmS390PciZpciOp(g.kvm(), ZpciOp.deregAen(0x101)).ok());
        assertTrue(g.deregAen().ok());
        assertTrue(aift.idle());
        assertEquals(0, g.kvm().gisa().alertMask());
        pci.kvmS390PciUnregisterKvm(second);
        assertClean(w, g);
    }

    /**
     * The function vanished on the host: REG_INT answers cc 3, -EIO. Before the fixes the pins,
     * the summary bit and the GAIT entry stay for disable, which takes cc 3 for done and releases
     * them; with the fixes enable unwinds it all itself, and disable finds nothing to do.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void aFailedFirmwareRegistration(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        g.dev().setFunctionGone(true);
        AifResult r = g.regAen(true, true);
        assertFailed(Errno.EIO, AifStep.REG_INT, r);
        assertEquals(code.fixed() ? 0 : 2, S390Guest.pinnedFolios(w).size());
        assertEquals(code.fixed() ? 0 : 2, g.qemu().userLockedVm());
        assertEquals(code.fixed(), g.pci().aift().idle());
        assertEquals(code.fixed() ? 0 : 1, g.kvm().gisa().refCount(S390Guest.GUEST_ISC));
        assertNull(g.deregAen().errno());
        assertEquals(List.of(), KvmS390Matrix.restored(g));
        assertClean(w, g);
    }

    /** VFIO closing the device turns forwarding off with force. */
    @Test
    void unregisteringTheDeviceDisablesForwarding() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        assertTrue(g.regAen(true, true).ok());
        g.pci().kvmS390PciUnregisterKvm(g.dev());
        assertNull(g.dev().kzdev());
        assertEquals(0, g.dev().gisa());
        assertEquals(List.of(), KvmS390Matrix.restored(g));
        assertFalse(g.pci().getZdevFromKvmByFh(g.kvm(), 0x100) != null);
        assertClean(w, g);
    }

    /**
     * Which pci.c a kernel runs, from the mails: the last of the 2026 fixes were merged for
     * 7.2-rc5, so 7.2 is the first release with all of them, and {@code latest} is 7.2. Seen
     * through behaviour: an enable that RLIMIT_MEMLOCK refuses returns 0 and keeps the gisc
     * reference on the others, -ENOMEM and drops it on these.
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void theKernelChoosesThePciC(KernelVersion k) {
        boolean fixedPerTheMails = Set.of("7.2", "latest").contains(k.label());
        ArchVariant arch = ArchRegistry.load().parse("s390", k);
        World w = World.boot(arch, k, MemConfig.ofBytes(arch.pageShift(), 32L << 20), 1);
        S390Guest g = S390Guest.boot(w, RAM, 4096);
        AifResult r = g.regAen(true, true);
        assertEquals(AifStep.ACCOUNT_MEM, r.failed(), k.label());
        assertEquals(fixedPerTheMails ? Errno.ENOMEM.negative() : 0, r.rc(), k.label());
        assertEquals(fixedPerTheMails ? 0 : 1, g.kvm().gisa().refCount(S390Guest.GUEST_ISC), k.label());
        assertClean(w, g);
    }

    /**
     * 512 devices: the GAIT is two pages, 512 entries. Before the fix summary bit {@code b} lands in
     * entry {@code 16 b}, beyond the table from the 33rd device (bit 32) on, which KASAN reports;
     * with the fix the 33rd device is entry 32.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void theThirtyThirdDevice(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        assertEquals(512, pci.aift().gaitEntries());
        for (int i = 1; i <= 32; i++) {
            g.plugDevice();
        }
        for (int i = 0; i < 32; i++) {
            assertTrue(g.regAen(i, true, true).ok(), "device " + i);
        }
        if (!code.fixed()) {
            KernelBugException x = assertThrows(KernelBugException.class, () -> g.regAen(32, true, true));
            assertEquals(ViolationKind.BUG_ON, x.violation().kind());
            assertTrue(x.violation().message().startsWith("KASAN: slab-out-of-bounds in kvm_s390_pci_aif_enable: GAIT "
                    + "entry 512 of summary bit 32 lies beyond the 512-entry table"), x.violation().message());
            return;
        }
        assertTrue(g.regAen(32, true, true).ok());
        assertEquals(1, pci.aift().gaite(32).count());
        for (int i = 32; i >= 0; i--) {
            assertTrue(g.deregAen(i).ok(), "device " + i);
        }
        assertEquals(List.of(), KvmS390Matrix.restored(g));
        assertClean(w, g);
    }

    /** {@code alloc_pages(get_order(PAGE_ALIGN(n * 16)))}: whole pages, a power of two of them. */
    @Test
    void theGaitIsAPowerOfTwoOfPages() {
        assertEquals(256, new Aift(1, 4096, new Sched()).gaitEntries());
        assertEquals(512, new Aift(512, 4096, new Sched()).gaitEntries());
        assertEquals(1024, new Aift(700, 4096, new Sched()).gaitEntries(), "11200 bytes: 3 pages, order 2");
        assertEquals(4096, new Aift(4096, 4096, new Sched()).gaitEntries());
    }

    /**
     * The FIB's summary-bit word: one word per 64 bits with the fix; before it
     * {@code sbv->vector + (bit / 64) * 8} on an {@code unsigned long *}, eight words per 64 bits,
     * beyond the 64-byte vector of 512 bits from bit 64 on.
     */
    @Test
    void theSummaryBitWordBeforeAndAfterTheAisbFix() {
        Aift a = new Aift(512, 4096, new Sched());
        assertEquals(Aift.SBV_PHYS, a.sbvWordPhys(63, AifCode.BEFORE_2026_FIXES));
        assertEquals(Aift.SBV_PHYS + 8, a.sbvWordPhys(64, AifCode.WITH_2026_FIXES));
        assertEquals(Aift.SBV_PHYS + 64, a.sbvWordPhys(64, AifCode.BEFORE_2026_FIXES));
        assertFalse(a.setSummaryBit(a.sbvWordPhys(64, AifCode.BEFORE_2026_FIXES), 0), "outside the vector");
        assertTrue(a.setSummaryBit(a.sbvWordPhys(64, AifCode.WITH_2026_FIXES), 0));
        assertEquals(64, a.airqIvScan(0));
        assertEquals(-1, a.airqIvScan(0), "scanning clears the bit");
    }

    /**
     * {@code airq_iv_create()} fails: before the fix the NULL vector reaches
     * {@code kvm_zpci_set_airq()}, a NULL dereference; with it -ENOMEM and everything undone.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void aFailedVectorAllocation(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        pci.injectAirqIvCreateFailure();
        if (!code.fixed()) {
            KernelBugException x = assertThrows(KernelBugException.class, () -> g.regAen(true, true));
            assertTrue(x.violation().message().startsWith("NULL pointer dereference in kvm_zpci_set_airq(): zdev->aibv"),
                    x.violation().message());
            return;
        }
        AifResult r = g.regAen(true, true);
        assertFailed(Errno.ENOMEM, AifStep.AIRQ_IV_CREATE, r);
        assertEquals(List.of(), KvmS390Matrix.restored(g), "pins, accounting, summary bit and gisc all undone");
        assertTrue(g.regAen(true, true).ok(), "the next allocation succeeds");
        assertTrue(g.deregAen().ok());
        assertClean(w, g);
    }

    /**
     * A second REG_AEN while forwarding is on. Before the fix it pins and charges again, takes a
     * second summary bit, overwrites the device's bit, vector and saved FIB, and fails at REG_INT
     * (the firmware refuses a second registration); disable then releases only the second set.
     * With the fix it is refused and nothing changes.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void aSecondRegAenWhileForwarding(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        assertTrue(g.regAen(true, true).ok());
        AifResult again = g.regAen(true, true);
        if (code.fixed()) {
            assertFailed(Errno.EINVAL, AifStep.ALREADY_ENABLED, again);
            assertEquals(2, g.qemu().userLockedVm());
            assertTrue(g.deregAen().ok());
            assertEquals(List.of(), KvmS390Matrix.restored(g));
            assertClean(w, g);
            return;
        }
        assertFailed(Errno.EIO, AifStep.REG_INT, again);
        assertEquals(4, g.qemu().userLockedVm());
        assertEquals(2, pci.aift().bitsInUse());
        assertTrue(g.deregAen().ok());
        List<String> left = KvmS390Matrix.restored(g).stream().map(Violation::message).toList();
        assertEquals(4, left.size(), left.toString());
        assertTrue(left.get(0).startsWith("still pinned after disable: "), left.toString());
        assertTrue(left.get(1).startsWith("accounting not back to zero after disable: locked_vm=2 pinned_vm=2"),
                left.toString());
        assertEquals("AIFT still has a summary bit or GAIT entry in use", left.get(2));
        assertEquals("guest ISC 2 still registered with kvm0 gisa after disable (1 reference)", left.get(3));
    }

    /**
     * No summary bit, no assist: the host forwards each interruption. Before the fix the GAIT entry
     * holds {@code virt_to_phys(page_address(NULL))}, which disable turns back into the NULL page
     * (nothing extra unpinned) but {@code aen_host_forward()} writes a summary bit to; with the fix
     * it holds 0 and forwarding only marks the ISC pending.
     */
    @ParameterizedTest
    @EnumSource(AifCode.class)
    void anEnableWithoutSummaryBit(AifCode code) {
        S390Guest g = guest(code);
        World w = g.world();
        KvmS390Pci pci = g.pci();
        assertTrue(g.regAen(false, false).ok());
        assertEquals(code.fixed() ? 0 : KvmS390Pci.PHYS_OF_NULL_PAGE, pci.aift().gaiteOf(g.dev().aisb(), code).aisb());
        assertTrue(g.deregAen().ok());
        assertEquals(List.of(), KvmS390Matrix.restored(g), "disable balances either way");
        assertTrue(g.regAen(false, false).ok());
        if (!code.fixed()) {
            KernelBugException x = assertThrows(KernelBugException.class, () -> pci.deliverAdapterInterruption(g.dev()));
            assertTrue(x.violation().message().startsWith("aen_host_forward() sets summary bit 0 at 0x3fffffc000000000 = "
                    + "virt_to_phys(page_address(NULL))"), x.violation().message());
            return;
        }
        assertEquals("host", pci.deliverAdapterInterruption(g.dev()));
        assertEquals(0x80 >>> S390Guest.GUEST_ISC, g.kvm().gisa().ipm());
        assertTrue(g.deregAen().ok());
        assertClean(w, g);
    }

    /**
     * DEREG_AEN with nothing registered: the firmware answers cc 1 with status 24, and a function
     * that is gone cc 3; disable takes both for done.
     */
    @Test
    void deregisteringWhatIsNotRegistered() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        assertTrue(g.deregAen().ok());
        assertEquals(new ZpciDev.ModFc(1, ZpciDev.STATUS_IRQS_NOT_REGISTERED), g.dev().deregInt(), "the firmware's answer");
        g.dev().setFunctionGone(true);
        assertTrue(g.deregAen().ok());
        assertClean(w, g);
    }

    /**
     * interrupt.c checks only {@code gisc > MAX_ISC} (a u32, so negative is large): the host's own
     * ISC is a guest ISC like any other. REG_AEN cannot even ask for more: the FIB's isc is 3 bits.
     */
    @Test
    void giscRegistrationChecksOnlyTheRange() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        Gisa gisa = g.kvm().gisa();
        assertEquals(Gisa.NISC, gisa.kvmS390GiscRegister(Gisa.NISC));
        assertEquals(0, gisa.kvmS390GiscUnregister(Gisa.NISC));
        assertEquals(Errno.ERANGE.negative(), gisa.kvmS390GiscRegister(8));
        assertEquals(Errno.ERANGE.negative(), gisa.kvmS390GiscRegister(-1));
        assertEquals(Errno.EINVAL.negative(), gisa.kvmS390GiscUnregister(3), "no reference held");
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(S390Guest.FIRST_FH, S390Guest.AIBV_GPA, 0, 0,
                S390Guest.NOI, 8 + S390Guest.GUEST_ISC, 0));
        assertTrue(r.ok(), r.toString());
        assertEquals(1, gisa.refCount(S390Guest.GUEST_ISC), "isc 10 fits the 3-bit field as 2");
        assertTrue(g.deregAen().ok());
        assertClean(w, g);
    }
}
