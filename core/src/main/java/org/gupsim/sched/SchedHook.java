package org.gupsim.sched;

/**
 * What an explorer implements to take control at scheduling points. Absent in direct mode.
 */
public interface SchedHook {

    /**
     * Called before the access happens; the explorer may hand the baton to another CPU here.
     *
     * @param object the object touched (a folio, a page table, a lock, ...)
     * @param index  the entry index inside it, or -1
     * @param access what is done to it
     * @param function the kernel function doing it, e.g. {@code "gup_fast_pte_range"}
     */
    void point(Object object, int index, Access access, String function);

    /** Records a violation; the explorer decides whether to stop. */
    void violation(Violation violation);
}
