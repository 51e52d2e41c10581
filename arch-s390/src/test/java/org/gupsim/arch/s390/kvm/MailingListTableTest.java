package org.gupsim.arch.s390.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.gup.KernelVersion;
import org.junit.jupiter.api.Test;

/**
 * Spec §7's table of what was reported on the mailing list (QEMU + vfio-pci on s390, guest RAM a
 * file on ext4), reproduced by running the model: v7 posting, private file: VFIO's slow-path pin
 * fails, AIF's fast pin succeeds; merged (6.5, and latest): private file both pinned, shared file
 * both fail. Kernel 6.4, before the rule, pins everything.
 */
class MailingListTableTest {

    /**
     * One table row: the kernel's label, the backend, share, and the two results as the table
     * writes them. Disable and unmap restore the world, but for the gisc reference a failed enable
     * keeps on the kernels without 7b69729046a4 (merged for 7.2).
     */
    static String row(KernelVersion k, String share) {
        GuestMemorySpec spec = GuestMemorySpec.parse("memory-backend-file", share, "ext4", "default");
        KvmS390Matrix.Row r = KvmS390Matrix.runOne(k, spec, 8L << 20);
        boolean giscLeaks = !r.aif().ok() && !List.of("7.2", "latest").contains(k.label());
        assertEquals(giscLeaks ? List.of("LEAK: guest ISC 2 still registered with kvm0 gisa after disable (1 reference)")
                : List.of(), r.problems().stream().map(Object::toString).toList(), k.label());
        return k.label() + " | memory-backend-file, share=" + r.share() + " | " + (r.vfio().ok() ? "pinned" : "fails")
                + " | " + (r.aif().ok() ? "pinned" : "fails");
    }

    @Test
    void theTableComesOutOfTheModel() {
        List<String> rows = new ArrayList<>();
        rows.add(row(KernelVersion.V7_PATCH, "off"));
        for (KernelVersion k : List.of(KernelVersion.V6_5, KernelVersion.LATEST)) {
            rows.add(row(k, "off"));
            rows.add(row(k, "on"));
        }
        assertEquals(List.of(
                "v7-patch | memory-backend-file, share=off | fails | pinned",
                "6.5 | memory-backend-file, share=off | pinned | pinned",
                "6.5 | memory-backend-file, share=on | fails | fails",
                "latest | memory-backend-file, share=off | pinned | pinned",
                "latest | memory-backend-file, share=on | fails | fails"), rows);
    }

    @Test
    void theDefaultShareOfEachBackendIsWhatTheSpecSays() {
        assertEquals(false, GuestMemorySpec.parse("memory-backend-file", "default", "ext4", "default").share());
        assertEquals(true, GuestMemorySpec.parse("memory-backend-memfd", "default", "default", "default").share());
        assertEquals(false, GuestMemorySpec.parse("memory-backend-ram", "default", "default", "default").share());
        assertEquals(false, GuestMemorySpec.parse(GuestMemorySpec.LIBVIRT_FILE, "default", "ext4", "default").share());
        assertEquals(true, GuestMemorySpec.parse(GuestMemorySpec.LIBVIRT_FILE_SHARED, "default", "ext4", "default").share());
    }

    /** memfd's default (share=on, shmem) pins on latest: the setup QEMU's defaults steer users to works. */
    @Test
    void theMemfdDefaultPinsOnLatest() {
        KvmS390Matrix.Row r = KvmS390Matrix.runOne(KernelVersion.LATEST,
                GuestMemorySpec.parse("memory-backend-memfd", "default", "default", "default"), 8L << 20);
        assertTrue(r.aif().ok() && r.vfio().ok(), r.toString());
    }

    @Test
    void kernel64PinsEverySetup() {
        for (KvmS390Matrix.Row r : KvmS390Matrix.run(KernelVersion.V6_4)) {
            assertTrue(r.aif().ok(), r.spec() + ": " + r.aif());
            assertTrue(r.vfio().ok(), r.spec() + ": " + r.vfio());
            assertEquals(List.of(), r.problems(), r.spec().toString());
        }
    }

    /** On every merged kernel exactly the shared ext4/xfs/btrfs rows fail, for both callers. */
    @Test
    void onMergedKernelsExactlySharedDirtyTrackedFilesFail() {
        for (KernelVersion k : List.of(KernelVersion.V6_5, KernelVersion.V6_10, KernelVersion.V6_15, KernelVersion.V7_2,
                KernelVersion.LATEST)) {
            List<String> failing = new ArrayList<>();
            for (KvmS390Matrix.Row r : KvmS390Matrix.run(k)) {
                assertEquals(r.aif().ok(), r.vfio().ok(), k + " " + r.spec());
                if (!r.aif().ok()) {
                    failing.add(r.spec().toString());
                }
            }
            assertEquals(List.of("memory-backend-file,mem-path=<ext4>,share=on", "memory-backend-file,mem-path=<xfs>,share=on",
                    "memory-backend-file,mem-path=<btrfs>,share=on"), failing, k.label());
        }
    }

    /**
     * The seed's question, asked of the v6 posting itself: AIF on a shared ext4 file still pins,
     * because GUP-fast refuses the folio and falls back to a slow path whose helper was posted
     * inverted (it let dirty-tracked files through); the same inversion refuses VFIO's slow-path pin
     * of shmem (memfd) guest RAM. Both are posting bugs, fixed before the merge (see the 6.5 rows).
     */
    @Test
    void theV6PostingStillPinsSharedExt4ButRefusesVfioOnShmem() {
        KvmS390Matrix.Row ext4 = KvmS390Matrix.runOne(KernelVersion.V6_PATCH,
                GuestMemorySpec.parse("memory-backend-file", "on", "ext4", "default"), 8L << 20);
        assertTrue(ext4.aif().ok() && ext4.vfio().ok(), ext4.toString());
        KvmS390Matrix.Row memfd = KvmS390Matrix.runOne(KernelVersion.V6_PATCH,
                GuestMemorySpec.parse("memory-backend-memfd", "default", "default", "default"), 8L << 20);
        assertTrue(memfd.aif().ok(), "GUP-fast pins shmem itself: " + memfd);
        assertFalse(memfd.vfio().ok(), "the inverted slow-path helper refuses shmem: " + memfd);
        assertEquals(List.of(), ext4.problems());
        assertEquals(List.of(), memfd.problems());
    }
}
