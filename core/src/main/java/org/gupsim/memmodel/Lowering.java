package org.gupsim.memmodel;

/**
 * How the kernel implements each {@link Primitive} on one architecture: the instructions
 * {@code arch/<arch>/include/asm/barrier.h}, {@code atomic*.h}, {@code cmpxchg.h} and
 * {@code spinlock.h} emit. A model's verdict on a C litmus test is its verdict on this compiled
 * program, as herd7 gives for the compiled assembly test.
 */
@FunctionalInterface
public interface Lowering {

    /**
     * The instructions for one primitive.
     *
     * @param p     the primitive
     * @param order its ordering (for {@link Primitive#LOAD}, {@link Primitive#STORE},
     *              {@link Primitive#RMW}, {@link Primitive#CMPXCHG_FAILED}); {@link Order#RELAXED} for the others
     */
    Lowered lower(Primitive p, Order order);
}
