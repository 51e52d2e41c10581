package org.gupsim.memmodel;

import java.util.BitSet;

/**
 * A binary relation over the events {@code 0..n-1} of one execution, as a bit matrix: the
 * relational algebra herd7's cat language is written in (union {@code |}, intersection {@code &},
 * difference {@code \}, sequence {@code ;}, inverse {@code ^-1}, closures {@code +}, {@code *},
 * {@code ?}, and the checks {@code acyclic}, {@code irreflexive}, {@code empty}), so each model
 * reads like its cat file. Immutable once built: every operation returns a new relation.
 */
public final class Relation {
    private final int n;
    private final int words;
    private final long[] bits;

    private Relation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        this.n = n;
        this.words = (n + 63) >>> 6;
        this.bits = new long[n * words];
    }

    /** The empty relation over {@code n} events. */
    public static Relation empty(int n) {
        return new Relation(n);
    }

    /** {@code [s]}: the identity restricted to the events in {@code s}. */
    public static Relation identity(int n, BitSet s) {
        Relation r = new Relation(n);
        for (int i = s.nextSetBit(0); i >= 0 && i < n; i = s.nextSetBit(i + 1)) {
            r.set(i, i);
        }
        return r;
    }

    /** {@code a * b}: every pair from {@code a} to {@code b}. */
    public static Relation cross(int n, BitSet a, BitSet b) {
        Relation r = new Relation(n);
        long[] row = toWords(b, r.words);
        for (int i = a.nextSetBit(0); i >= 0 && i < n; i = a.nextSetBit(i + 1)) {
            System.arraycopy(row, 0, r.bits, i * r.words, r.words);
        }
        return r;
    }

    private static long[] toWords(BitSet s, int words) {
        long[] w = new long[words];
        long[] src = s.toLongArray();
        System.arraycopy(src, 0, w, 0, Math.min(words, src.length));
        return w;
    }

    /** The number of events the relation is over. */
    public int size() {
        return n;
    }

    /** Builder-side: adds the pair; only for relations this package is still assembling. */
    void set(int i, int j) {
        check(i);
        check(j);
        bits[i * words + (j >>> 6)] |= 1L << j;
    }

    private void check(int e) {
        if (e < 0 || e >= n) {
            throw new IllegalArgumentException("event " + e + " is outside 0.." + (n - 1));
        }
    }

    /** Whether {@code (i, j)} is in the relation. */
    public boolean has(int i, int j) {
        return (bits[i * words + (j >>> 6)] & (1L << j)) != 0;
    }

    private void sameSize(Relation o) {
        if (o.n != n) {
            throw new IllegalArgumentException("relations over " + n + " and " + o.n + " events");
        }
    }

    /** {@code this | o}. */
    public Relation union(Relation o) {
        sameSize(o);
        Relation r = new Relation(n);
        for (int k = 0; k < bits.length; k++) {
            r.bits[k] = bits[k] | o.bits[k];
        }
        return r;
    }

    /** The union of all the given relations over {@code n} events. */
    public static Relation union(int n, Relation... rs) {
        Relation r = new Relation(n);
        for (Relation x : rs) {
            r.sameSize(x);
            for (int k = 0; k < r.bits.length; k++) {
                r.bits[k] |= x.bits[k];
            }
        }
        return r;
    }

    /** {@code this & o}. */
    public Relation inter(Relation o) {
        sameSize(o);
        Relation r = new Relation(n);
        for (int k = 0; k < bits.length; k++) {
            r.bits[k] = bits[k] & o.bits[k];
        }
        return r;
    }

    /** {@code this \ o}. */
    public Relation minus(Relation o) {
        sameSize(o);
        Relation r = new Relation(n);
        for (int k = 0; k < bits.length; k++) {
            r.bits[k] = bits[k] & ~o.bits[k];
        }
        return r;
    }

    /** {@code this^-1}. */
    public Relation inverse() {
        Relation r = new Relation(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (has(i, j)) {
                    r.set(j, i);
                }
            }
        }
        return r;
    }

    /** {@code this ; o}: pairs (i, k) with some j such that (i, j) in this and (j, k) in o. */
    public Relation seq(Relation o) {
        sameSize(o);
        Relation r = new Relation(n);
        for (int i = 0; i < n; i++) {
            int ri = i * words;
            for (int w = 0; w < words; w++) {
                long m = bits[ri + w];
                while (m != 0) {
                    int j = (w << 6) + Long.numberOfTrailingZeros(m);
                    m &= m - 1;
                    int rj = j * words;
                    for (int x = 0; x < words; x++) {
                        r.bits[ri + x] |= o.bits[rj + x];
                    }
                }
            }
        }
        return r;
    }

    /** Sequence of several relations, left to right. */
    public static Relation seq(Relation first, Relation... rest) {
        Relation r = first;
        for (Relation x : rest) {
            r = r.seq(x);
        }
        return r;
    }

    /** {@code [dom] ; this ; [range]}: the pairs whose source is in {@code dom} and target in {@code range}. */
    public Relation restrict(BitSet dom, BitSet range) {
        Relation r = new Relation(n);
        long[] mask = toWords(range, words);
        for (int i = dom.nextSetBit(0); i >= 0 && i < n; i = dom.nextSetBit(i + 1)) {
            for (int w = 0; w < words; w++) {
                r.bits[i * words + w] = bits[i * words + w] & mask[w];
            }
        }
        return r;
    }

    /** {@code this+}: the transitive closure (Warshall, one bit row at a time). */
    public Relation plus() {
        Relation r = new Relation(n);
        System.arraycopy(bits, 0, r.bits, 0, bits.length);
        for (int k = 0; k < n; k++) {
            int rk = k * words;
            for (int i = 0; i < n; i++) {
                if (r.has(i, k)) {
                    int ri = i * words;
                    for (int x = 0; x < words; x++) {
                        r.bits[ri + x] |= r.bits[rk + x];
                    }
                }
            }
        }
        return r;
    }

    /** {@code this?}: the relation with the identity added. */
    public Relation opt() {
        Relation r = new Relation(n);
        System.arraycopy(bits, 0, r.bits, 0, bits.length);
        for (int i = 0; i < n; i++) {
            r.set(i, i);
        }
        return r;
    }

    /** {@code this*}: the reflexive-transitive closure. */
    public Relation star() {
        return plus().opt();
    }

    /** {@code irreflexive this}. */
    public boolean irreflexive() {
        for (int i = 0; i < n; i++) {
            if (has(i, i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code acyclic this}. */
    public boolean acyclic() {
        return plus().irreflexive();
    }

    /** {@code empty this}. */
    public boolean isEmpty() {
        for (long b : bits) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Relation r && r.n == n && java.util.Arrays.equals(r.bits, bits);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (has(i, j)) {
                    if (sb.length() > 1) {
                        sb.append(", ");
                    }
                    sb.append(i).append("->").append(j);
                }
            }
        }
        return sb.append('}').toString();
    }
}
