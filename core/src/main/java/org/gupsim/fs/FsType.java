package org.gupsim.fs;

/**
 * The filesystems the model has, with the properties GUP's rules look at.
 */
public enum FsType {
    /** tmpfs, memfd and MAP_SHARED|MAP_ANONYMOUS: {@code shmem_aops}, no writeback, no page_mkwrite. */
    SHMEM("tmpfs", false, false),
    /** hugetlbfs and memfd with MFD_HUGETLB: huge folios, no dirty tracking. */
    HUGETLBFS("hugetlbfs", false, false),
    /** ext4: {@code ext4_page_mkwrite}, writeback through the block layer. */
    EXT4("ext4", true, true),
    /** xfs: {@code xfs_filemap_page_mkwrite}, writeback. */
    XFS("xfs", true, true),
    /** btrfs: {@code btrfs_page_mkwrite}, writeback. */
    BTRFS("btrfs", true, true),
    /** memfd_secret(): pages removed from the direct map; GUP must refuse them. */
    SECRETMEM("secretmem", false, false);

    private final String kernelName;
    private final boolean pageMkwrite;
    private final boolean writeback;

    FsType(String kernelName, boolean pageMkwrite, boolean writeback) {
        this.kernelName = kernelName;
        this.pageMkwrite = pageMkwrite;
        this.writeback = writeback;
    }

    public String kernelName() {
        return kernelName;
    }

    /** Whether its {@code vm_operations_struct} has {@code page_mkwrite}. */
    public boolean hasPageMkwrite() {
        return pageMkwrite;
    }

    /** Mirrors {@code mapping_can_writeback()}: its backing device does writeback. */
    public boolean canWriteback() {
        return writeback;
    }

    /** Whether it tracks dirtiness: a shared writable mapping needs write-notify. */
    public boolean dirtyTracked() {
        return pageMkwrite || writeback;
    }
}
