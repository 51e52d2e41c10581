package org.gupsim.kernel;

import java.util.Comparator;
import org.apache.commons.lang3.Validate;

/**
 * A mainline release number, {@code major.minor} ({@code 6.6}, {@code 7.2}): where a feature's
 * value entered mainline. Only {@link Feature#valueAt} compares releases; behaviour reads
 * features, never release numbers.
 *
 * @param major the major number
 * @param minor the minor number
 */
public record Release(int major, int minor) implements Comparable<Release> {
    /** Before anything the model follows: the value a feature has had for as long as it matters. */
    public static final Release INITIAL = new Release(0, 0);

    private static final Comparator<Release> ORDER = Comparator.comparingInt(Release::major)
            .thenComparingInt(Release::minor);

    public Release {
        Validate.isTrue(major >= 0, "major must not be negative, was %d", major);
        Validate.isTrue(minor >= 0, "minor must not be negative, was %d", minor);
    }

    /**
     * Parses {@code major.minor}.
     *
     * @throws IllegalArgumentException if {@code text} is not two non-negative numbers joined by a dot
     */
    public static Release parse(String text) {
        Validate.isTrue(text != null, "release must not be null");
        String[] parts = text.split("\\.", -1);
        Validate.isTrue(parts.length == 2 && parts[0].matches("[0-9]{1,4}") && parts[1].matches("[0-9]{1,4}"),
                "release must be MAJOR.MINOR, e.g. 6.6, was '%s'", text);
        return new Release(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @Override
    public int compareTo(Release o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
