package org.gupsim.sched;

import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;

/**
 * The scheduling-point seam of one simulated machine.
 *
 * <p>Direct mode leaves {@link #hook} null, so {@link #point} costs one field check and the
 * caller's thread runs the kernel code to completion. An explorer installs a hook and every
 * point becomes a place where it may switch CPUs. A violation the model detects goes to the
 * hook in explored mode and is thrown as a {@link KernelBugException} in direct mode.
 *
 * <p>Waiting: code that would spin (a contended spinlock, waiting for IPI acknowledgement,
 * {@code synchronize_rcu()}) calls {@link #waitUntil}; explored, the CPU is not runnable until
 * the condition holds, and if no CPU is runnable the explorer reports a deadlock. Direct mode
 * has nobody else to make the condition true, so a false condition is reported at once as a
 * {@link ViolationKind#DEADLOCK}.
 */
public final class Sched {

    private SchedHook hook;
    private IntConsumer switchListener;
    private IntConsumer pointListener;
    private UnaryOperator<SchedHook> layer;
    private int running = -1;
    /** Direct mode: the one Java thread that may run kernel code on this machine, or null for any. */
    private Thread driver;
    /** Why the machine may not be used any more (it was torn down), or null while it may. */
    private String closed;

    /**
     * Makes {@code thread} the one Java thread that drives this machine in direct mode; from now
     * on {@link #checkCaller} refuses every other. The model's state has no locks of its own (the
     * simulated CPUs' locks are model state, taken by CPU, not by Java thread), so two Java threads
     * calling into one machine corrupt it silently: refcounts go wrong and the checkers then
     * report kernel bugs that never happened.
     */
    public void setDriver(Thread thread) {
        this.driver = thread;
    }

    /** After this, {@link #checkCaller} refuses every call in direct mode with {@code why}. */
    public void close(String why) {
        this.closed = why;
    }

    /**
     * The guard at the entry of each public operation of the machine (a system call, a GUP call,
     * a VFS operation), once per call and never per page. In direct mode it refuses a call from
     * a Java thread other than the {@link #setDriver driver}, and any call once the machine is
     * {@link #close closed}; that is Java misuse, not something the kernel would answer, so it is
     * an exception and not a {@link Violation}. Explored, the explorer's own threads take turns
     * under its baton, one at a time, and nothing is checked.
     *
     * @throws IllegalStateException naming the driving thread and the caller, or why the machine is closed
     */
    public void checkCaller() {
        if (hook == null) {
            if (closed != null) {
                throw new IllegalStateException(closed);
            }
            Thread t = Thread.currentThread();
            if (driver != null && t != driver) {
                throw new IllegalStateException("this machine is driven by Java thread '" + driver.getName()
                        + "' and is not thread-safe; called from '" + t.getName() + "' (hand it over with "
                        + "World.driveFromCurrentThread() once the other thread is done with it)");
            }
        }
    }

    /**
     * Installs (or with {@code null} removes) the explorer's hook, behind the layer
     * {@link #interpose} named, if any.
     */
    public void attach(SchedHook newHook) {
        this.hook = newHook == null || layer == null ? newHook : layer.apply(newHook);
    }

    /**
     * Puts a layer between the kernel model and the hook {@link #attach} installs from now on: the
     * hook kernel code talks to is {@code layer.apply(explorersHook)}. A memory model with store
     * buffers is such a layer: it sees every access before the explorer does and turns some into
     * other steps. Set it up before the explorer attaches (in {@code ExploreTarget.setUp}); the
     * default is none, and direct mode never has a hook to wrap.
     *
     * @param newLayer the layer, or {@code null} for none
     */
    public void interpose(UnaryOperator<SchedHook> newLayer) {
        this.layer = newLayer;
    }

    /**
     * The index of the explorer thread holding the baton (the last one {@link #switched} named), or
     * -1 before the first switch and in direct mode.
     */
    public int running() {
        return running;
    }

