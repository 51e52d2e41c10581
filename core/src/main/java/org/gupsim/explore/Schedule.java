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

    /** Decodes a schedule string into one thread index per step. */
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
            int thread = number(x < 0 ? r : r.substring(0, x), schedule);
            int count = x < 0 ? 1 : number(r.substring(x + 1), schedule);
            Validate.isTrue(count >= 1, "schedule has a run with count 0: %s", schedule);
            Validate.isTrue((long) n + count <= 100_000_000L, "schedule too long: %s", schedule);
            if (n + count > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + count));
            }
            Arrays.fill(out, n, n + count, thread);
            n += count;
        }
        return Arrays.copyOf(out, n);
    }

    private static int number(String digits, String schedule) {
        Validate.isTrue(!digits.isEmpty() && digits.length() <= 9 && digits.chars().allMatch(Character::isDigit),
                "schedule is not of the form 0x3,1x2,0: %s", schedule);
        return Integer.parseInt(digits);
    }
}
