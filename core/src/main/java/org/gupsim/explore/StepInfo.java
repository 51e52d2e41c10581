package org.gupsim.explore;

import java.util.Objects;
import org.gupsim.sched.Access;
import org.gupsim.sched.SchedLock;

/**
 * The next step a thread announced at a scheduling point, in the stable form the partial-order
 * reduction compares across steps and executions.
 *
 * <p>The reduction asks {@link #dependent} of most pairs of steps of an execution, so the
 * comparison is on ints: the key's number in the exploration's {@link KeyIds} stands for the key
 * (equal numbers, equal keys), and {@link #equals} compares the number rather than the string.
 * Steps of one exploration share one {@code KeyIds}; steps numbered by different ones must not be
 * compared.
 *
 * @param key      the object's stable key (see {@link org.gupsim.sched.SchedKeyed}); null for a wildcard
 * @param keyId    the key's number in the exploration's {@link KeyIds}; -1 for a wildcard
 * @param index    the entry index, or -1 for the whole object
 * @param access   what the step does
 * @param function the kernel function
 * @param wildcard true for a wait whose object is unknown: dependent on every step
 * @param ipiTarget for an {@link Access#IPI} or {@link Access#FLUSH} whose object's key is a
 *                  thread's name (a CPU names itself "CPU1" and so does its thread; a store
 *                  buffer's flush thread is "CPU1.sb"), that thread's index, else -1
 * @param hold      for an {@link Access#ACQUIRE} wait or an {@link Access#RELEASE} on a
 *                  {@link SchedLock}, the hold it waits for or gives back; else null
 */
record StepInfo(String key, int keyId, int index, Access access, String function, boolean wildcard, int ipiTarget,
                SchedLock.Hold hold) {

    /**
     * Whether {@code wait}, an acquire wait of another thread, cannot happen before
     * {@code release}: both on one {@link SchedLock}, which the releasing thread holds in a mode
     * the waiter cannot share until that release (see {@link SchedLock} for the contract). Such a
     * pair is dependent but not a race the reduction can reverse.
     */
    static boolean releaseGates(StepInfo release, StepInfo wait) {
        return release.access == Access.RELEASE && wait.access == Access.ACQUIRE && release.hold != null
                && wait.hold != null && release.keyId == wait.keyId && release.keyId >= 0
                && (release.hold == SchedLock.Hold.EXCLUSIVE || wait.hold == SchedLock.Hold.EXCLUSIVE);
    }

    /**
     * {@link #dependent(StepInfo, StepInfo)}, and also: an IPI to thread t is dependent on every
     * step of t, because where in t's program the handler runs depends on their order; a
     * {@link Access#FLUSH} wait for thread t likewise, because t's steps are what it waits for.
     */
    static boolean dependent(StepInfo a, int ta, StepInfo b, int tb) {
        return a.ipiTarget == tb || b.ipiTarget == ta || dependent(a, b);
    }

    /**
     * Whether the order of two steps of different threads can matter: they touch the same object
     * (same key; the same entry, or the whole object on either side) and at least one is not a
     * {@link Access#READ}. A {@link Access#FREE} conflicts with every entry of its object; a
     * wildcard with everything.
     */
    static boolean dependent(StepInfo a, StepInfo b) {
        if (a.wildcard || b.wildcard) {
            return true;
        }
        if (a.keyId != b.keyId || a.access == Access.READ && b.access == Access.READ) {
            return false;
        }
        return a.index == b.index || a.index < 0 || b.index < 0 || a.access == Access.FREE || b.access == Access.FREE;
    }

    /** The same step: the same key (by number), entry, access, function, target and hold. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StepInfo s && keyId == s.keyId && index == s.index && access == s.access
                && wildcard == s.wildcard && ipiTarget == s.ipiTarget && hold == s.hold
                && Objects.equals(function, s.function);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, index, access == null ? -1 : access.ordinal(), function, wildcard, ipiTarget,
                hold == null ? -1 : hold.ordinal());
    }
}
