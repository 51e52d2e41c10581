package org.gupsim.explore;

import java.util.Arrays;
import org.apache.commons.lang3.Validate;

/**
 * Schedule strings: which thread ran each step, run-length encoded.
 *
 * <p>Format: comma-separated runs; a run is a thread index, optionally followed by {@code x}
 * and a repeat count. {@code "0x3,1x2,0"} means thread 0 ran steps 1-3, thread 1 steps 4-5 and
 * thread 0 step 6. The empty string is the empty schedule. A step is what a thread does from one
 * scheduling point up to its next one; code before a thread's first point runs at start-up, in
 * thread order, and is not a step. {@link #format} always writes the canonical form (maximal
 * runs, no {@code x1}); {@link #parse} also accepts non-canonical runs.
 */
public final class Schedule {
    private Schedule() {
    }

    /** Encodes the first {@code length} choices. */
    public static String format(int[] choices, int length) {
        Validate.isTrue(length >= 0 && length <= choices.length, "length out of range: %d", length);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < length) {
            int t = choices[i];
            int j = i + 1;
            while (j < length && choices[j] == t) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(t);
            if (j - i > 1) {
                sb.append('x').append(j - i);
            }
            i = j;
        }
        return sb.toString();
    }

    /** The most steps a schedule may have: far beyond any execution the explorer runs. */
    public static final int MAX_STEPS = 100_000_000;

    /**
     * Decodes a schedule string into one thread index per step.
     *
     * @throws IllegalArgumentException naming the run that is not of the form {@code THREAD[xCOUNT]}
     *                                  (ASCII digits only), or saying that the schedule is longer than
     *                                  {@link #MAX_STEPS}
     */
    public static int[] parse(String schedule) {
        Validate.isTrue(schedule != null, "schedule must not be null");
        String s = schedule.strip();
        if (s.isEmpty()) {
            return new int[0];
        }
        int[] out = new int[16];
        int n = 0;
        for (String run : s.split(",", -1)) {
            String r = run.strip();
            int x = r.indexOf('x');
            // A thread index past any thread is left for the replay to refuse; a count past the
            // limit is refused below.
            int thread = (int) Math.min(number(x < 0 ? r : r.substring(0, x), r), Integer.MAX_VALUE);
            long count = x < 0 ? 1 : number(r.substring(x + 1), r);
            Validate.isTrue(count >= 1, "schedule has a run with count 0: '%s'", r);
            Validate.isTrue(n + count <= MAX_STEPS, "schedule has more than %d steps", MAX_STEPS);
            if (n + count > out.length) {
                out = Arrays.copyOf(out, (int) Math.max(Math.min((long) out.length * 2, MAX_STEPS), n + count));
            }
            Arrays.fill(out, n, n + (int) count, thread);
            n += (int) count;
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code digits} (ASCII only) as a number, {@link Long#MAX_VALUE} for any larger one. */
    private static long number(String digits, String run) {
        Validate.isTrue(!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9'),
                "schedule run '%s' is not of the form THREAD[xCOUNT] (ASCII digits, e.g. 0x3)", run);
        String d = digits.replaceFirst("^0+(?=.)", "");
        return d.length() > 18 ? Long.MAX_VALUE : Long.parseLong(d);
    }
}
