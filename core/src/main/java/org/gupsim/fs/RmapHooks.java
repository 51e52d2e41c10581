package org.gupsim.fs;

import org.gupsim.mm.Folio;

/**
 * The parts of mm/memory.c and mm/rmap.c that truncate and writeback call back into: they live in
 * the vm package, above this one, and are plugged in when the machine is assembled.
 */
public interface RmapHooks {

    /**
     * Mirrors {@code unmap_mapping_range()}: zaps every mapping of file pages
     * {@code [firstIndex, firstIndex + nrPages)} (nrPages 0 = to the end); with {@code evenCows}
     * also the private CoW copies.
     */
    void unmapMappingRange(AddressSpace mapping, long firstIndex, long nrPages, boolean evenCows);

    /**
     * Mirrors {@code folio_mkclean()}: write-protects and cleans every PTE mapping {@code folio}, so
     * the next write faults and goes through {@code page_mkwrite}. Returns whether any was dirty.
     */
    boolean folioMkclean(Folio folio);
}
