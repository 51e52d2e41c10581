package org.gupsim.cli;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --shard I/N}: part {@code index} (from 0) of {@code count} of an exploration.
 *
 * @param index the part, 0 to {@code count - 1}
 * @param count how many parts, 1 to {@link #MAX_SHARDS}
 */
record ShardSpec(int index, int count) {
    /** The most parts an exploration is split into. */
    static final int MAX_SHARDS = 1024;
    private static final Pattern FORM = Pattern.compile("([0-9]+)/([0-9]+)");
    /** What {@code --shard} allows, for its help and its refusals. */
    static final String WHAT = "I/N with N from 1 to " + MAX_SHARDS + " and I from 0 to N-1, e.g. 0/4";
    private static final String ALLOWED = " (allowed: " + WHAT + ")";

    /**
     * Parses {@code text} given to {@code flag}; only ASCII digits.
     *
     * @throws UsageException naming the flag and what is allowed
     */
    static ShardSpec parse(String flag, String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new UsageException(flag + " " + text + " is not of the form I/N" + ALLOWED);
        }
        // Any number of digits: one past a long is out of range too, not "not of the form".
        BigInteger i = new BigInteger(m.group(1));
        BigInteger n = new BigInteger(m.group(2));
        if (n.signum() < 1 || n.compareTo(BigInteger.valueOf(MAX_SHARDS)) > 0 || i.compareTo(n) >= 0) {
            throw new UsageException(flag + " " + text + " is out of range" + ALLOWED);
        }
        return new ShardSpec(i.intValueExact(), n.intValueExact());
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
