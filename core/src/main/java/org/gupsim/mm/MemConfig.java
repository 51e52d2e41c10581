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

    /** A machine with {@code bytes} of NORMAL memory and no MOVABLE zone or CMA area. */
    public static MemConfig ofBytes(int pageShift, long bytes) {
        Validate.isTrue(bytes > 0, "bytes must be positive, was %d", bytes);
        return new MemConfig(pageShift, (int) (bytes >>> pageShift), 0, 0, false);
    }

    public MemConfig withMovable(long bytes) {
        return new MemConfig(pageShift, normalPages, cmaPages, (int) (bytes >>> pageShift), userInCmaFirst);
    }

    public MemConfig withCma(long bytes, boolean userFirst) {
        return new MemConfig(pageShift, normalPages, (int) (bytes >>> pageShift), movablePages, userFirst);
    }
}
