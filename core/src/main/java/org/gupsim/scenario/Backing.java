package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Errno;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.vm.VmArch;

/**
 * What can stand behind a user mapping, as the kernel's gup_longterm selftest and QEMU users set
 * it up: anonymous memory, memfd, a tmpfs, hugetlbfs or ext4/xfs/btrfs file, or memfd_secret().
 */
public enum Backing {
    /** {@code mmap(MAP_ANONYMOUS)}; with MAP_SHARED that is a shmem file underneath. */
    ANON(null),
    /** {@code memfd_create()} + {@code ftruncate()}: an unlinked shmem file. */
    MEMFD(FsType.SHMEM),
    /** A file on a tmpfs mount. */
    TMPFS(FsType.SHMEM),
    /** A file on a hugetlbfs mount of the chosen huge page size. */
    HUGETLB(FsType.HUGETLBFS),
    /** {@code memfd_create(MFD_HUGETLB)} + {@code ftruncate()}. */
    MEMFD_HUGETLB(FsType.HUGETLBFS),
    /** A file on ext4. */
    EXT4(FsType.EXT4),
    /** A file on xfs. */
    XFS(FsType.XFS),
    /** A file on btrfs. */
    BTRFS(FsType.BTRFS),
    /** {@code memfd_secret()} + {@code ftruncate()}. */
    SECRETMEM(FsType.SECRETMEM);

    private final FsType fsType;

    Backing(FsType fsType) {
        this.fsType = fsType;
    }

    /** The name users type: the constant's name in lower case with dashes, e.g. {@code memfd-hugetlb}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The filesystem of the file behind it, or null for anonymous memory. */
    public FsType fsType() {
        return fsType;
    }

    /** Whether it is a file linked under a name (to unlink at the end), not a memfd or anonymous memory. */
    public boolean linked() {
        return this == TMPFS || this == HUGETLB || this == EXT4 || this == XFS || this == BTRFS;
    }

    public boolean hugetlb() {
        return fsType == FsType.HUGETLBFS;
    }

    /**
     * The page sizes (log2 bytes) this backing can have on {@code arch}: hugetlb ones the
     * architecture's huge page sizes (x86-64: 21 and 30); private anonymous memory the base page
     * and, where a PMD leaf is allowed, the PMD size (a THP, after MADV_HUGEPAGE); everything else
     * the base page. Shared anonymous memory is shmem, whose THPs the model does not have.
     */
    public List<Integer> pageShifts(boolean shared, VmArch arch) {
        Validate.isTrue(arch != null, "arch must not be null");
        if (hugetlb()) {
            List<Integer> out = new ArrayList<>();
            for (long size : arch.hugePageSizes()) {
                out.add(Long.numberOfTrailingZeros(size));
            }
            return List.copyOf(out);
        }
        Geometry g = arch.newMmGeometry();
        if (this == ANON && !shared && g.leafAllowed(Level.PMD) && !g.folded(Level.PMD)) {
            return List.of(arch.pageShift(), g.shift(Level.PMD));
        }
        return List.of(arch.pageShift());
    }

    /** The default huge page size (the architecture's first, {@code HPAGE_SHIFT}) for hugetlb, else the base page. */
    public int defaultPageShift(VmArch arch) {
        Validate.isTrue(arch != null, "arch must not be null");
        return hugetlb() ? Long.numberOfTrailingZeros(arch.hugePageSizes()[0]) : arch.pageShift();
    }

    /**
     * Creates the file behind the mapping, {@code len} bytes long, or returns null for anonymous
     * memory. Linked files get {@code name}.
     *
     * @param pageShift the huge page size for hugetlb backings
     */
    public OpenFile createFile(Vfs vfs, String name, long len, int pageShift) {
        return switch (this) {
            case ANON -> null;
            case MEMFD -> sized(vfs, vfs.memfdCreate(name, 0, 0), len);
            case MEMFD_HUGETLB -> sized(vfs, vfs.memfdCreate(name, Vfs.MFD_HUGETLB, pageShift), len);
            case SECRETMEM -> sized(vfs, vfs.memfdSecret(), len);
            case HUGETLB -> vfs.create(new Filesystem(FsType.HUGETLBFS, false, pageShift), name, len);
            case TMPFS, EXT4, XFS, BTRFS -> vfs.create(vfs.mount(fsType), name, len);
        };
    }

    private static OpenFile sized(Vfs vfs, OpenFile f, long len) {
        Errno e = vfs.ftruncate(f, len);
        if (e != null) {
            throw new IllegalArgumentException("len " + len + " is not a size " + f + " accepts: " + e);
        }
        return f;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Backing::label).toList();
    }

    /** The backing named {@code label}, or null. */
    public static Backing byLabel(String label) {
        for (Backing b : values()) {
            if (b.label().equals(label)) {
                return b;
            }
        }
        return null;
    }
}
