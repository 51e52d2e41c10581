/**
 * Files: filesystems (shmem/tmpfs and memfd, hugetlbfs, ext4, xfs, btrfs, secretmem), inodes,
 * address spaces and their page cache, ftruncate, writeback and inode eviction. Mirrors
 * mm/filemap.c, mm/truncate.c, mm/shmem.c, mm/secretmem.c, fs/hugetlbfs, fs/inode.c.
 *
 * <p>What matters to GUP: which filesystems track dirtiness ({@code page_mkwrite} plus
 * writeback), because writeback cleans a folio and write-protects its mappings, after which a
 * write through a long-term pin dirties it behind the filesystem's back.
 */
package org.gupsim.fs;
