package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The error paths of KVM_S390_ZPCI_OP and kvm_s390_pci_aif_enable(), before and with the 2026 fixes. */
class AifErrorPathTest {
    private static final GuestMemorySpec RAM = GuestMemorySpec.parse("memory-backend-ram", "default", "ext4", "off");
    private static final long EIGHT_M = 8L << 20;

    private static World world() {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant arch = ArchRegistry.load().parse("s390", k);
        return World.boot(arch, k, MemConfig.ofBytes(arch.pageShift(), 32L << 20), 1);
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
        assertEquals(Errno.EINVAL, on.errno());
        assertEquals(AifStep.GISA, on.failed());
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
        assertEquals(Errno.ENODEV, r.errno());
        assertEquals(AifStep.ZDEV_LOOKUP, r.failed());
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
        S390Guest b = S390Guest.boot(w, pci, GuestMemorySpec.parse("memory-backend-memfd", "default", "ext4", "off"),
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
        assertEquals(Errno.EPERM, r.errno());
        assertEquals(AifStep.KVM_OWNER, r.failed());
        assertTrue(S390Guest.pinnedFolios(w).isEmpty());
        assertClean(w, a, b);
    }

    @Test
    void unknownFlagsAndUnknownOpsAreEinval() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x100, S390Guest.AIBV_GPA, 0, 0x2, 1, 2, 0));
        assertEquals(Errno.EINVAL, r.errno());
        assertEquals(AifStep.ARGS, r.failed());
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
        World w = world();
        S390Guest g = S390Guest.boot(w, new KvmS390Pci(w, code, 512, true), RAM, 4096, 0, 0x100, true);
        g.qemu().setCapIpcLock(true);
        AifResult r = g.regAen(true, true);
        assertEquals(AifStep.ACCOUNT_MEM, r.failed());
        if (code.fixed()) {
            assertEquals(Errno.ENOMEM, r.errno());
        } else {
            assertEquals(0, r.rc());
            assertTrue(r.silentFailure());
        }
        assertEquals(0, g.dev().kzdev().fibAibv(), "forwarding not registered");
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
        World w = world();
        S390Guest g = S390Guest.boot(w, new KvmS390Pci(w, code, 512, true), RAM, EIGHT_M, 0, 0x100, true);
        GuestRam second = new GuestRam(w, g.qemu(), GuestMemorySpec.parse("memory-backend-file", "on", "ext4", "off"), 1);
        long gpa = 0x100000;
        assertEquals(0, g.kvm().kvmSetUserMemoryRegion(1, gpa, second.len(), second.hva()));
        AifResult r = g.pci().kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x100, S390Guest.AIBV_GPA, gpa + 8, 0,
                S390Guest.NOI, S390Guest.GUEST_ISC, 0));
        assertEquals(Errno.EIO, r.errno());
        assertEquals(AifStep.AISB_PIN, r.failed());
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
        World w = world();
        KvmS390Pci pci = new KvmS390Pci(w, code, 1, true);
        S390Guest g = S390Guest.boot(w, pci, RAM, EIGHT_M, 0, 0x100, true);
        ZpciDev second = pci.plug(0x101, S390Guest.NOI);
        assertEquals(0, pci.kvmS390PciRegisterKvm(second, g.kvm()));
        assertTrue(g.regAen(true, true).ok());
        assertEquals(2, g.qemu().userLockedVm());
        AifResult r = pci.kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x101, S390Guest.AIBV_GPA + 0x100,
                S390Guest.AISB_GPA + 1, 0, S390Guest.NOI, S390Guest.GUEST_ISC, 0));
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
        World w = world();
        KvmS390Pci pci = new KvmS390Pci(w, code, 512, true);
        S390Guest g = S390Guest.boot(w, pci, RAM, EIGHT_M, 0, 0x100, true);
        ZpciDev second = pci.plug(0x101, S390Guest.NOI);
        assertEquals(0, pci.kvmS390PciRegisterKvm(second, g.kvm()));
        assertTrue(g.regAen(true, true).ok());
        AifResult r = pci.kvmS390PciZpciOp(g.kvm(), ZpciOp.regAen(0x101, S390Guest.AIBV_GPA + 0x100,
                S390Guest.AISB_GPA + 1, 0, S390Guest.NOI, S390Guest.GUEST_ISC, 0));
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

    /** The function vanished on the host: REG_INT fails with -EIO, everything stays for disable, which succeeds (cc 3). */
    @Test
    void aFailedFirmwareRegistrationLeavesThePinsForDisable() {
        World w = world();
        S390Guest g = S390Guest.boot(w, RAM, EIGHT_M);
        g.dev().setFunctionGone(true);
        AifResult r = g.regAen(true, true);
        assertEquals(Errno.EIO, r.errno());
        assertEquals(AifStep.REG_INT, r.failed());
        assertEquals(2, S390Guest.pinnedFolios(w).size());
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

    @Test
    void everyKernelRunsTheCodeBeforeTheFixes() {
        for (KernelVersion k : KernelVersion.values()) {
            assertEquals(AifCode.BEFORE_2026_FIXES, AifCode.of(k), k.label());
        }
        assertEquals(Task.DEFAULT_RLIMIT_MEMLOCK, EIGHT_M);
    }
}
