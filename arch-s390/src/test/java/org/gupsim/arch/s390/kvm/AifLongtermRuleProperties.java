package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.callers.PinOutcome;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;

/**
 * Over every guest-memory setup × kernel: AIF enable succeeds exactly when the long-term rule of
 * spec §4 lets both of its pins through, VFIO's pin follows the slow path's rule, and disable
 * restores the world (no pin, no accounted page, no AIFT entry). The oracle is written from the spec, not from the model's rule code.
 */
class AifLongtermRuleProperties {

    /** What is behind the VMA, for the rule. */
    enum Kind { ANON_PRIVATE, SHMEM, HUGETLB, DIRTY_TRACKED_FILE }

    static Kind kind(GuestMemorySpec s) {
        return switch (s.backend()) {
            case RAM -> s.share() ? Kind.SHMEM : Kind.ANON_PRIVATE;
            case MEMFD -> s.hugetlb() ? Kind.HUGETLB : Kind.SHMEM;
            case FILE -> switch (s.fs()) {
                case TMPFS -> Kind.SHMEM;
                case HUGETLBFS -> Kind.HUGETLB;
                case EXT4, XFS, BTRFS -> Kind.DIRTY_TRACKED_FILE;
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
    static boolean aifPinAllowed(KernelVersion k, GuestMemorySpec s) {
        if (!s.share() || kind(s) != Kind.DIRTY_TRACKED_FILE) {
            return true;
        }
        return k == KernelVersion.V6_4 || k == KernelVersion.V6_PATCH;
    }

    /**
     * {@code pin_user_pages_remote(FOLL_WRITE | FOLL_LONGTERM)}, slow path only: an anonymous
     * private VMA always passes; other VMAs: 6.4 no rule; v6 refuses those not needing dirty tracking
     * (shmem, hugetlbfs, private or shared); v7 refuses dirty-tracked files, private ones too; merged
     * refuses shared dirty-tracked files only.
     */
    static boolean vfioPinAllowed(KernelVersion k, GuestMemorySpec s) {
        Kind kind = kind(s);
        if (kind == Kind.ANON_PRIVATE) {
            return true;
        }
        boolean dirtyTracked = kind == Kind.DIRTY_TRACKED_FILE;
        return switch (k) {
            case V6_4 -> true;
            case V6_PATCH -> dirtyTracked;
            case V7_PATCH -> !dirtyTracked;
            case V6_5, V6_10, V6_15, LATEST -> !(dirtyTracked && s.share());
        };
    }

    @Provide
    Arbitrary<GuestMemorySpec> setups() {
        return Arbitraries.of(KvmS390Matrix.setups());
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void aifEnableSucceedsExactlyWhenTheRuleAllowsBothPins(@ForAll("setups") GuestMemorySpec spec,
                                                          @ForAll KernelVersion kernel,
                                                          @ForAll boolean summaryBit) {
        ArchVariant arch = ArchRegistry.load().parse("s390", kernel);
        World w = World.boot(arch, kernel, MemConfig.ofBytes(arch.pageShift(), 32L << 20), 1);
        S390Guest g = S390Guest.boot(w, spec, Task.DEFAULT_RLIMIT_MEMLOCK);
        PinOutcome vfio = g.vfioMapDma();
        AifResult aif = g.regAen(summaryBit, true);
        String what = kernel + " " + spec + " summary-bit=" + summaryBit + ": aif " + aif + ", vfio " + vfio;

        boolean allowed = aifPinAllowed(kernel, spec);
        assertEquals(allowed, aif.ok(), what);
        int pins = summaryBit ? 2 : 1;
        if (allowed) {
            assertEquals(pins, g.qemu().userLockedVm(), what);
            assertEquals(pins, g.qemu().mm().pinnedVm(), what);
            assertEquals(1, g.pci().aift().bitsInUse(), what);
            assertTrue(g.dev().kzdev().fibAibv() != 0, what);
        } else {
            assertEquals(Errno.EIO, aif.errno(), what);
            assertEquals(AifStep.AIBV_PIN, aif.failed(), what);
            assertEquals(Errno.EFAULT, aif.gup().errno(), "GUP's own answer, which the kernel drops: " + what);
            assertEquals(0, g.qemu().userLockedVm(), what);
            assertEquals(0, g.pci().aift().bitsInUse(), what);
        }
        assertEquals(vfioPinAllowed(kernel, spec), vfio.ok(), what);

        AifResult off = g.deregAen();
        assertTrue(off.ok(), what + "; disable " + off);
        g.vfioUnmapDma();
        assertEquals(List.of(), KvmS390Matrix.restored(g), what);
        // Every kernel runs the pre-2026 pci.c, whose failure paths keep the gisc reference taken first.
        assertEquals(AifCode.BEFORE_2026_FIXES, g.pci().code());
        assertEquals(allowed ? 0 : 1, g.kvm().gisa().refCount(S390Guest.GUEST_ISC), what);
        g.shutdown();
        assertEquals(List.of(), w.checkAccounting(), what);
        assertEquals(List.of(), w.teardown(), what);
    }
}
