package org.gupsim.explore;

/**
 * Replays one schedule string. Past its end the execution goes on non-preemptively (the thread
 * that ran the last step while it can, else the lowest runnable one), so a prefix such as
 * {@code "1"} is a valid schedule too.
 */
final class ReplaySearch extends SampledSearch {
    private final int[] forced;

    /** One execution only. */
    ReplaySearch(String schedule) {
        super(1);
        this.forced = Schedule.parse(schedule);
    }

    int length() {
        return forced.length;
    }

    @Override
    public int choose(Runner run, long enabled) {
        if (enabled == 0) {
            return -1;
        }
        int d = run.steps();
        if (d >= forced.length) {
            return Chooser.stay(run.previous(), enabled);
        }
        int t = forced[d];
        if (t >= run.threads()) {
            throw new IllegalArgumentException("schedule step " + (d + 1) + " names thread " + t + " of "
                    + run.threads());
        }
        if ((enabled & (1L << t)) == 0) {
            throw new IllegalArgumentException("schedule step " + (d + 1) + " runs " + run.name(t)
                    + ", which cannot run then");
        }
        return t;
    }
}
