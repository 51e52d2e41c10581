package org.gupsim.mm;

/**
 * What {@code folio->mapping} can point at: an {@code address_space} (page cache) or an
 * {@code anon_vma} (anonymous memory). The kernel tells them apart by the low bits of the pointer;
 * {@link #mappingFlags()} plays that role here.
 */
public interface FolioMapping {
    /** {@code PAGE_MAPPING_ANON}: the mapping is an anon_vma. */
    int PAGE_MAPPING_ANON = 0x1;
    /** {@code PAGE_MAPPING_MOVABLE}: a non-LRU movable page's ops. */
    int PAGE_MAPPING_MOVABLE = 0x2;
    /** {@code PAGE_MAPPING_KSM}: both bits. */
    int PAGE_MAPPING_KSM = PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE;
    /** The low flag bits a page-cache mapping never has. */
    int PAGE_MAPPING_FLAGS = PAGE_MAPPING_KSM;

    /** The low bits of {@code folio->mapping}: 0 for an address_space. */
    int mappingFlags();

    /** Whether the object was freed (an evicted inode's address space, a freed anon_vma). */
    boolean freed();
}
