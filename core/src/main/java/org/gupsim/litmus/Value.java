package org.gupsim.litmus;

/**
 * A value in a litmus test: an integer, or the address of a shared location (what herd7 prints
 * as the location's name, as in {@code 1:r0=x}).
 *
 * @param loc the location whose address this is, or null for an integer
 * @param num the integer (0 for an address)
 */
public record Value(String loc, long num) implements Comparable<Value> {

    /** The integer {@code n}. */
    public static Value of(long n) {
        return new Value(null, n);
    }

    /** The address of {@code loc}. */
    public static Value addr(String loc) {
        if (loc == null || loc.isEmpty()) {
            throw new IllegalArgumentException("loc must be a location name, was '" + loc + "'");
        }
        return new Value(loc, 0);
    }

    public boolean isAddress() {
        return loc != null;
    }

    /** C truth: non-zero integers and every address are true. */
    public boolean truthy() {
        return loc != null || num != 0;
    }

    /** Integers in numeric order, then addresses by name. */
    @Override
    public int compareTo(Value o) {
        if (isAddress() != o.isAddress()) {
            return isAddress() ? 1 : -1;
        }
        return isAddress() ? loc.compareTo(o.loc) : Long.compare(num, o.num);
    }

    @Override
    public String toString() {
        return loc != null ? loc : Long.toString(num);
    }
}
