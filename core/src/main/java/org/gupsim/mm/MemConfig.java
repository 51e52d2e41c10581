package org.gupsim.mm;

import org.apache.commons.lang3.Validate;

/**
 * The physical memory of a simulated machine.
 *
 * @param pageShift     log2 of the base page size (12 for 4K, 16 for 64K)
 * @param normalPages   frames in ZONE_NORMAL, CMA area included
 * @param cmaPages      frames at the top of ZONE_NORMAL reserved as a CMA area
 * @param movablePages  frames in ZONE_MOVABLE
 * @param userInCmaFirst when true, movable user allocations try the CMA area before the rest of
 *                      NORMAL (the kernel does so when CMA holds much of the free memory); used to
 *                      exercise long-term-pin migration out of CMA
 */
public record MemConfig(int pageShift, int normalPages, int cmaPages, int movablePages, boolean userInCmaFirst) {
    public MemConfig {
        Validate.isTrue(pageShift >= 12 && pageShift <= 16, "pageShift must be between 12 and 16, was %d", pageShift);
        Validate.isTrue(normalPages > 0, "normalPages must be positive, was %d", normalPages);
        Validate.isTrue(cmaPages >= 0 && cmaPages < normalPages, "cmaPages must be in [0, normalPages), was %d", cmaPages);
        Validate.isTrue(movablePages >= 0, "movablePages must not be negative, was %d", movablePages);
        Validate.isTrue((long) normalPages + movablePages < Integer.MAX_VALUE / 2, "memory too large: %d frames",
                (long) normalPages + movablePages);
    }

    /**
     * A machine with {@code bytes} of NORMAL memory and no MOVABLE zone or CMA area.
     *
     * @param bytes at least one page; a partial page at the end is left out
     * @throws IllegalArgumentException naming {@code pageShift} or {@code bytes}, rather than
     *                                  truncating a size too large to count in frames
     */
    public static MemConfig ofBytes(int pageShift, long bytes) {
        Validate.isTrue(bytes > 0, "bytes must be positive, was %d", bytes);
        return new MemConfig(pageShift, frames("bytes", pageShift, bytes), 0, 0, false);
    }

    /**
     * This machine with a MOVABLE zone of {@code bytes}.
     *
     * @throws IllegalArgumentException as {@link #ofBytes}, or if the memory is too large in all
     */
    public MemConfig withMovable(long bytes) {
        return new MemConfig(pageShift, normalPages, cmaPages, frames("bytes", pageShift, bytes), userInCmaFirst);
    }

    /**
     * This machine with the top {@code bytes} of NORMAL reserved as a CMA area.
     *
     * @throws IllegalArgumentException as {@link #ofBytes}, or if the area is not smaller than NORMAL
     */
    public MemConfig withCma(long bytes, boolean userFirst) {
        return new MemConfig(pageShift, normalPages, frames("bytes", pageShift, bytes), movablePages, userFirst);
    }

    /** {@code bytes} in whole frames of {@code 1 << pageShift}, few enough to count in an int. */
    private static int frames(String name, int pageShift, long bytes) {
        Validate.isTrue(pageShift >= 12 && pageShift <= 16, "pageShift must be between 12 and 16, was %d", pageShift);
        Validate.isTrue(bytes >= 0, "%s must not be negative, was %d", name, bytes);
        long frames = bytes >>> pageShift;
        Validate.isTrue(frames < Integer.MAX_VALUE / 2, "%s is too large: %d frames of %d bytes (at most %d)", name,
                frames, 1L << pageShift, Integer.MAX_VALUE / 2 - 1);
        return (int) frames;
    }
}
