package org.gupsim.sched;

import java.util.function.BooleanSupplier;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;

/**
 * What an explorer implements to take control at scheduling points. Absent in direct mode.
 * The explorer (class {@code Explorer}, in a package above this one) installs its
 * own implementation with {@link Sched#attach}; the kernel model only talks to {@link Sched}.
 *
 * <p>This interface is the whole contract between the kernel model and whoever drives it. A
 * layer that wants to see every access before the explorer does (a memory model with store
 * buffers, a recorder) implements it and delegates to the explorer's hook.
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

    /**
     * A scheduling point of an access with the ordering the kernel gives it. An explorer under
     * sequential consistency ignores the ordering, which is what this default does; one under a
     * weaker memory model judges the access with it.
     */
    default void point(Object object, int index, Access access, Order order, String function) {
        point(object, index, access, function);
    }

    /**
     * A scheduling point of a marked access to field {@code field} of {@code cell}
     * ({@link Sched#point(Object, int, Access, Order, String, WeakCell, int)}). An explorer under
     * sequential consistency sees only the point, which is what this default gives it.
     */
    default void point(Object object, int index, Access access, Order order, String function, WeakCell cell,
            int field) {
        point(object, index, access, order, function);
    }

    /**
     * A memory barrier ({@link Sched#fence}). Under sequential consistency it orders nothing that is
     * not ordered already: the default does nothing, and is no scheduling point.
     */
    default void fence(Primitive barrier, String function) {
    }

    /**
     * What a read of a {@link WeakCell} entry returns ({@link Sched#load}): under sequential
     * consistency the value the object holds, which is what this default returns.
     */
    default long load(WeakCell cell, int index, long held) {
        return held;
    }

    /**
     * Records a violation; the explorer decides whether to stop. gupsim's explorer stops the
     * execution: this method does not return normally there.
     */
    void violation(Violation violation);

    /**
     * A scheduling point that is only runnable while {@code condition} holds: the calling CPU
     * blocks until it does. See {@link Sched#waitUntil(Object, int, Access, String, BooleanSupplier, String)}.
     * A hook that keeps {@link WeakCell} fields at a value other CPUs cannot see yet (store buffers)
     * evaluates the condition with those fields as the waiting CPU would load them.
     *
     * @param object the object whose state the condition reads, or {@code null} when unknown
     *               (then the wait is treated as touching everything)
     */
    void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
            String waitingFor);
}
