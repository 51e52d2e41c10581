package org.gupsim.sched;

/**
 * A lock that tells the explorer which of its waits its holder's release gates, so that the
 * partial-order reduction does not try to reverse a release and an acquire that cannot be
 * reversed.
 *
 * <p>A thread that reaches a contended lock waits ({@link Sched#waitUntil} with
 * {@link Access#ACQUIRE} on the lock) until the holder releases it ({@link Access#RELEASE} on the
 * same lock). The two steps are dependent, so the reduction sees a race between the release and
 * the acquire that follows it, and would try to run the acquire before the release. Where the
 * lock was held in a mode the waiter cannot share, no execution does that: the wait cannot end
 * while the holder still holds the lock, and the holder gives it up only with that release. The
 * attempt ends with every other thread either waiting or asleep (an execution abandoned as
 * redundant), after re-running the whole prefix. A lock implementing this interface states the
 * mode of each of its waits and releases, and the explorer skips those races; a lock that does
 * not keeps the general treatment, which is always sound.
 *
 * <p>The contract: while a thread holds the lock {@link Hold#EXCLUSIVE}, no other thread's
 * {@code ACQUIRE} wait on it can end; while a thread holds it {@link Hold#SHARED}, no other
 * thread's {@code ACQUIRE} wait for {@link Hold#EXCLUSIVE} can end. Every wait on the lock waits
 * for that condition (its condition reads the lock only). Kernel locks do: a spinlock is
 * exclusive; an rwsem ({@code mmap_lock}) is shared by readers, exclusive for a writer.
 */
public interface SchedLock {

    /** How a lock is held, or is waited for. */
    enum Hold {
        /** Together with other holders of the same mode (rwsem readers). */
        SHARED,
        /** Alone (a spinlock, an rwsem writer). */
        EXCLUSIVE
    }

    /**
     * For a step on this lock about to happen, seen from the lock's state now: for an
     * {@link Access#ACQUIRE} wait, the hold it waits for; for an {@link Access#RELEASE}, the hold
     * the releasing thread gives back. Null where the step is neither (the explorer asks only
     * about waits and releases). Must not change the lock.
     *
     * @param access   the step's access
     * @param function the kernel function announced with the step
     */
    Hold hold(Access access, String function);
}
