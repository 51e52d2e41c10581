package org.gupsim.cli;

import java.util.Collection;

/**
 * How the commands read option values, so that every option answers bad input the same way: one
 * {@link UsageException} naming the flag, echoing the value and saying what is allowed.
 *
 * <p>Numbers are ASCII decimal digits with an optional leading {@code -} (where negatives are
 * allowed) and nothing else: {@link Long#parseLong} alone would also take {@code +5} and the digits
 * of other scripts ({@code ١}, {@code ４}), which no kernel interface and no shell script means as a
 * number. An empty value is answered like a missing one: "needs a value", with the allowed values.
 */
final class CliValues {
    private CliValues() {
    }

    /** {@code any whole number}, {@code 1 or more}, or {@code 1..1024}: the allowed range in words. */
    static String range(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "any whole number";
        }
        if (max == Long.MAX_VALUE) {
            return min + " or more";
        }
        return min + ".." + max;
    }

    /**
     * {@code text} as a whole number in {@code min..max}.
     *
     * @throws UsageException for an empty value, one that is not ASCII decimal digits (with a
     *                        leading {@code -} only), or one out of range
     */
    static long wholeNumber(String flag, String text, long min, long max) {
        return wholeNumber(flag, text, min, max, "");
    }

    /**
     * {@code text} as a whole number in {@code min..max}; {@code unit} follows the range in the
     * message ({@code " pages of 2M: at most 1048576 base pages of 4K"}).
     *
     * @throws UsageException as {@link #wholeNumber(String, String, long, long)}
     */
    static long wholeNumber(String flag, String text, long min, long max, String unit) {
        String allowed = range(min, max) + unit;
        if (text == null || text.isEmpty()) {
            throw needsValue(flag, allowed);
        }
        if (!isDecimal(text)) {
            throw new UsageException(flag + " " + text + " is not a whole number (allowed: " + allowed + ")");
        }
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Decimal digits beyond a long: out of any range.
        }
        throw new UsageException(flag + " " + text + " is out of range (allowed: " + allowed + ")");
    }

    /** Whether {@code text} is ASCII decimal digits, optionally after one {@code -}. */
    static boolean isDecimal(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} if it is one of {@code allowed}.
     *
     * @throws UsageException for an empty value or one not in {@code allowed}
     */
    static String oneOf(String flag, String value, Collection<String> allowed) {
        if (value == null || value.isEmpty()) {
            throw needsValue(flag, String.join(", ", allowed));
        }
        if (!allowed.contains(value)) {
            throw notKnown(flag, value, allowed);
        }
        return value;
    }

    /** {@code --flag VALUE is not known (allowed: a, b, c)}. */
    static UsageException notKnown(String flag, String value, Collection<String> allowed) {
        return new UsageException(flag + " " + value + " is not known (allowed: " + String.join(", ", allowed) + ")");
    }

    /** {@code --flag needs a value (allowed: ...)}: for a missing and for an empty value alike. */
    static UsageException needsValue(String flag, String allowed) {
        return new UsageException(flag + " needs a value (allowed: " + allowed + ")");
    }
}
