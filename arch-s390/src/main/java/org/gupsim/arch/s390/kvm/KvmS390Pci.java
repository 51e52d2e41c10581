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
import org.gupsim.util.Args;
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
    /**
     * Stands for {@code virt_to_phys(page_address(NULL))}, what the pci.c before 3e3aa6da87d3
     * stores as the GAIT entry's AISB address when the guest gave no summary bit. Its value
     * depends on where {@code vmemmap} lies; what matters is that it is not 0 (so the host and the
     * firmware take it for a summary bit to set) and no page of memory ({@code phys_to_page()}
     * turns it back into the NULL page, so disable unpins nothing).
     */
    static final long PHYS_OF_NULL_PAGE = 0x3fffffc000000000L;

    private final World world;
    private final Gup gup;
    private final Sched sched;
    private final AifCode code;
    private final boolean interpretation;
    private final Aift aift;
    private int airqIvCreateFailures;

    /**
     * @param code           which pci.c runs ({@link AifCode#of} the kernel, unless a test asks otherwise)
     * @param nrDevices      {@code ZPCI_NR_DEVICES}: summary bits, so devices forwarding at once
     * @param interpretation {@code kvm_s390_pci_interp_allowed()}: the zPCI interpretation
     *                       facilities are there; without them registration leaves {@code gisa == 0}
     */
    public KvmS390Pci(World world, AifCode code, int nrDevices, boolean interpretation) {
        Args.notNull(world, "world");
        Args.notNull(code, "code");
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
        Args.notNull(zdev, "zdev");
        Args.notNull(kvm, "kvm");
        zdev.kzdevLock().lock(cpu());
        try {
            if (zdev.kzdev != null || zdev.gisa != 0) {
                return Errno.EINVAL.negative();
            }
            kvm.lock().lock(cpu());
            try {
                zdev.kzdev = new KvmZdev(zdev, kvm, new ZpciFib());
                if (interpretation && kvm.gisa().origin() != 0) {
                    zdev.gisa = kvm.gisa().origin();
                }
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
        Args.notNull(zdev, "zdev");
        zdev.kzdevLock().lock(cpu());
        try {
            if (zdev.kzdev == null) {
                return; // WARN_ON in the kernel
            }
            Kvm kvm = zdev.kzdev.kvm();
            kvm.lock().lock(cpu());
            try {
                if (zdev.gisa != 0) {
                    if (zdev.kzdev.fib().aibv != 0) {
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
                if (k.zdev().fh() == fh) {
                    return k.zdev();
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
        Args.notNull(kvm, "kvm");
        Args.notNull(args, "args");
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
            if (kzdev.kvm() != kvm) {
                return new AifResult(Errno.EPERM.negative(), AifStep.KVM_OWNER, null,
                        zdev + " belongs to " + kzdev.kvm() + ", not " + kvm);
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

    /**
     * Mirrors {@code kvm_s390_pci_zpci_reg_aen()}: builds the FIB from the ioctl's values. The FIB's
     * fields are bit fields ({@code struct zpci_fib_fmt0}: isc 3 bits, noi 12, aisbo 6), so the
     * ioctl's wider values are cut to them here, as the C assignments do.
     */
    private AifResult kvmS390PciZpciRegAen(ZpciDev zdev, ZpciOp args) {
        ZpciFib fib = new ZpciFib();
        fib.aibv = args.ibv();
        fib.isc = args.isc() & 0x7;
        fib.noi = args.noi() & 0xfff;
        if (args.sb() != 0) {
            fib.aisb = args.sb();
            fib.aisbo = args.sbo() & 0x3f;
            fib.sum = 1;
        }
        boolean assist = (args.flags() & ZpciOp.KVM_S390_ZPCIOP_REGAEN_HOST) == 0;
        return kvmS390PciAifEnable(zdev, fib, assist);
    }

    /**
     * The next {@code airq_iv_create()} fails (returns NULL), as a failed {@code kmalloc()} under
     * memory pressure would make it: an injected allocation failure, like the kernel's fault
     * injection ({@code failslab}).
     */
    public void injectAirqIvCreateFailure() {
        airqIvCreateFailures++;
    }

    /**
     * Mirrors {@code airq_iv_create(bits, AIRQ_IV_DATA | AIRQ_IV_BITLOCK | AIRQ_IV_GUESTVEC, vector)}:
     * an interrupt vector over the guest's pinned page, or null when the allocation fails.
     */
    private AirqIv airqIvCreate(int bits, long vectorPhys) {
        if (airqIvCreateFailures > 0) {
            airqIvCreateFailures--;
            return null;
        }
        return new AirqIv(bits, vectorPhys);
    }

    /**
     * Mirrors {@code kvm_s390_pci_aif_enable()} of {@link #code()}. Both versions: the device must
     * be interpreted ({@code gisa != 0}, else -EINVAL); the guest ISC is registered with the GISA;
     * the AIBV page and, with a summary bit, the AISB page are pinned (each through
     * {@code gfn_to_hva()} under {@code kvm->srcu} and
     * {@code pin_user_pages_fast(hva, 1, FOLL_WRITE | FOLL_LONGTERM)}; a failed pin is -EIO, and a
     * failed AISB pin first unpins the AIBV page); the pins are charged to RLIMIT_MEMLOCK; under
     * {@code aift_lock} a host summary bit is taken, the guest's interrupt vector made and the GAIT
     * entry filled; the FIB is rewritten with host addresses; last the firmware registration
     * (MPCIFC REG_INT). Where the versions part, see {@link #aifEnableBefore2026Fixes} and
     * {@link #aifEnableWith2026Fixes}.
     *
     * <p>Why the pins are safe against the memslot going away: the translation and the pin both
     * happen inside one SRCU read-side section, and deleting a memslot waits for an SRCU grace
     * period before the VMM can unmap the memory, so the pin is taken on a page that was still
     * guest memory; from then on the pin keeps the page (not its mapping) alive until disable.
     */
    public AifResult kvmS390PciAifEnable(ZpciDev zdev, ZpciFib fib, boolean assist) {
        Args.notNull(zdev, "zdev");
        Args.notNull(fib, "fib");
        if (zdev.gisa == 0) {
            return new AifResult(Errno.EINVAL.negative(), AifStep.GISA, null,
                    zdev + " is not enabled for interpretation (gisa 0)");
        }
        return code.fixed() ? aifEnableWith2026Fixes(zdev, fib, assist) : aifEnableBefore2026Fixes(zdev, fib, assist);
    }

    /**
     * pci.c before the 2026 fixes. A failing {@code account_mem()} or {@code airq_iv_alloc_bit()}
     * unpins and returns 0 ({@code rc} is never set), so REG_AEN reports success with nothing
     * registered; after a failed bit allocation the charged pages stay charged; no failure path
     * drops the gisc reference; a NULL interrupt vector is passed on to
     * {@code kvm_zpci_set_airq()}, which dereferences it; a failed REG_INT returns with pins, bit
     * and GAIT entry in place; the GAIT entry is {@code bit * 16}; without a summary bit the entry's
     * AISB address is {@code virt_to_phys(page_address(NULL))}; and a second REG_AEN for the same
     * device runs through again, overwriting {@code zdev->aisb}, {@code zdev->aibv} and the saved
     * FIB, so the first registration's pins, bit and GAIT entry are never released.
     */
    private AifResult aifEnableBefore2026Fixes(ZpciDev zdev, ZpciFib fib, boolean assist) {
        Kvm kvm = zdev.kzdev.kvm();
        Task current = kvm.vmm();
        int gisc = kvm.gisa().kvmS390GiscRegister(fib.isc);
        if (gisc < 0) {
            return giscFailure(gisc, fib.isc);
        }
        GuestPins pins = pinAibvAndAisb(kvm, current, fib);
        if (pins.failure() != null) {
            return pins.failure();
        }
        Page aibvPage = pins.aibv();
        Page aisbPage = pins.aisb();
        int pcount = pins.count();
        if (accountMem(current, pcount) != 0) {
            unpin(aibvPage, aisbPage);
            return new AifResult(0, AifStep.ACCOUNT_MEM, null, memlockRefusal(current, pcount) + "; pins dropped, 0 returned");
        }
        aift.aiftLock().lock(cpu());
        int bit = aift.airqIvAllocBit();
        if (bit == -1) {
            aift.aiftLock().unlock(cpu());
            unpin(aibvPage, aisbPage);
            return new AifResult(0, AifStep.SUMMARY_BIT, null, "no free host summary bit of " + aift.nrDevices()
                    + "; pins dropped, " + pcount + " pages left accounted, 0 returned");
        }
        zdev.aisb = bit;
        zdev.aibv = airqIvCreate(Math.min(fib.noi, zdev.maxMsi()), fib.aibv);
        aift.gaitLock().lock(cpu());
        Gaite gaite = gaiteOf(bit, "kvm_s390_pci_aif_enable");
        gaite.gisa = assist ? kvm.gisa().origin() : 0;
        gaite.gisc = fib.isc;
        gaite.count++;
        gaite.aisbo = fib.aisbo;
        // virt_to_phys(page_address(aisb_page) + offset) with aisb_page NULL when no summary bit.
        gaite.aisb = aisbPage != null ? pagePhys(aisbPage) + pageOffset(fib.aisb) : PHYS_OF_NULL_PAGE;
        aift.setKzdev(bit, zdev.kzdev);
        aift.gaitLock().unlock(cpu());
        rewriteFib(fib, bit, gisc);
        zdev.kzdev.fib().isc = fib.isc;
        zdev.kzdev.fib().aibv = fib.aibv;
        aift.aiftLock().unlock(cpu());
        int rc = kvmZpciSetAirq(zdev);
        return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.REG_INT, null,
                "MPCIFC REG_INT refused; pins, summary bit and GAIT entry stay until disable");
    }

    /**
     * pci.c with the 2026 fixes: every failure returns its errno and unwinds what was done before
     * it, in the reverse order (GAIT entry and vector, summary bit, accounting, AISB pin, AIBV
     * pin, gisc reference); REG_INT is issued under {@code aift_lock}; a NULL vector is -ENOMEM;
     * without a summary bit the GAIT entry's AISB fields are 0.
     *
     * <p>UNCONFIRMED, as the merged diffs could not be read: the refusal of a second REG_AEN is
     * modelled as -EINVAL before the gisc is registered (the commit message says only that it is
     * rejected); the REG_INT unwind drops the guest ISC's reference, as the review of the v1 posting
     * asked (v1 4/5 ended at {@code out:}, which unregisters {@code fib->fmt0.isc}, by then
     * rewritten to the host ISC).
     */
    private AifResult aifEnableWith2026Fixes(ZpciDev zdev, ZpciFib fib, boolean assist) {
        Kvm kvm = zdev.kzdev.kvm();
        Task current = kvm.vmm();
        if (zdev.kzdev.fib().aibv != 0) {
            return new AifResult(Errno.EINVAL.negative(), AifStep.ALREADY_ENABLED, null,
                    "adapter interrupt forwarding is already enabled for " + zdev);
        }
        int guestIsc = fib.isc;
        int gisc = kvm.gisa().kvmS390GiscRegister(guestIsc);
        if (gisc < 0) {
            return giscFailure(gisc, guestIsc);
        }
        GuestPins pins = pinAibvAndAisb(kvm, current, fib);
        if (pins.failure() != null) {
            return unwind(kvm, guestIsc, null, null, pins.failure());
        }
        Page aibvPage = pins.aibv();
        Page aisbPage = pins.aisb();
        int pcount = pins.count();
        int rc = accountMem(current, pcount);
        if (rc != 0) {
            return unwind(kvm, guestIsc, aibvPage, aisbPage, new AifResult(rc, AifStep.ACCOUNT_MEM, null,
                    memlockRefusal(current, pcount) + "; pins dropped"));
        }
        aift.aiftLock().lock(cpu());
        int bit = aift.airqIvAllocBit();
        if (bit == -1) {
            unaccountMem(current, pcount);
            aift.aiftLock().unlock(cpu());
            return unwind(kvm, guestIsc, aibvPage, aisbPage, new AifResult(Errno.ENOMEM.negative(),
                    AifStep.SUMMARY_BIT, null, "no free host summary bit of " + aift.nrDevices()
                            + "; pins dropped, unaccounted"));
        }
        zdev.aisb = bit;
        zdev.aibv = airqIvCreate(Math.min(fib.noi, zdev.maxMsi()), fib.aibv);
        if (zdev.aibv == null) {
            freeAisb(zdev);
            unaccountMem(current, pcount);
            aift.aiftLock().unlock(cpu());
            return unwind(kvm, guestIsc, aibvPage, aisbPage, new AifResult(Errno.ENOMEM.negative(),
                    AifStep.AIRQ_IV_CREATE, null, "airq_iv_create() returned NULL; summary bit freed, pins dropped"));
        }
        aift.gaitLock().lock(cpu());
        Gaite gaite = gaiteOf(bit, "kvm_s390_pci_aif_enable");
        gaite.gisa = assist ? kvm.gisa().origin() : 0;
        gaite.gisc = guestIsc;
        gaite.count++;
        gaite.aisbo = fib.sum == 1 ? fib.aisbo : 0;
        gaite.aisb = fib.sum == 1 ? pagePhys(aisbPage) + pageOffset(fib.aisb) : 0;
        aift.setKzdev(bit, zdev.kzdev);
        aift.gaitLock().unlock(cpu());
        rewriteFib(fib, bit, gisc);
        zdev.kzdev.fib().isc = fib.isc;
        zdev.kzdev.fib().aibv = fib.aibv;
        rc = kvmZpciSetAirq(zdev);
        if (rc == 0) {
            aift.aiftLock().unlock(cpu());
            return AifResult.OK;
        }
        zdev.kzdev.fib().isc = 0;
        zdev.kzdev.fib().aibv = 0;
        aift.gaitLock().lock(cpu());
        sched.point(gaite, Access.WRITE, "kvm_s390_pci_aif_enable gaite cleanup");
        gaite.count--;
        gaite.clearFields();
        aift.setKzdev(bit, null);
        aift.gaitLock().unlock(cpu());
        zdev.aibv = null;
        freeAisb(zdev);
        unaccountMem(current, pcount);
        aift.aiftLock().unlock(cpu());
        return unwind(kvm, guestIsc, aibvPage, aisbPage, new AifResult(rc, AifStep.REG_INT, null,
                "MPCIFC REG_INT refused; GAIT entry, vector and summary bit released, pins dropped"));
    }

    /** The labels {@code free_aisb:} of the fixed code: the summary bit goes back. */
    private void freeAisb(ZpciDev zdev) {
        aift.airqIvFreeBit(zdev.aisb);
        zdev.aisb = 0;
    }

    /**
     * The labels {@code unpin2:} to {@code out:} of the fixed code, after {@code aift_lock} is
     * dropped (the paths that charged pages unaccount them under it first, at {@code unlock:}):
     * unpin the AISB and AIBV pages (those given), drop the gisc reference.
     */
    private AifResult unwind(Kvm kvm, int guestIsc, Page aibvPage, Page aisbPage, AifResult result) {
        if (aisbPage != null) {
            gup.unpinUserPage(aisbPage);
        }
        if (aibvPage != null) {
            gup.unpinUserPage(aibvPage);
        }
        kvm.gisa().kvmS390GiscUnregister(guestIsc);
        return result;
    }

    private static AifResult giscFailure(int rc, int isc) {
        return new AifResult(rc, AifStep.GISC, null, "kvm_s390_gisc_register(isc " + isc + ") failed: "
                + Errno.fromReturn(rc));
    }

    private static String memlockRefusal(Task current, int pcount) {
        return "RLIMIT_MEMLOCK " + current.rlimitMemlock() + " bytes cannot take " + pcount
                + " more pages (user locked_vm " + current.userLockedVm() + ")";
    }

    /**
     * The GAIT entry of summary bit {@code bit} as this pci.c indexes it, with a scheduling point
     * on it. An index beyond the allocation (before the fix, bit 32 on with 512 devices) is the
     * out-of-bounds access KASAN reports; the report does not return.
     */
    private Gaite gaiteOf(int bit, String function) {
        int index = Aift.gaitIndex(bit, code);
        Gaite gaite = aift.gaite(index);
        if (gaite == null) {
            sched.report(new Violation(ViolationKind.BUG_ON, "KASAN: slab-out-of-bounds in " + function + ": GAIT entry "
                    + index + " of summary bit " + bit + " lies beyond the " + aift.gaitEntries()
                    + "-entry table (index scaled by sizeof(struct zpci_gaite) twice)"));
        }
        sched.point(gaite, Access.WRITE, function + " gaite");
        return gaite;
    }

    /**
     * "Update guest FIB for re-issue": the summary bit's offset and word (as {@link #code()}
     * computes it) and the host ISC replace the guest's values.
     */
    private void rewriteFib(ZpciFib fib, int bit, int gisc) {
        fib.aisbo = bit & 63;
        fib.aisb = aift.sbvWordPhys(bit, code);
        fib.isc = gisc;
    }

    /**
     * The guest pages enable pinned: the AIBV's and, with a summary bit, the AISB's (else null);
     * or the failure, after which nothing stays pinned.
     */
    private record GuestPins(Page aibv, Page aisb, int count, AifResult failure) {
    }

    /**
     * "Replace AIBV address" and "Pin the guest AISB if one was specified", alike in both
     * versions: each page pinned through {@link #pinGuestPage}, a failed pin -EIO, a failed AISB
     * pin unpinning the AIBV page ({@code unpin1:}); the FIB's AIBV becomes a host address.
     */
    private GuestPins pinAibvAndAisb(Kvm kvm, Task current, ZpciFib fib) {
        Page[] pages = new Page[1];
        GupResult aibvPin = pinGuestPage(kvm, current, fib.aibv, pages);
        if (aibvPin.ret() < 1) {
            return new GuestPins(null, null, 0, new AifResult(Errno.EIO.negative(), AifStep.AIBV_PIN, aibvPin,
                    pinFailure(aibvPin)));
        }
        Page aibvPage = pages[0];
        fib.aibv = pagePhys(aibvPage) + pageOffset(fib.aibv);
        if (fib.sum != 1) {
            return new GuestPins(aibvPage, null, 1, null);
        }
        GupResult aisbPin = pinGuestPage(kvm, current, fib.aisb, pages);
        if (aisbPin.ret() < 1) {
            gup.unpinUserPage(aibvPage);
            return new GuestPins(null, null, 0, new AifResult(Errno.EIO.negative(), AifStep.AISB_PIN, aisbPin,
                    pinFailure(aisbPin) + "; AIBV page unpinned"));
        }
        return new GuestPins(aibvPage, pages[0], 2, null);
    }

    /** {@code gfn_to_hva()} under {@code kvm->srcu}, then the one-page long-term write pin. */
    private GupResult pinGuestPage(Kvm kvm, Task current, long gpa, Page[] pages) {
        pages[0] = null;
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

    private void unpin(Page aibvPage, Page aisbPage) {
        if (aisbPage != null) {
            gup.unpinUserPage(aisbPage);
        }
        gup.unpinUserPage(aibvPage);
    }

    private long pagePhys(Page p) {
        return (long) p.pfn() << world.mem().pageShift();
    }

    private long pageOffset(long addr) {
        return addr & ((1L << world.mem().pageShift()) - 1);
    }

    /** {@code phys_to_page()}: null where no page of memory is (the NULL page's address among them). */
    private Page physToPage(long phys) {
        PhysMem mem = world.mem();
        long pfn = phys >>> mem.pageShift();
        return mem.pfnValid(pfn) ? mem.pfnToPage(pfn) : null;
    }

    /**
     * Mirrors {@code kvm_s390_pci_aif_disable()}: clears the firmware registration (cc 3, the
     * function gone, and cc 1 with status 24, nothing registered, count as done); on another
     * failure returns -EIO unless {@code force}; if forwarding was on, drops the GAIT entry's count
     * and at zero clears the entry, frees the summary bit and the vector and unpins the AIBV and
     * AISB pages (found again from their physical addresses), then unregisters the gisc and
     * unaccounts what was unpinned. Both versions of pci.c agree here but for the GAIT index.
     */
    public AifResult kvmS390PciAifDisable(ZpciDev zdev, boolean force) {
        Args.notNull(zdev, "zdev");
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
            if (kzdev.fib().aibv == 0) {
                return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.CLEAR_INT, null, "MPCIFC DEREG_INT failed");
            }
            Page vpage = null;
            Page spage = null;
            aift.gaitLock().lock(cpu());
            Gaite gaite = gaiteOf(zdev.aisb, "kvm_s390_pci_aif_disable");
            int isc = gaite.gisc;
            gaite.count--;
            if (gaite.count == 0) {
                vpage = physToPage(kzdev.fib().aibv);
                if (gaite.aisb != 0) {
                    // The NULL page's address turns back into the NULL page: nothing to unpin.
                    spage = physToPage(gaite.aisb);
                }
                gaite.clearFields();
                aift.setKzdev(zdev.aisb, null);
                aift.airqIvFreeBit(zdev.aisb);
                zdev.aisb = 0;
                zdev.aibv = null;
            }
            aift.gaitLock().unlock(cpu());
            kzdev.kvm().gisa().kvmS390GiscUnregister(isc);
            kzdev.fib().isc = 0;
            kzdev.fib().aibv = 0;
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
                unaccountMem(kzdev.kvm().vmm(), pcount);
            }
            return rc == 0 ? AifResult.OK : new AifResult(rc, AifStep.CLEAR_INT, null, "MPCIFC DEREG_INT failed (forced)");
        } finally {
            aift.aiftLock().unlock(cpu());
        }
    }

    /**
     * Mirrors {@code kvm_zpci_set_airq()}: MPCIFC REG_INT of the device's vector
     * ({@code airq_iv_end(zdev->aibv)}, {@code zdev->aibv->vector}) and summary bit; any non-zero
     * condition code is -EIO. A NULL {@code zdev->aibv} is dereferenced: a kernel oops, reported.
     */
    private int kvmZpciSetAirq(ZpciDev zdev) {
        sched.point(zdev, Access.WRITE, "zpci_mod_fc REG_INT");
        if (zdev.aibv == null) {
            sched.report(new Violation(ViolationKind.BUG_ON, "NULL pointer dereference in kvm_zpci_set_airq(): "
                    + "zdev->aibv of " + zdev + " is NULL (airq_iv_create() failed and kvm_s390_pci_aif_enable() did "
                    + "not check)"));
        }
        return zdev.regInt(aift.sbvWordPhys(zdev.aisb, code), zdev.aisb & 63).cc() != 0 ? Errno.EIO.negative() : 0;
    }

    /**
     * Mirrors {@code kvm_zpci_clear_airq()}: MPCIFC DEREG_INT; cc 3 (function already gone) and
     * cc 1 with status 24 (interruptions already deregistered) count as success.
     */
    private int kvmZpciClearAirq(ZpciDev zdev) {
        sched.point(zdev, Access.WRITE, "zpci_mod_fc DEREG_INT");
        ZpciDev.ModFc r = zdev.deregInt();
        boolean gone = r.cc() == 3 || (r.cc() == 1 && r.status() == ZpciDev.STATUS_IRQS_NOT_REGISTERED);
        return r.cc() == 0 || gone ? 0 : Errno.EIO.negative();
    }

    /**
     * The device raises an adapter interruption (a model of the firmware, which the sources do not
     * show: UNCONFIRMED beyond what pci.c and interrupt.c imply). The firmware takes the summary
     * bit REG_INT registered and reads that bit's GAIT entry, entry {@code bit} as the hardware
     * indexes it: with a GISA there it delivers to the guest itself, setting the guest's summary
     * bit and the ISC pending in the GISA; without (no assist) it sets the bit in the host's
     * summary vector and alerts the host, whose GAL handler runs {@link #aenProcessGait()}.
     *
     * @return {@code gisa}, {@code host}, or {@code none} when no interruption is registered
     */
    public String deliverAdapterInterruption(ZpciDev zdev) {
        Args.notNull(zdev, "zdev");
        if (!zdev.irqsRegistered()) {
            return "none";
        }
        long word = zdev.regAisb();
        int aisbo = zdev.regAisbo();
        int bit = (int) ((word - Aift.SBV_PHYS) * 8 + aisbo);
        Gaite gaite = bit >= 0 && bit < aift.nrDevices() ? aift.gaite(bit) : null;
        if (gaite != null && gaite.gisa != 0) {
            sched.point(gaite, Access.READ, "firmware reads the GAIT entry");
            setGuestSummaryBit(gaite, "the firmware");
            kvmOfGisa(gaite.gisa).gisa().gisaSetIpmGisc(gaite.gisc);
            return "gisa";
        }
        if (!aift.setSummaryBit(word, aisbo)) {
            sched.report(new Violation(ViolationKind.BUG_ON, "the firmware sets summary bit " + aisbo + " of the word at 0x"
                    + Long.toHexString(word) + ", beyond the " + aift.sbvBytes() + "-byte aift->sbv (the FIB's aisb "
                    + "was computed with the offset scaled twice)"));
        }
        aenProcessGait();
        return "host";
    }

    private Kvm kvmOfGisa(long gisa) {
        for (int bit = 0; bit < aift.nrDevices(); bit++) {
            KvmZdev k = aift.kzdev(bit);
            if (k != null && k.kvm().gisa().origin() == gisa) {
                return k.kvm();
            }
        }
        throw new IllegalStateException("no VM has GISA 0x" + Long.toHexString(gisa));
    }

    /**
     * Mirrors interrupt.c {@code aen_process_gait()} as far as forwarding goes: under
     * {@code gait_lock}, every summary bit set in {@code aift->sbv} is taken and cleared
     * ({@code airq_iv_scan()}) and forwarded by {@link #aenHostForward}.
     */
    public void aenProcessGait() {
        aift.gaitLock().lock(cpu());
        try {
            for (int si = aift.airqIvScan(0); si != -1; si = aift.airqIvScan(si + 1)) {
                aenHostForward(si);
            }
        } finally {
            aift.gaitLock().unlock(cpu());
        }
    }

    /**
     * Mirrors interrupt.c {@code aen_host_forward()}: the GAIT entry of summary bit {@code si} (as
     * this kernel indexes it: twice scaled before 16d990a15491, which fixed this function too);
     * nothing if its count is 0; else the guest's summary bit is set
     * ({@code set_bit_inv(aisbo, phys_to_virt(aisb))} when {@code aisb != 0}) and the ISC made
     * pending in the owning VM's GISA.
     */
    void aenHostForward(int si) {
        Gaite gaite = gaiteOf(si, "aen_host_forward");
        if (gaite.count == 0) {
            return;
        }
        setGuestSummaryBit(gaite, "aen_host_forward()");
        KvmZdev k = aift.kzdev(si);
        if (k == null) {
            return;
        }
        k.kvm().gisa().gisaSetIpmGisc(gaite.gisc);
    }

    /**
     * Sets the guest's summary bit at the GAIT entry's {@code aisb} (0: none). It must lie in a page
     * this code pinned; the address of the NULL page (an enable without summary bit before
     * 3e3aa6da87d3) is no page of memory: a wild write, reported.
     */
    private void setGuestSummaryBit(Gaite gaite, String who) {
        if (gaite.aisb == 0) {
            return;
        }
        Page p = physToPage(gaite.aisb);
        if (p == null || !p.folio().maybeDmaPinned()) {
            sched.report(new Violation(ViolationKind.BUG_ON, who + " sets summary bit " + gaite.aisbo + " at 0x"
                    + Long.toHexString(gaite.aisb) + (gaite.aisb == PHYS_OF_NULL_PAGE
                    ? " = virt_to_phys(page_address(NULL)): the GAIT entry of an enable without summary bit" : "")
                    + ", which is no pinned guest page: a write to memory nobody gave out"));
        }
        sched.point(p.folio(), Access.WRITE, who + " sets the guest summary bit");
    }

    /**
     * Mirrors pci.c {@code account_mem()}: charges {@code nrPages} to the user's {@code locked_vm}
     * if that stays within RLIMIT_MEMLOCK (no CAP_IPC_LOCK exemption here), then adds them to the
     * mm's {@code pinned_vm}. {@code current} is the VMM in the model's callers, at enable and at
     * disable alike.
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
