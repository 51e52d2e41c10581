package org.gupsim.fs;

import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A mounted filesystem (a {@code super_block}).
 *
 * @param type           which filesystem
 * @param dax            mounted with {@code -o dax}: file pages are device memory (fsdax)
 * @param hugePageShift  for hugetlbfs, log2 of its huge page size; 0 otherwise
 */
public record Filesystem(FsType type, boolean dax, int hugePageShift) {
    public Filesystem {
        Args.notNull(type, "type");
        Validate.isTrue(!dax || type == FsType.EXT4 || type == FsType.XFS, "dax is only for ext4 and xfs");
        Validate.isTrue(type == FsType.HUGETLBFS ? hugePageShift > 12 : hugePageShift == 0,
                "hugePageShift is set exactly for hugetlbfs, was %d for %s", hugePageShift, type);
    }

    @Override
    public String toString() {
        return type.kernelName() + (dax ? "(dax)" : "")
                + (hugePageShift != 0 ? "(pagesize=" + (1L << (hugePageShift - 20)) + "M)" : "");
    }
}
