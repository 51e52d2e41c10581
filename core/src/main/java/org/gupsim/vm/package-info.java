/**
 * Address spaces: {@code mm_struct}, VMAs, mmap/munmap/mprotect/madvise, page faults,
 * zapping and page-table freeing, and the reverse map. Mirrors mm/mmap.c, mm/vma.c, mm/memory.c,
 * mm/mprotect.c, mm/rmap.c, mm/huge_memory.c, mm/hugetlb.c (faults), mm/migrate.c.
 */
package org.gupsim.vm;
