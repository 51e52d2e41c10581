package org.gupsim.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.gupsim.fs.FsType;

/** What {@code gupsim pin --backing} puts behind the mapping. */
enum Backing {
    /** {@code mmap(MAP_ANONYMOUS)}; with MAP_SHARED that is a shmem file underneath. */
    ANON("anon", null),
    /** {@code memfd_create()} + {@code ftruncate()}: an unlinked shmem file. */
    MEMFD("memfd", FsType.SHMEM),
    /** A file on a tmpfs mount. */
    TMPFS("tmpfs", FsType.SHMEM),
    /** A file on a hugetlbfs mount of the chosen huge page size. */
    HUGETLB("hugetlb", FsType.HUGETLBFS),
    /** {@code memfd_create(MFD_HUGETLB)} + {@code ftruncate()}. */
    MEMFD_HUGETLB("memfd-hugetlb", FsType.HUGETLBFS),
    /** A file on ext4. */
    EXT4("ext4", FsType.EXT4),
    /** A file on xfs. */
    XFS("xfs", FsType.XFS),
    /** A file on btrfs. */
    BTRFS("btrfs", FsType.BTRFS),
    /** {@code memfd_secret()} + {@code ftruncate()}. */
    SECRETMEM("secretmem", FsType.SECRETMEM);

    private final String label;
    private final FsType fsType;

    Backing(String label, FsType fsType) {
        this.label = label;
        this.fsType = fsType;
    }

    String label() {
        return label;
    }

    /** The filesystem of the file behind it, or null for private anonymous memory. */
    FsType fsType() {
        return fsType;
    }

    /** Whether it is a named file ({@link PinRunner#FILE_NAME}) that must be unlinked, not a memfd or anonymous memory. */
    boolean linked() {
        return this == TMPFS || this == HUGETLB || this == EXT4 || this == XFS || this == BTRFS;
    }

    boolean hugetlb() {
        return fsType == FsType.HUGETLBFS;
    }

    /**
     * The page sizes this backing can have: hugetlb ones their huge page sizes (2M, 1G); private
     * anonymous memory 4K and 2M (a THP, after MADV_HUGEPAGE); everything else 4K. Shared
     * anonymous memory is shmem, whose THPs the model does not have.
     */
    List<PageSize> pageSizes(boolean shared) {
        if (hugetlb()) {
            return List.of(PageSize.SIZE_2M, PageSize.SIZE_1G);
        }
        if (this == ANON && !shared) {
            return List.of(PageSize.SIZE_4K, PageSize.SIZE_2M);
        }
        return List.of(PageSize.SIZE_4K);
    }

    /** The page size used without {@code --page-size}: 2M (the default huge page size) for hugetlb, else 4K. */
    PageSize defaultPageSize() {
        return hugetlb() ? PageSize.SIZE_2M : PageSize.SIZE_4K;
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(Backing::label).toList();
    }

    /** The backing named {@code label}, or null. */
    static Backing byLabel(String label) {
        for (Backing b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        return null;
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return labels().iterator();
        }
    }
}
