/**
 * Physical memory: frames in zones NORMAL and MOVABLE with a CMA area, the {@code mem_map} of
 * pages, folios with their refcounts, map counts and pin counts, and the shared zero page.
 * Mirrors include/linux/mm_types.h, include/linux/mm.h (folio helpers), mm/page_alloc.c, mm/swap.c.
 */
package org.gupsim.mm;
