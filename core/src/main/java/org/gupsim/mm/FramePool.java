package org.gupsim.mm;

/**
 * A deterministic allocator over one range of frames: a bitmap (one bit a frame) searched
 * lowest-address first for a naturally aligned free run, as the buddy allocator's alignment
 * rules require. The same sequence of calls always yields the same frames.
 */
final class FramePool {
    private final int start;
    private final int end;
    private final int base;
    private final long[] used;
    private int firstFreeWord;
    private int free;

    FramePool(int start, int end) {
        this.start = start;
        this.end = end;
        this.base = start & ~63;
        int words = end > start ? ((end - base + 63) >>> 6) : 0;
        this.used = new long[words];
        if (words == 0) {
            this.free = 0;
            return;
        }
        // The frames of the first and last words outside [start, end) are never free.
        int head = start - base;
        if (head > 0) {
            used[0] |= (1L << head) - 1;
        }
        int tail = (end - base) & 63;
        if (tail != 0) {
            used[words - 1] |= -1L << tail;
        }
        this.free = Math.max(0, end - start);
    }

    int free() {
        return free;
    }

    int size() {
        return Math.max(0, end - start);
    }

    boolean contains(int pfn) {
        return pfn >= start && pfn < end;
    }

    /** Returns the first pfn of a free aligned run of {@code 1 << order} frames, or -1. */
    int alloc(int order) {
        int n = 1 << order;
        if (n > free) {
            return -1;
        }
        int pfn = order < 6 ? allocSmall(n) : allocLarge(n >>> 6);
        if (pfn >= 0) {
            free -= n;
        }
        return pfn;
    }

    private int allocSmall(int n) {
        long mask = n == 64 ? -1L : (1L << n) - 1;
        for (int w = firstFreeWord; w < used.length; w++) {
            long word = used[w];
            if (word == -1L) {
                if (w == firstFreeWord) {
                    firstFreeWord = w + 1;
                }
                continue;
            }
            // Runs must start at a pfn aligned to n; base is 64-aligned so bit alignment suffices.
            for (int pos = 0; pos < 64; pos += n) {
                if ((word & (mask << pos)) == 0) {
                    used[w] = word | (mask << pos);
                    return base + (w << 6) + pos;
                }
            }
        }
        return -1;
    }

    private int allocLarge(int words) {
        int w = (firstFreeWord + words - 1) / words * words;
        for (; w + words <= used.length; w += words) {
            boolean ok = true;
            for (int i = 0; i < words; i++) {
                if (used[w + i] != 0) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                for (int i = 0; i < words; i++) {
                    used[w + i] = -1L;
                }
                return base + (w << 6);
            }
        }
        return -1;
    }

    void release(int pfn, int order) {
        int n = 1 << order;
        for (int i = 0; i < n; i++) {
            int bit = pfn + i - base;
            long m = 1L << (bit & 63);
            if ((used[bit >>> 6] & m) == 0) {
                throw new IllegalStateException("double free of pfn " + (pfn + i));
            }
            used[bit >>> 6] &= ~m;
        }
        free += n;
        firstFreeWord = Math.min(firstFreeWord, (pfn - base) >>> 6);
    }
}
