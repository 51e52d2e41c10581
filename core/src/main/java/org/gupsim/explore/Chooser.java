package org.gupsim.explore;

/** Picks the thread that runs the next step; one per strategy. */
interface Chooser {

    /**
     * Called at every decision with the runnable threads as a bit set (bit t for thread t). Also
     * called when none is runnable but some are unfinished (a deadlock), so that a search can
     * look at the blocked threads' next steps; the return value is then ignored.
     *
     * @return a thread in {@code enabled}, or -1 to abandon the execution (pruned)
     */
    int choose(Runner run, long enabled);

    /** The non-preemptive choice: the thread that ran the last step if it can go on, else the lowest. */
    static int stay(int previous, long candidates) {
        if (previous >= 0 && (candidates & (1L << previous)) != 0) {
            return previous;
        }
        return Long.numberOfTrailingZeros(candidates);
    }
}