    /**
     * The value a read of a {@link WeakCell} entry returns, given the value the object holds
     * ({@code held}); call it right after the entry's read point. Under sequential consistency,
     * and in direct mode, that is {@code held}; under a memory model with store buffers it is what
     * the running CPU can see: its own newest buffered store to the entry, else what memory holds
     * when other CPUs' stores to it are still in their buffers.
     */
    public long load(WeakCell cell, int index, long held) {
        SchedHook h = hook;
        return h == null ? held : h.load(cell, index, held);
    }

    /** True when an explorer drives this machine. */
    public boolean explored() {
        return hook != null;
    }

    /** A scheduling point; see {@link SchedHook#point}. */
    public void point(Object object, int index, Access access, String function) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, index, access, function);
        }
    }

    /** A scheduling point without an index. */
    public void point(Object object, Access access, String function) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, -1, access, function);
        }
    }

    /**
     * A scheduling point of an access that carries an ordering the kernel gives it
     * ({@code smp_load_acquire()}, {@code smp_store_release()}, a fully ordered or relaxed atomic):
     * see {@link SchedHook#point(Object, int, Access, Order, String)}. Under sequential consistency
     * the ordering changes nothing and this is {@link #point(Object, int, Access, String)}.
     */
    public void point(Object object, int index, Access access, Order order, String function) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, index, access, order, function);
        }
    }

    /**
     * A scheduling point of a marked access to memory a weaker model than sequential consistency
     * can delay: field {@code field} of {@code cell} (see {@link WeakCell}). The explorer sees the
     * point as {@code (object, index)}, as {@link #point(Object, int, Access, Order, String)} would
     * make it (so a folio's counts can stay one object to the explorer, as they always were); a
     * memory model with store buffers buffers or orders the access to {@code (cell, field)}. A
     * point on an object that is itself a {@link WeakCell}, at an index, needs no such naming: the
     * index is the field.
     */
    public void point(Object object, int index, Access access, Order order, String function, WeakCell cell,
            int field) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, index, access, order, function, cell, field);
        }
    }

    /**
     * A memory barrier the kernel executes here: {@code smp_mb()}, {@code smp_rmb()},
     * {@code smp_wmb()}, {@code smp_mb__before_atomic()}, {@code smp_mb__after_atomic()},
     * {@code smp_mb__after_spinlock()} (the {@link Primitive} of that name). Kernel code marks its
     * barriers with this so that a patch can take one away and a memory model weaker than
     * sequential consistency can give it meaning; under sequential consistency, and in direct
     * mode, a barrier orders nothing that is not already ordered and this does nothing (it is not
     * a scheduling point, so explorations and their traces are unchanged).
     *
     * @param barrier  one of the barrier primitives
     * @param function the kernel function executing it, e.g. {@code "try_grab_folio_fast"}
     * @throws IllegalArgumentException if {@code barrier} is not a barrier
     */
    public void fence(Primitive barrier, String function) {
        if (!isBarrier(barrier)) {
            throw new IllegalArgumentException("barrier must be a barrier primitive (MB, RMB, WMB, MB_BEFORE_ATOMIC, "
                    + "MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK), was " + barrier);
        }
        SchedHook h = hook;
        if (h != null) {
            h.fence(barrier, function);
        }
    }

    /** Whether {@code p} is one of the barrier primitives {@link #fence} takes. */
    public static boolean isBarrier(Primitive p) {
        return p != null && switch (p) {
            case MB, RMB, WMB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> true;
            default -> false;
        };
    }

    /**
     * Reports a kernel bug the model detected. In direct mode this throws; in explored mode the
     * explorer records it with the trace that led here and stops the execution (the call does
     * not return: the program is unwound with an internal {@link Error}, which model code must
     * not catch).
     */
    public void report(Violation violation) {
        SchedHook h = hook;
        if (h != null) {
            h.violation(violation);
        } else {
            throw new KernelBugException(violation);
        }
    }

    /**
     * Blocks the calling CPU until {@code condition} holds, as a scheduling point that touches
     * {@code object}: the explorer evaluates the condition at each decision (holding the baton)
     * and only lets this CPU run once it is true; the code after this call up to the next point
     * then runs in the same step, so "wait until free, then take" is atomic. The condition must
     * read only state of {@code object} (at {@code index}): the explorer's partial-order reduction
     * assumes only steps touching that object can change it. It reads the objects' fields plainly,
     * {@link WeakCell} entries included: under a memory model with store buffers the explorer
     * evaluates it with those entries as the waiting CPU would load them (memory, not a store
     * still in another CPU's buffer), so no condition needs {@link #load}.
     *
     * <p>Direct mode evaluates the condition once; if false nothing can ever make it true and a
     * {@link ViolationKind#DEADLOCK} is reported.
     *
     * @param object     the object the condition reads (a lock, a CPU, a flag), not null
     * @param index      the entry index inside it, or -1
     * @param access     what the step does once the wait is over, e.g. {@link Access#ACQUIRE}
     * @param function   the kernel function waiting, e.g. {@code "spin_lock"}
     * @param condition  when the CPU may proceed; must not have side effects
     * @param waitingFor what the CPU waits for, for deadlock reports and traces,
     *                   e.g. {@code "ptl held by CPU1"}
     */
    public void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
            String waitingFor) {
        SchedHook h = hook;
        if (h != null) {
            h.waitUntil(object, index, access, function, condition, waitingFor);
        } else if (!condition.getAsBoolean()) {
            report(new Violation(ViolationKind.DEADLOCK,
                    "no CPU can make progress: the running CPU waits for " + waitingFor));
        }
    }

    /**
     * Blocks the calling CPU until {@code condition} holds, when the object it depends on is not
     * known. Explored, the wait is a scheduling point dependent on every other step (no
     * reduction around it); prefer the form naming the object. Direct mode as above.
     */
    public void waitUntil(BooleanSupplier condition, String waitingFor) {
        SchedHook h = hook;
        if (h != null) {
            h.waitUntil(null, -1, Access.READ, "wait", condition, waitingFor);
        } else if (!condition.getAsBoolean()) {
            report(new Violation(ViolationKind.DEADLOCK,
                    "no CPU can make progress: the running CPU waits for " + waitingFor));
        }
    }

    /**
     * Registers the listener told which thread holds the baton: the explorer calls it with the
     * thread index (a CPU number, or the RCU thread's index) whenever a different thread is about
     * to run, on the thread handing over. Never called in direct mode. One listener per machine;
     * a new one replaces the old.
     */
    public void onSwitch(IntConsumer listener) {
        this.switchListener = listener;
    }

    /**
     * Registers the listener called, explored, at the start of every {@link #point} and
     * {@link #waitUntil} of the running thread (with its index), before the thread announces its
     * next access: the place where the SMP layer runs a CPU's pending IPIs if its IRQs are on.
     * Points the listener itself makes do not call it again. What it does is part of the step in
     * progress, so it must only touch state that steps declare; an IPI is declared by the
     * sender's {@link Access#IPI} point on the target CPU, whose key equals the target thread's
     * name, and the explorer treats such a step as dependent on every step of that thread. Never
     * called in direct mode. One listener per machine.
     */
    public void onPoint(IntConsumer listener) {
        this.pointListener = listener;
    }

    /**
     * Runs the before-point listener, if any, for {@code thread}. For the hook's implementation:
     * an explorer calls it at the start of every point and wait it is handed.
     */
    public void pointReached(int thread) {
        IntConsumer l = pointListener;
        if (l != null) {
            l.accept(thread);
        }
    }

    /**
     * Tells the switch listener, if any, that {@code thread} is about to run. For the hook's
     * implementation: an explorer calls it whenever it hands the baton to another thread.
     */
    public void switched(int thread) {
        running = thread;
        IntConsumer l = switchListener;
        if (l != null) {
            l.accept(thread);
        }
    }
}
