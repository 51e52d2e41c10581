package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.callers.PinOutcome;
import org.gupsim.callers.VfioType1;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.util.Args;
import org.gupsim.vm.Task;

/**
 * A QEMU process running one s390 guest with vfio-pci zPCI devices: guest RAM from a
 * {@link GuestMemorySpec} in memslot 0 at guest physical 0, the VM, the devices registered with it
 * for interpretation (one at boot, more with {@link #plugDevice()}), and a VFIO type1 container
 * for DMA. The guest keeps device {@code i}'s adapter interrupt bit vector at
 * {@link #AIBV_GPA}{@code + 8 i}, its summary bits from {@link #AISB_GPA} on (bit {@code i}) and a
 * DMA buffer in page {@link #DMA_GPA}.
 */
public final class S390Guest {
    /** Guest RAM in base pages (one huge page for hugetlb backings). */
    public static final int RAM_PAGES = 4;
    /** Guest physical address of the adapter interrupt bit vector. */
    public static final long AIBV_GPA = 0x1000 + 0x40;
    /** Guest physical address of the summary bit's byte. */
    public static final long AISB_GPA = 0x2000 + 0x8;
    /** Guest physical address of the page the device DMAs into. */
    public static final long DMA_GPA = 0x3000;
    /** The guest's PCI ISC (Linux's PCI_ISC). */
    public static final int GUEST_ISC = 2;
    /** MSI vectors the guest asks for and the device has. */
    public static final int NOI = 32;
    /** Function handle of the first device; device {@code i} has {@code FIRST_FH + i}. */
    public static final int FIRST_FH = 0x100;

    private final World world;
    private final KvmS390Pci pci;
    private final Task qemu;
    private final GuestRam ram;
    private final Kvm kvm;
    /** The devices in the order they were plugged; the first is the one plugged at boot. */
    private final List<ZpciDev> devices = new ArrayList<>();
    private final VfioType1 vfio;
    private final Page[] dmaPages = new Page[1];
    private int dmaPinned;

    private S390Guest(World world, KvmS390Pci pci, Task qemu, GuestRam ram, Kvm kvm, ZpciDev dev) {
        this.world = world;
        this.pci = pci;
        this.qemu = qemu;
        this.ram = ram;
        this.kvm = kvm;
        this.devices.add(dev);
        this.vfio = world.vfio(qemu);
    }

    /**
     * Starts QEMU with guest RAM {@code memory} and RLIMIT_MEMLOCK {@code memlockLimit} bytes,
     * creates VM {@code vmId} (with a GISA when {@code gisa}), adds the memslot, plugs a zPCI
     * function with handle {@code fh} and registers it with the VM.
     *
     * @throws IllegalStateException if the setup itself fails
     */
    public static S390Guest boot(World world, KvmS390Pci pci, GuestMemorySpec memory, long memlockLimit, int vmId,
                                 int fh, boolean gisa) {
        Args.notNull(world, "world");
        Args.notNull(pci, "pci");
        Args.notNull(memory, "memory");
        Validate.isTrue(memlockLimit >= 0, "memlockLimit must not be negative, was %d", memlockLimit);
        Task qemu = world.newTask();
        qemu.setRlimitMemlock(memlockLimit);
        GuestRam ram = new GuestRam(world, qemu, memory, RAM_PAGES);
        Kvm kvm = new Kvm(world, qemu, vmId, gisa);
        int r = kvm.kvmSetUserMemoryRegion(0, 0, ram.len(), ram.hva());
        if (r != 0) {
            throw new IllegalStateException("KVM_SET_USER_MEMORY_REGION failed: " + r);
        }
        ZpciDev dev = pci.plug(fh, NOI);
        r = pci.kvmS390PciRegisterKvm(dev, kvm);
        if (r != 0) {
            throw new IllegalStateException("kvm_s390_pci_register_kvm failed: " + r);
        }
        return new S390Guest(world, pci, qemu, ram, kvm, dev);
    }

    /** {@link #boot} with the kvm module of {@code world}'s kernel, VM 0, handle 0x100 and a GISA. */
    public static S390Guest boot(World world, GuestMemorySpec memory, long memlockLimit) {
        return boot(world, KvmS390Pci.init(world), memory, memlockLimit, 0, FIRST_FH, true);
    }

    public World world() {
        return world;
    }

    public KvmS390Pci pci() {
        return pci;
    }

    public Task qemu() {
        return qemu;
    }

