package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.FolioMapping;

/**
 * A KSM stable-tree node ({@code struct ksm_stable_node}): what a merged folio's
 * {@code folio->mapping} points at, with {@code PAGE_MAPPING_KSM} in the low bits, and the
 * {@code rmap_item}s of the places that map it. Each item records the anon_vma of the VMA the
 * page was merged in and the address, which is how {@code rmap_walk_ksm()} finds the mappings,
 * those of processes forked since included.
 */
public final class KsmStableNode implements FolioMapping {
    /** One {@code ksm_rmap_item} on the node's {@code hlist}. */
    record Item(AnonVma anonVma, long addr) {
    }

    private final List<Item> items = new ArrayList<>();

    @Override
    public int mappingFlags() {
        return PAGE_MAPPING_KSM;
    }

    @Override
    public boolean freed() {
        return false;
    }

    List<Item> items() {
        return items;
    }

    @Override
    public String toString() {
        return "ksm_stable_node";
    }
}
