package org.gupsim.arch.s390.kvm;

import java.util.EnumSet;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.Gup;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.scenario.World;
import org.gupsim.smp.Cpu;
import org.gupsim.vm.Task;

/**
 * The host side of KVM's zPCI pass-through: device registration with a VM, adapter-interrupt
 * forwarding (AIF) and the {@code KVM_S390_ZPCI_OP} ioctl. Mirrors arch/s390/kvm/pci.c; one
 * instance is the kvm module's global state ({@code aift}) on one host.
 *
 * <p>Why AIF is a GUP caller: to let the firmware deliver a device's interrupts straight into the
 * guest, the host hands it the host physical addresses of two guest pages, the interrupt bit
 * vector and the summary bit. The firmware writes them at any time, so they are pinned long-term
 * for writing with {@code pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM)} on the VMM's address
 * space, found through the memslots under {@code kvm->srcu}. Whatever GUP says, a failed pin
 * becomes -EIO: the rule of spec §4 (no long-term write pins of dirty-tracked shared file
 * mappings) therefore reaches the guest as "interrupt setup failed".
 */
public final class KvmS390Pci {
    private final World world;
    private final Gup gup;
    private final Sched sched;
    private final AifCode code;
    private final boolean interpretation;
    private final Aift aift;

    /**
     * @param code           which pci.c runs ({@link AifCode#of} the kernel, unless a test asks otherwise)
     * @param nrDevices      {@code ZPCI_NR_DEVICES}: summary bits, so devices forwarding at once
     * @param interpretation {@code kvm_s390_pci_interp_allowed()}: the zPCI interpretation
     *                       facilities are there; without them registration leaves {@code gisa == 0}
     */
    public KvmS390Pci(World world, AifCode code, int nrDevices, boolean interpretation) {
        Validate.isTrue(world != null, "world must not be null");
        Validate.isTrue(code != null, "code must not be null");
        Validate.isTrue(nrDevices > 0, "nrDevices must be positive, was %d", nrDevices);
        this.world = world;
        this.gup = world.gup();
        this.sched = world.sched();
        this.code = code;
        this.interpretation = interpretation;
        this.aift = new Aift(nrDevices, 1L << world.mem().pageShift(), sched);
    }

    /** The kvm module on {@code world}'s kernel: its pci.c, 512 devices, interpretation available. */
    public static KvmS390Pci init(World world) {
        return new KvmS390Pci(world, AifCode.of(world.kernel()), 512, true);
    }

    public AifCode code() {
        return code;
    }

    public Aift aift() {
        return aift;
    }

    /** A zPCI function appears on the host with handle {@code fh}. */
    public ZpciDev plug(int fh, int maxMsi) {
        Validate.isTrue(maxMsi > 0, "maxMsi must be positive, was %d", maxMsi);
        return new ZpciDev(fh, maxMsi, sched);
    }

    private Cpu cpu() {
        return world.vm().cpu();
    }

    /**
     * Mirrors {@code kvm_s390_pci_register_kvm()} (VFIO opens the device for a VM): links the
     * device to {@code kvm} and, where interpretation is available and the VM has a GISA, enables
     * interpretation by storing the VM's GISA in the device.
     *
     * @return 0, or -EINVAL if the device is already registered or interpreted
     */
    public int kvmS390PciRegisterKvm(ZpciDev zdev, Kvm kvm) {
        Validate.isTrue(zdev != null, "zdev must not be null");
        Validate.isTrue(kvm != null, "kvm must not be null");
        zdev.kzdevLock().lock(cpu());
        try {
            if (zdev.kzdev != null || zdev.gisa != 0) {
                return Errno.EINVAL.negative();
            }
            kvm.lock().lock(cpu());
            try {
                zdev.kzdev = new KvmZdev(zdev);
                if (interpretation && kvm.gisa().origin() != 0) {
                    zdev.gisa = kvm.gisa().origin();
                }
                zdev.kzdev.kvm = kvm;
                kvm.kzdevListLock().lock(cpu());
                kvm.kzdevList().add(zdev.kzdev);
                kvm.kzdevListLock().unlock(cpu());
                return 0;
            } finally {
                kvm.lock().unlock(cpu());
            }
        } finally {
            zdev.kzdevLock().unlock(cpu());
        }
    }

