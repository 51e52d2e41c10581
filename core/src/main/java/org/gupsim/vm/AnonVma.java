package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.FolioMapping;
import org.gupsim.sched.Sched;
import org.gupsim.smp.RwSemaphore;

/** An {@code anon_vma}: what anonymous folios point at, and through it the VMAs that may map them. */
public final class AnonVma implements FolioMapping {
    private final List<Vma> vmas = new ArrayList<>();
    private final RwSemaphore rwsem;
    private boolean freed;

    AnonVma(Sched sched) {
        this.rwsem = new RwSemaphore("anon_vma->rwsem", sched);
    }

    /**
     * {@code anon_vma->root->rwsem}: rmap walkers of anonymous folios take it for read,
     * {@code anon_vma_lock_write()} (khugepaged's collapse) for write.
     */
    public RwSemaphore rwsem() {
        return rwsem;
    }

    @Override
    public int mappingFlags() {
        return PAGE_MAPPING_ANON;
    }

    @Override
    public boolean freed() {
        return freed;
    }

    void markFreed() {
        freed = true;
    }

    /** VMAs linked to this anon_vma, in link order. */
    public List<Vma> vmas() {
        return vmas;
    }

    @Override
    public String toString() {
        return "anon_vma";
    }
}
