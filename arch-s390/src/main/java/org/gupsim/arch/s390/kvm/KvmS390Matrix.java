package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.callers.PinOutcome;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.util.Args;
import org.gupsim.vm.Task;

/**
 * Every guest-memory setup a QEMU user can choose (backend × share × mem-path filesystem, and
 * memfd's hugetlb option), each run on a fresh s390 machine: the result of enabling adapter
 * interrupt forwarding for a passed-through device and of VFIO pinning a guest page for DMA.
 * The question of the mailing-list reports, answered by running the model.
 */
public final class KvmS390Matrix {
    /** Physical memory of each row's machine. */
    static final long MEMORY = 32L << 20;

    /**
     * One setup and what happened.
     *
     * @param spec     the guest memory
     * @param aif      REG_AEN with a summary bit, GISA assist
     * @param vfio     VFIO_IOMMU_MAP_DMA of one guest page
     * @param problems what the teardown found left over (empty when disable and unmap restored the world)
     */
    public record Row(GuestMemorySpec spec, AifResult aif, PinOutcome vfio, List<Violation> problems) {

        /** {@code memory-backend-file}. */
        public String backend() {
            return spec.backend().label();
        }

        /** {@code on} or {@code off}. */
        public String share() {
            return spec.share() ? "on" : "off";
        }

        /** mem-path's filesystem, or {@code -} when the backend has none. */
        public String fs() {
            return spec.fs() == null ? "-" : spec.fs().label();
        }

        /** {@code on}/{@code off} for memfd, {@code -} for the others. */
        public String hugetlb() {
            return spec.backend() == QemuMemoryBackend.MEMFD ? (spec.hugetlb() ? "on" : "off") : "-";
        }

        /** {@code 0}, or the errno and the failed step. */
        public String aifSummary() {
            if (aif.ok()) {
                return "0";
            }
            return aif.silentFailure() ? "0 (not registered: " + aif.failed().label() + ")"
                    : aif.errno() + " (" + aif.failed().label() + ")";
        }

        /** {@code pinned} or the errno. */
        public String vfioSummary() {
            return vfio.ok() ? "pinned" : String.valueOf(vfio.errno());
        }
    }

    private KvmS390Matrix() {
    }

    /** Every setup, in a fixed order: ram, memfd, file; share off before on; filesystems in {@link MemPathFs} order. */
    public static List<GuestMemorySpec> setups() {
        List<GuestMemorySpec> out = new ArrayList<>();
        for (boolean share : List.of(false, true)) {
            out.add(new GuestMemorySpec(QemuMemoryBackend.RAM, share, null, false));
        }
        for (boolean share : List.of(false, true)) {
            for (boolean hugetlb : List.of(false, true)) {
                out.add(new GuestMemorySpec(QemuMemoryBackend.MEMFD, share, null, hugetlb));
            }
        }
        for (boolean share : List.of(false, true)) {
            for (MemPathFs fs : MemPathFs.values()) {
                out.add(new GuestMemorySpec(QemuMemoryBackend.FILE, share, fs, false));
            }
        }
        return List.copyOf(out);
    }

    /** The matrix on {@code kernel}, on s390's default variant for it. */
    public static List<Row> run(Kernel kernel) {
        Args.notNull(kernel, "kernel");
        List<Row> rows = new ArrayList<>();
        for (GuestMemorySpec spec : setups()) {
            rows.add(runOne(kernel, spec, Task.DEFAULT_RLIMIT_MEMLOCK));
        }
        return List.copyOf(rows);
    }

    /**
     * One setup: boot, map the DMA page with VFIO, enable AIF (summary bit, assist), disable it,
     * unmap, shut down, and check nothing is left pinned, accounted or allocated.
     */
    public static Row runOne(Kernel kernel, GuestMemorySpec spec, long memlockLimit) {
        ArchVariant arch = ArchRegistry.load().parse("s390", kernel);
        World w = World.boot(arch, kernel, MemConfig.ofBytes(arch.pageShift(), MEMORY), 1);
        S390Guest g = S390Guest.boot(w, spec, memlockLimit);
        List<Violation> problems = new ArrayList<>();
        PinOutcome vfio = g.vfioMapDma();
        AifResult aif = g.regAen(true, true);
        try {
            if (aif.ok()) {
                AifResult off = g.deregAen();
                if (!off.ok()) {
                    problems.add(new Violation(ViolationKind.LEAK, "DEREG_AEN returned " + off));
                }
            }
            g.vfioUnmapDma();
            problems.addAll(restored(g));
            g.shutdown();
            problems.addAll(w.checkAccounting());
            problems.addAll(w.teardown());
        } catch (KernelBugException e) {
            problems.add(e.violation());
        }
        return new Row(spec, aif, vfio, List.copyOf(problems));
    }

    /**
     * After disable and unmap: no page pinned, QEMU's locked_vm, pinned_vm and (VFIO's) mm
     * locked_vm back to zero, no summary bit or GAIT entry in use, no reference left on a guest
     * ISC of the VM's GISA.
     */
    public static List<Violation> restored(S390Guest g) {
        List<Violation> out = new ArrayList<>();
        List<org.gupsim.mm.Folio> pinned = S390Guest.pinnedFolios(g.world());
        if (!pinned.isEmpty()) {
            out.add(new Violation(ViolationKind.LEAK, "still pinned after disable: " + pinned));
        }
        Task q = g.qemu();
        if (q.userLockedVm() != 0 || q.mm().pinnedVm() != 0 || q.mm().lockedVm() != 0) {
            out.add(new Violation(ViolationKind.LEAK, "accounting not back to zero after disable: "
                    + g.accounting() + " mm locked_vm=" + q.mm().lockedVm()));
        }
        if (!g.pci().aift().idle()) {
            out.add(new Violation(ViolationKind.LEAK, "AIFT still has a summary bit or GAIT entry in use"));
        }
        Gisa gisa = g.kvm().gisa();
        for (int isc = 0; isc <= Gisa.MAX_ISC; isc++) {
            if (gisa.refCount(isc) != 0) {
                out.add(new Violation(ViolationKind.LEAK, "guest ISC " + isc + " still registered with " + gisa
                        + " after disable (" + gisa.refCount(isc) + " reference" + (gisa.refCount(isc) == 1 ? "" : "s")
                        + ")"));
            }
        }
        return out;
    }
}