    public GuestRam ram() {
        return ram;
    }

    public Kvm kvm() {
        return kvm;
    }

    /** The device plugged at boot: device 0. */
    public ZpciDev dev() {
        return devices.get(0);
    }

    /** Device {@code i}, in the order they were plugged. */
    public ZpciDev device(int i) {
        return devices.get(i);
    }

    /**
     * Plugs one more zPCI function (handle {@link #FIRST_FH} plus its number) and registers it
     * with the VM, as QEMU does for another vfio-pci device.
     *
     * @return its number
     * @throws IllegalStateException if the registration fails
     */
    public int plugDevice() {
        ZpciDev d = pci.plug(FIRST_FH + devices.size(), NOI);
        int r = pci.kvmS390PciRegisterKvm(d, kvm);
        if (r != 0) {
            throw new IllegalStateException("kvm_s390_pci_register_kvm failed: " + r);
        }
        devices.add(d);
        return devices.size() - 1;
    }

    /** The devices plugged so far. */
    public List<ZpciDev> devices() {
        return List.copyOf(devices);
    }

    /**
     * What QEMU does when the guest registers adapter interrupts for the device (MPCIFC REG_INT
     * intercepted): {@code KVM_S390_ZPCI_OP} REG_AEN with the guest's AIBV and, if
     * {@code summaryBit}, its AISB; {@code assist} false sets {@link ZpciOp#KVM_S390_ZPCIOP_REGAEN_HOST}.
     */
    public AifResult regAen(boolean summaryBit, boolean assist) {
        return regAen(0, summaryBit, assist);
    }

    /** {@link #regAen(boolean, boolean)} for device {@code i}: its own vector and summary bit. */
    public AifResult regAen(int i, boolean summaryBit, boolean assist) {
        long sb = summaryBit ? AISB_GPA + (i / 64) * 8L : 0;
        return pci.kvmS390PciZpciOp(kvm, ZpciOp.regAen(devices.get(i).fh(), AIBV_GPA + 8L * i, sb,
                assist ? 0 : ZpciOp.KVM_S390_ZPCIOP_REGAEN_HOST, NOI, GUEST_ISC, summaryBit ? i % 64 : 0));
    }

    /** {@code KVM_S390_ZPCI_OP} DEREG_AEN. */
    public AifResult deregAen() {
        return deregAen(0);
    }

    /** {@code KVM_S390_ZPCI_OP} DEREG_AEN for device {@code i}. */
    public AifResult deregAen(int i) {
        return pci.kvmS390PciZpciOp(kvm, ZpciOp.deregAen(devices.get(i).fh()));
    }

    /**
     * {@code VFIO_IOMMU_MAP_DMA} of the guest's DMA page, writable: {@code vfio_pin_pages_remote()},
     * a long-term write pin through the slow path.
     */
    public PinOutcome vfioMapDma() {
        Validate.validState(dmaPinned == 0, "the DMA page is already mapped");
        PinOutcome o = vfio.vfioPinPagesRemote(ram.hva() + DMA_GPA, 1, true, dmaPages);
        dmaPinned = o.pinned();
        return o;
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} of what {@link #vfioMapDma} pinned, if anything. */
    public void vfioUnmapDma() {
        if (dmaPinned > 0) {
            vfio.vfioUnpinPagesRemote(dmaPages, dmaPinned, true);
            dmaPinned = 0;
        }
    }

    /** Live folios that look DMA-pinned ({@code folio_maybe_dma_pinned()}), in pfn order. */
    public static List<Folio> pinnedFolios(World world) {
        List<Folio> out = new ArrayList<>();
        for (Folio f : world.mem().liveFolios()) {
            if (!f.test(Folio.PG_PGTABLE) && f.maybeDmaPinned()) {
                out.add(f);
            }
        }
        return out;
    }

    /** {@code locked_vm} of QEMU's user and {@code pinned_vm} of its mm, e.g. {@code locked_vm=2 pinned_vm=2}. */
    public String accounting() {
        return "locked_vm=" + qemu.userLockedVm() + " pinned_vm=" + qemu.mm().pinnedVm();
    }

    /** Unmaps DMA, unregisters the devices from the VM (which turns forwarding off) and closes the RAM file. */
    public void shutdown() {
        vfioUnmapDma();
        for (ZpciDev d : devices) {
            if (d.kzdev() != null) {
                pci.kvmS390PciUnregisterKvm(d);
            }
        }
        ram.releaseFile();
    }
}
