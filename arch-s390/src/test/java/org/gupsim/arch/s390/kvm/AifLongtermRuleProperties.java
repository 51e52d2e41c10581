package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.callers.PinOutcome;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;

/**
 * Over what a QEMU or libvirt user types (backend, libvirt aliases included, × share × mem-path
 * filesystem × hugetlb) × kernel × RLIMIT_MEMLOCK × assist × summary bit: the setup is refused
 * exactly when QEMU would refuse it; AIF enable succeeds exactly when the long-term rule of spec
 * §4 lets its pins through and RLIMIT_MEMLOCK takes them, and fails as the kernel's pci.c says
 * otherwise; VFIO's pin follows the slow path's rule and its own limit; disable restores the
 * world but for what the old pci.c is known to leak. The oracle is written from the spec, QEMU's
 * documented defaults and the 2026 fix mails, not from the model's code.
 */
class AifLongtermRuleProperties {

    /** What is behind the VMA, for the rule. */
    enum Kind { ANON_PRIVATE, SHMEM, HUGETLB, DIRTY_TRACKED_FILE }

    /** QEMU's share default per backend, and what the libvirt spellings mean (spec §7). */
    static Boolean share(String backend, String share) {
        Boolean alias = switch (backend) {
            case "libvirt-file" -> false;
            case "libvirt-file-shared" -> true;
            default -> null;
        };
        if (share.equals("default")) {
            return alias != null ? alias : backend.equals("memory-backend-memfd");
        }
        boolean explicit = share.equals("on");
        return alias != null && alias != explicit ? null : explicit;
    }

    /**
     * Whether QEMU (or libvirt) accepts the setup: the share of an alias is its own; hugetlb is a
     * property of memory-backend-memfd only, mem-path of the file backends only ("default" leaves
     * the property out).
     */
    static boolean valid(String backend, String share, String fs, String hugetlb) {
        boolean fileBackend = backend.equals("memory-backend-file") || backend.startsWith("libvirt-file");
        return share(backend, share) != null && (hugetlb.equals("default") || backend.equals("memory-backend-memfd"))
                && (fs.equals("default") || fileBackend);
    }

    static Kind kind(String backend, boolean share, String fs, boolean hugetlb) {
        return switch (backend) {
            case "memory-backend-ram" -> share ? Kind.SHMEM : Kind.ANON_PRIVATE;
            case "memory-backend-memfd" -> hugetlb ? Kind.HUGETLB : Kind.SHMEM;
            default -> switch (fs) {
                // mem-path's default filesystem in the scenarios is ext4
                case "tmpfs" -> Kind.SHMEM;
                case "hugetlbfs" -> Kind.HUGETLB;
                default -> Kind.DIRTY_TRACKED_FILE;
            };
        };
    }

    /**
     * {@code pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM)} of a page the guest has written.
     * Private mappings hold exclusive anonymous pages, pinned by GUP-fast in every version. Shared
     * shmem and hugetlb pages pass every version's fast check. A shared dirty-tracked file page is
     * pinned by GUP-fast in 6.4 only; later GUP-fast hands it to the slow path, where the v6
     * posting's inverted helper allows it and v7 and the merged rule refuse it.
     */
    static boolean aifPinAllowed(KernelVersion k, Kind kind, boolean share) {
        if (!share || kind != Kind.DIRTY_TRACKED_FILE) {
            return true;
        }
        return k == KernelVersion.V6_4 || k == KernelVersion.V6_PATCH;
    }

    /**
     * {@code vfio_pin_pages_remote()}: slow path with FOLL_LONGTERM | FOLL_WRITE. Anonymous
     * private VMA always passes; other VMAs: 6.4 no rule; v6 refuses those not needing dirty
     * tracking (shmem, hugetlbfs, private or shared); v7 refuses dirty-tracked files, private ones
     * too; merged refuses shared dirty-tracked files only.
     */
    static boolean vfioPinAllowed(KernelVersion k, Kind kind, boolean share) {
        if (kind == Kind.ANON_PRIVATE) {
            return true;
        }
        boolean dirtyTracked = kind == Kind.DIRTY_TRACKED_FILE;
        return switch (k) {
            case V6_4 -> true;
            case V6_PATCH -> dirtyTracked;
            case V7_PATCH -> !dirtyTracked;
            case V6_5, V6_10, V6_15, V7_2, LATEST -> !(dirtyTracked && share);
        };
    }

    /** The kernels whose pci.c has the 2026 fixes: all were merged by 7.2-rc5, and latest is 7.2. */
    static boolean fixedPciC(KernelVersion k) {
        return List.of("7.2", "latest").contains(k.label());
    }

