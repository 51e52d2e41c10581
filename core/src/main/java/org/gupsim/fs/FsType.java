package org.gupsim.fs;

/**
 * The filesystems the model has, with the properties GUP's rules look at.
 */
public enum FsType {
    /** tmpfs, memfd and MAP_SHARED|MAP_ANONYMOUS: {@code shmem_aops}, no writeback, no page_mkwrite. */
    SHMEM,
    /** hugetlbfs and memfd with MFD_HUGETLB: huge folios, no dirty tracking. */
    HUGETLBFS,
    /** ext4: {@code ext4_page_mkwrite}, writeback through the block layer. */
    EXT4,
    /** xfs: {@code xfs_filemap_page_mkwrite}, writeback. */
    XFS,
    /** btrfs: {@code btrfs_page_mkwrite}, writeback. */
    BTRFS,
    /** memfd_secret(): pages removed from the direct map; GUP must refuse them. */
    SECRETMEM;

    /** The name the kernel registers: the constant's name in lower case, but {@code tmpfs} for shmem. */
    public String kernelName() {
        return switch (this) {
            case SHMEM -> "tmpfs";
            case HUGETLBFS -> "hugetlbfs";
            case EXT4 -> "ext4";
            case XFS -> "xfs";
            case BTRFS -> "btrfs";
            case SECRETMEM -> "secretmem";
        };
    }

    /**
     * The block filesystems: the model's filesystems have {@code page_mkwrite} and write back
     * exactly when a block device backs them; the memory ones have neither.
     */
    private boolean blockBacked() {
        return switch (this) {
            case EXT4, XFS, BTRFS -> true;
            case SHMEM, HUGETLBFS, SECRETMEM -> false;
        };
    }

    /** Whether its {@code vm_operations_struct} has {@code page_mkwrite}. */
    public boolean hasPageMkwrite() {
        return blockBacked();
    }

    /** Mirrors {@code mapping_can_writeback()}: its backing device does writeback. */
    public boolean canWriteback() {
        return blockBacked();
    }

    /** Whether it tracks dirtiness: a shared writable mapping needs write-notify. */
    public boolean dirtyTracked() {
        return hasPageMkwrite() || canWriteback();
    }
}