    /**
     * Mirrors {@code kvm_s390_pci_unregister_kvm()} (VFIO closes the device): forwarding is turned
     * off with force, interpretation ends, and the device leaves the VM's list.
     */
    public void kvmS390PciUnregisterKvm(ZpciDev zdev) {
        Validate.isTrue(zdev != null, "zdev must not be null");
        zdev.kzdevLock().lock(cpu());
        try {
            if (zdev.kzdev == null) {
                return; // WARN_ON in the kernel
            }
            Kvm kvm = zdev.kzdev.kvm;
            kvm.lock().lock(cpu());
            try {
                if (zdev.gisa != 0) {
                    if (zdev.kzdev.fibAibv != 0) {
                        kvmS390PciAifDisable(zdev, true);
                    }
                    zdev.gisa = 0;
                }
                kvm.kzdevListLock().lock(cpu());
                kvm.kzdevList().remove(zdev.kzdev);
                kvm.kzdevListLock().unlock(cpu());
                zdev.kzdev = null;
            } finally {
                kvm.lock().unlock(cpu());
            }
        } finally {
            zdev.kzdevLock().unlock(cpu());
        }
    }

    /** Mirrors {@code get_zdev_from_kvm_by_fh()}: the device with handle {@code fh} on {@code kvm}'s list, or null. */
    public ZpciDev getZdevFromKvmByFh(Kvm kvm, int fh) {
        kvm.kzdevListLock().lock(cpu());
        try {
            for (KvmZdev k : kvm.kzdevList()) {
                if (k.zdev.fh() == fh) {
                    return k.zdev;
                }
            }
            return null;
        } finally {
            kvm.kzdevListLock().unlock(cpu());
        }
    }

    /**
     * Mirrors {@code kvm_s390_pci_zpci_op()}, the {@code KVM_S390_ZPCI_OP} ioctl: -ENODEV for a
     * handle the VM does not have, then {@link #kvmS390PciZpciOpLocked}.
     */
    public AifResult kvmS390PciZpciOp(Kvm kvm, ZpciOp args) {
        Validate.isTrue(kvm != null, "kvm must not be null");
        Validate.isTrue(args != null, "args must not be null");
        ZpciDev zdev = getZdevFromKvmByFh(kvm, args.fh());
        if (zdev == null) {
            return new AifResult(Errno.ENODEV.negative(), AifStep.ZDEV_LOOKUP,
                    null, "no device with fh 0x" + Integer.toHexString(args.fh()) + " on " + kvm);
        }
        return kvmS390PciZpciOpLocked(kvm, zdev, args);
    }

    /**
     * The part of {@code kvm_s390_pci_zpci_op()} after the lookup, under {@code zdev->kzdev_lock}
     * and {@code kvm->lock}: the device may have been released (-ENODEV) or handed to another VM
     * (-EPERM) since it was looked up, as nothing held it in between; REG_AEN refuses unknown
     * flags (-EINVAL) and turns {@link ZpciOp#KVM_S390_ZPCIOP_REGAEN_HOST} into
     * {@code assist = false}; an unknown op is -EINVAL.
     */
    public AifResult kvmS390PciZpciOpLocked(Kvm kvm, ZpciDev zdev, ZpciOp args) {
        zdev.kzdevLock().lock(cpu());
        kvm.lock().lock(cpu());
        try {
            KvmZdev kzdev = zdev.kzdev;
            if (kzdev == null) {
                return new AifResult(Errno.ENODEV.negative(), AifStep.ZDEV_LOOKUP, null,
                        zdev + " was released after the lookup");
            }
            if (kzdev.kvm != kvm) {
                return new AifResult(Errno.EPERM.negative(), AifStep.KVM_OWNER, null,
                        zdev + " belongs to " + kzdev.kvm + ", not " + kvm);
            }
            switch (args.op()) {
                case ZpciOp.KVM_S390_ZPCIOP_REG_AEN -> {
                    if ((args.flags() & ~ZpciOp.KVM_S390_ZPCIOP_REGAEN_HOST) != 0) {
                        return new AifResult(Errno.EINVAL.negative(), AifStep.ARGS, null,
                                "unknown REG_AEN flags 0x" + Integer.toHexString(args.flags()));
                    }
                    return kvmS390PciZpciRegAen(zdev, args);
                }
                case ZpciOp.KVM_S390_ZPCIOP_DEREG_AEN -> {
                    return kvmS390PciAifDisable(zdev, false);
                }
                default -> {
                    return new AifResult(Errno.EINVAL.negative(), AifStep.ARGS, null, "unknown op " + args.op());
                }
            }
        } finally {
            kvm.lock().unlock(cpu());
            zdev.kzdevLock().unlock(cpu());
        }
    }