    @Provide
    Arbitrary<String> backends() {
        return Arbitraries.of("memory-backend-ram", "memory-backend-memfd", "memory-backend-file", "libvirt-file",
                "libvirt-file-shared");
    }

    @Provide
    Arbitrary<String> shares() {
        return Arbitraries.of("default", "on", "off");
    }

    @Provide
    Arbitrary<String> filesystems() {
        return Arbitraries.of("default", "ext4", "xfs", "btrfs", "tmpfs", "hugetlbfs");
    }

    @Provide
    Arbitrary<String> hugetlbs() {
        return Arbitraries.of("default", "off", "on");
    }

    /** RLIMIT_MEMLOCK in bytes: around the one and two pages AIF charges, and far above. */
    @Provide
    Arbitrary<Long> memlocks() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0L, 4095L, 4096L, 8191L, 8192L, 8L << 20, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(0, 1L << 20)));
    }

    @Property(tries = 800)
    void aifEnableFollowsTheRulesAndDisableRestoresTheWorld(@ForAll("backends") String backend,
                                                           @ForAll("shares") String share,
                                                           @ForAll("filesystems") String fs,
                                                           @ForAll("hugetlbs") String hugetlb,
                                                           @ForAll KernelVersion kernel,
                                                           @ForAll("memlocks") long memlock,
                                                           @ForAll boolean assist,
                                                           @ForAll boolean summaryBit) {
        String what = kernel + " " + backend + " share=" + share + " fs=" + fs + " hugetlb=" + hugetlb + " memlock="
                + memlock + " assist=" + assist + " summary-bit=" + summaryBit;
        if (!valid(backend, share, fs, hugetlb)) {
            assertThrows(IllegalArgumentException.class, () -> GuestMemorySpec.parse(backend, share, fs, hugetlb), what);
            return;
        }
        GuestMemorySpec spec = GuestMemorySpec.parse(backend, share, fs, hugetlb);
        boolean shared = share(backend, share);
        Kind kind = kind(backend, shared, fs, hugetlb.equals("on"));
        ArchVariant arch = ArchRegistry.load().parse("s390", kernel);
        World w = World.boot(arch, kernel, MemConfig.ofBytes(arch.pageShift(), 32L << 20), 1);
        S390Guest g = S390Guest.boot(w, spec, memlock);
        PinOutcome vfio = g.vfioMapDma();
        AifResult aif = g.regAen(summaryBit, assist);
        what += ": aif " + aif + ", vfio " + vfio;

        long limitPages = memlock >>> 12;
        int pages = summaryBit ? 2 : 1;
        boolean fixed = fixedPciC(kernel);
        if (!aifPinAllowed(kernel, kind, shared)) {
            assertEquals(Errno.EIO, aif.errno(), what);
            assertEquals(AifStep.AIBV_PIN, aif.failed(), what);
            assertEquals(Errno.EFAULT, aif.gup().errno(), "GUP's own answer, which the kernel drops: " + what);
        } else if (pages > limitPages) {
            assertEquals(AifStep.ACCOUNT_MEM, aif.failed(), what);
            assertEquals(fixed ? Errno.ENOMEM.negative() : 0, aif.rc(), what);
        } else {
            assertTrue(aif.ok(), what);
            assertEquals(pages, g.qemu().userLockedVm(), what);
            assertEquals(pages, g.qemu().mm().pinnedVm(), what);
            assertEquals(1, g.pci().aift().bitsInUse(), what);
            Gaite e = g.pci().aift().gaiteOf(g.dev().aisb(), g.pci().code());
            assertEquals(assist ? g.kvm().gisa().origin() : 0, e.gisa(), what);
        }
        if (!aif.ok()) {
            assertEquals(0, g.qemu().userLockedVm(), what);
            assertEquals(0, g.pci().aift().bitsInUse(), what);
        }
        boolean vfioPins = vfioPinAllowed(kernel, kind, shared);
        assertEquals(vfioPins && limitPages >= 1, vfio.ok(), what);
        if (vfioPins && !vfio.ok()) {
            assertEquals(Errno.ENOMEM, vfio.errno(), what);
        }

        AifResult off = g.deregAen();
        assertTrue(off.ok(), what + "; disable " + off);
        g.vfioUnmapDma();
        // The old pci.c keeps the gisc reference of a failed enable (7b69729046a4 drops it).
        boolean giscLeaks = !aif.ok() && !fixed;
        assertEquals(giscLeaks ? List.of("LEAK: guest ISC 2 still registered with kvm0 gisa after disable (1 reference)")
                : List.of(), KvmS390Matrix.restored(g).stream().map(Object::toString).toList(), what);
        g.shutdown();
        assertEquals(List.of(), w.checkAccounting(), what);
        assertEquals(List.of(), w.teardown(), what);
    }
}