    /** Mirrors {@code kvm_s390_pci_zpci_reg_aen()}: builds the FIB from the ioctl's values. */
    private AifResult kvmS390PciZpciRegAen(ZpciDev zdev, ZpciOp args) {
        ZpciFib fib = new ZpciFib();
        fib.aibv = args.ibv();
        fib.isc = args.isc();
        fib.noi = args.noi();
        if (args.sb() != 0) {
            fib.aisb = args.sb();
            fib.aisbo = args.sbo();
            fib.sum = 1;
        }
        boolean assist = (args.flags() & ZpciOp.KVM_S390_ZPCIOP_REGAEN_HOST) == 0;
        return kvmS390PciAifEnable(zdev, fib, assist);
    }

    /**
     * Mirrors {@code kvm_s390_pci_aif_enable()}. In order: the device must be interpreted
     * ({@code gisa != 0}, else -EINVAL); the guest ISC is registered with the GISA; the AIBV page
     * and, with a summary bit, the AISB page are pinned (each through {@code gfn_to_hva()} under
     * {@code kvm->srcu} and {@code pin_user_pages_fast(hva, 1, FOLL_WRITE | FOLL_LONGTERM)}; a
     * failed pin is -EIO, and a failed AISB pin first unpins the AIBV page); the pins are charged
     * to RLIMIT_MEMLOCK; under {@code aift_lock} a host summary bit is taken and the GAIT entry
     * filled; the FIB is rewritten with host addresses; last the firmware registration (MPCIFC
     * REG_INT), whose failure is -EIO with everything left in place for disable to undo.
     *
     * <p>Why the pins are safe against the memslot going away: the translation and the pin both
     * happen inside one SRCU read-side section, and deleting a memslot waits for an SRCU grace
     * period before the VMM can unmap the memory, so the pin is taken on a page that was still
     * guest memory; from then on the pin keeps the page (not its mapping) alive until disable.
     *
     * <p>The pre-2026 error paths are {@link AifCode}'s.
     */
    public AifResult kvmS390PciAifEnable(ZpciDev zdev, ZpciFib fib, boolean assist) {
        Validate.isTrue(zdev != null, "zdev must not be null");
        Validate.isTrue(fib != null, "fib must not be null");
        if (zdev.gisa == 0) {
            return new AifResult(Errno.EINVAL.negative(), AifStep.GISA, null,
                    zdev + " is not enabled for interpretation (gisa 0)");
        }
        Kvm kvm = zdev.kzdev.kvm;
        Task current = kvm.vmm();
        int msiVecs = Math.min(fib.noi, zdev.maxMsi());
        int guestIsc = fib.isc;
        int gisc = kvm.gisa().kvmS390GiscRegister(guestIsc);
        if (gisc < 0) {
            return new AifResult(gisc, AifStep.GISC, null, "kvm_s390_gisc_register(isc " + guestIsc + ") failed: "
                    + Errno.fromReturn(gisc));
        }
        int pageShift = world.mem().pageShift();
        long offsetMask = (1L << pageShift) - 1;
        Page[] pages = new Page[1];
        GupResult aibvPin = pinGuestPage(kvm, current, fib.aibv, pages);
        if (aibvPin.ret() < 1) {
            dropGiscOnError(kvm, guestIsc);
            return new AifResult(Errno.EIO.negative(), AifStep.AIBV_PIN, aibvPin, pinFailure(aibvPin));
        }
        Page aibvPage = pages[0];
        int pcount = 1;
        fib.aibv = pagePhys(aibvPage) + (fib.aibv & offsetMask);
        Page aisbPage = null;
        if (fib.sum == 1) {
            pages[0] = null;
            GupResult aisbPin = pinGuestPage(kvm, current, fib.aisb, pages);
            if (aisbPin.ret() < 1) {
                gup.unpinUserPage(aibvPage);
                dropGiscOnError(kvm, guestIsc);
                return new AifResult(Errno.EIO.negative(), AifStep.AISB_PIN, aisbPin,
                        pinFailure(aisbPin) + "; AIBV page unpinned");
            }
            aisbPage = pages[0];
            pcount++;
        }
        int acc = accountMem(current, pcount);
        if (acc != 0) {
            unpin(aibvPage, aisbPage);
            dropGiscOnError(kvm, guestIsc);
            String why = "RLIMIT_MEMLOCK " + current.rlimitMemlock() + " bytes cannot take " + pcount
                    + " more pages (user locked_vm " + current.userLockedVm() + "); pins dropped";
            return code.fixed() ? new AifResult(acc, AifStep.ACCOUNT_MEM, null, why)
                    : new AifResult(0, AifStep.ACCOUNT_MEM, null, why + ", 0 returned");
        }
        aift.aiftLock().lock(cpu());
        int bit = aift.airqIvAllocBit();
        if (bit == -1) {
            if (code.fixed()) {
                unaccountMem(current, pcount);
            }
            aift.aiftLock().unlock(cpu());
            unpin(aibvPage, aisbPage);
            dropGiscOnError(kvm, guestIsc);
            String why = "no free host summary bit; pins dropped";
            return code.fixed() ? new AifResult(Errno.ENOMEM.negative(), AifStep.SUMMARY_BIT, null, why + ", unaccounted")
                    : new AifResult(0, AifStep.SUMMARY_BIT, null, why + ", " + pcount
                            + " pages left accounted, 0 returned");
        }
        zdev.aisb = bit;
        zdev.aibv = new AirqIv(msiVecs, fib.aibv);
        aift.gaitLock().lock(cpu());
        Gaite gaite = aift.gaite(Aift.gaitIndex(bit, code));
        if (gaite == null) {
            aift.gaitLock().unlock(cpu());
            sched.report(new Violation(ViolationKind.BUG_ON, "KASAN: GAIT entry " + Aift.gaitIndex(bit, code)
                    + " of summary bit " + bit + " lies beyond the " + aift.gaitEntries() + "-entry table"));
            return new AifResult(Errno.EFAULT.negative(), AifStep.SUMMARY_BIT, null, "GAIT out of bounds");
        }
        sched.point(gaite, Access.WRITE, "kvm_s390_pci_aif_enable gaite");
        gaite.gisa = assist ? kvm.gisa().origin() : 0;
        gaite.gisc = guestIsc;
        gaite.count++;
        gaite.aisbo = fib.aisbo;
        // Without a summary bit the old code computes the address of a NULL page here; turned back
        // into a page at disable time that is NULL again, so nothing is unpinned: 0 behaves the same.
        gaite.aisb = aisbPage != null ? pagePhys(aisbPage) + (fib.aisb & offsetMask) : 0;
        aift.setKzdev(bit, zdev.kzdev);
        aift.gaitLock().unlock(cpu());
        fib.aisbo = bit & 63;
        fib.aisb = aift.sbvWordPhys(bit);
        fib.isc = gisc;
        zdev.kzdev.fibIsc = fib.isc;
        zdev.kzdev.fibAibv = fib.aibv;
        aift.aiftLock().unlock(cpu());
        int rc = kvmZpciSetAirq(zdev);
        return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.REG_INT, null,
                "MPCIFC REG_INT cc " + zdev.mpcifcCc() + "; pins and GAIT entry stay until disable");
    }

    /** {@code gfn_to_hva()} under {@code kvm->srcu}, then the one-page long-term write pin. */
    private GupResult pinGuestPage(Kvm kvm, Task current, long gpa, Page[] pages) {
        kvm.srcuReadLock();
        try {
            long hva = kvm.gfnToHva(gpa >>> world.mem().pageShift());
            return gup.pinUserPagesFast(current.mm(), hva, 1, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        } finally {
            kvm.srcuReadUnlock();
        }
    }

    private static String pinFailure(GupResult r) {
        String what = r.ret() < 0 ? String.valueOf(Errno.fromReturn(r.ret())) : "0 pages";
        return "pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) " + what + " via " + r.path().label()
                + (r.reason() == null ? "" : ": " + r.reason());
    }

    /** With the fixes the failure paths drop the gisc reference; before them it stays taken. */
    private void dropGiscOnError(Kvm kvm, int guestIsc) {
        if (code.fixed()) {
            kvm.gisa().kvmS390GiscUnregister(guestIsc);
        }
    }

    private void unpin(Page aibvPage, Page aisbPage) {
        if (aisbPage != null) {
            gup.unpinUserPage(aisbPage);
        }
        gup.unpinUserPage(aibvPage);
    }

    private long pagePhys(Page p) {
        return (long) p.pfn() << world.mem().pageShift();
    }

    private Page physToPage(long phys) {
        PhysMem mem = world.mem();
        long pfn = phys >>> mem.pageShift();
        return mem.pfnValid(pfn) ? mem.pfnToPage(pfn) : null;
    }

    /**
     * Mirrors {@code kvm_s390_pci_aif_disable()}: clears the firmware registration (cc 3, the
     * function gone, counts as done); on another failure returns -EIO unless {@code force}; if
     * forwarding was on, drops the GAIT entry's count and at zero clears the entry, frees the
     * summary bit and unpins the AIBV and AISB pages (found again from their physical addresses),
     * then unregisters the gisc and unaccounts what was unpinned.
     */
    public AifResult kvmS390PciAifDisable(ZpciDev zdev, boolean force) {
        Validate.isTrue(zdev != null, "zdev must not be null");
        if (zdev.gisa == 0) {
            return new AifResult(Errno.EINVAL.negative(), AifStep.GISA, null,
                    zdev + " is not enabled for interpretation (gisa 0)");
        }
        KvmZdev kzdev = zdev.kzdev;
        aift.aiftLock().lock(cpu());
        try {
            int rc = kvmZpciClearAirq(zdev);
            if (rc != 0 && !force) {
                return new AifResult(rc, AifStep.CLEAR_INT, null, "MPCIFC DEREG_INT failed");
            }
            if (kzdev.fibAibv == 0) {
                return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.CLEAR_INT, null, "MPCIFC DEREG_INT failed");
            }
            Page vpage = null;
            Page spage = null;
            aift.gaitLock().lock(cpu());
            Gaite gaite = aift.gaite(Aift.gaitIndex(zdev.aisb, code));
            sched.point(gaite, Access.WRITE, "kvm_s390_pci_aif_disable gaite");
            int isc = gaite.gisc;
            gaite.count--;
            if (gaite.count == 0) {
                vpage = physToPage(kzdev.fibAibv);
                if (gaite.aisb != 0) {
                    spage = physToPage(gaite.aisb);
                }
                gaite.aisb = 0;
                gaite.gisc = 0;
                gaite.aisbo = 0;
                gaite.gisa = 0;
                aift.setKzdev(zdev.aisb, null);
                aift.airqIvFreeBit(zdev.aisb);
                zdev.aibv = null;
                zdev.aisb = 0;
            }
            aift.gaitLock().unlock(cpu());
            kzdev.kvm.gisa().kvmS390GiscUnregister(isc);
            kzdev.fibIsc = 0;
            kzdev.fibAibv = 0;
            int pcount = 0;
            if (vpage != null) {
                gup.unpinUserPage(vpage);
                pcount++;
            }
            if (spage != null) {
                gup.unpinUserPage(spage);
                pcount++;
            }
            if (pcount > 0) {
                unaccountMem(kzdev.kvm.vmm(), pcount);
            }
            return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.CLEAR_INT, null, "MPCIFC DEREG_INT failed (forced)");
        } finally {
            aift.aiftLock().unlock(cpu());
        }
    }

    /** Mirrors {@code kvm_zpci_set_airq()}: MPCIFC REG_INT; any non-zero cc is -EIO. */
    private int kvmZpciSetAirq(ZpciDev zdev) {
        sched.point(zdev, Access.WRITE, "zpci_mod_fc REG_INT");
        return zdev.mpcifcCc() != 0 ? Errno.EIO.negative() : 0;
    }

    /** Mirrors {@code kvm_zpci_clear_airq()}: MPCIFC DEREG_INT; cc 3 (function gone) counts as success. */
    private int kvmZpciClearAirq(ZpciDev zdev) {
        sched.point(zdev, Access.WRITE, "zpci_mod_fc DEREG_INT");
        int cc = zdev.mpcifcCc();
        return cc == 0 || cc == 3 ? 0 : Errno.EIO.negative();
    }

    /**
     * Mirrors pci.c {@code account_mem()}: charges {@code nrPages} to the user's {@code locked_vm}
     * if that stays within RLIMIT_MEMLOCK (no CAP_IPC_LOCK exemption here), then adds them to the
     * mm's {@code pinned_vm}.
     *
     * @return 0 or -ENOMEM
     */
    private int accountMem(Task current, int nrPages) {
        long pageLimit = current.rlimitMemlock() >>> world.mem().pageShift();
        sched.point(current, Access.RMW, "account_mem locked_vm");
        if (current.userLockedVm() + nrPages > pageLimit) {
            return Errno.ENOMEM.negative();
        }
        current.addUserLockedVm(nrPages);
        sched.point(current.mm(), Access.RMW, "account_mem pinned_vm");
        current.mm().addPinnedVm(nrPages);
        return 0;
    }

    /** Mirrors pci.c {@code unaccount_mem()}. */
    private void unaccountMem(Task current, int nrPages) {
        sched.point(current, Access.RMW, "unaccount_mem locked_vm");
        current.addUserLockedVm(-nrPages);
        sched.point(current.mm(), Access.RMW, "unaccount_mem pinned_vm");
        current.mm().addPinnedVm(-nrPages);
    }
}
