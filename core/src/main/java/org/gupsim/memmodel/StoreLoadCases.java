package org.gupsim.memmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's ways of storing and then loading another location, named as kernel code writes
 * them, and which of them a memory model lets the load pass the store: the orderings in which two
 * models differ, in words a report can print ({@code gupsim compare}'s memory-model mechanism).
 * Every answer is {@link StoreLoad#ordered} — the model's own verdict on a store-buffering
 * execution — so a user's model from {@link MemoryModels} is described the same way.
 *
 * <p>Only the store-then-load order is asked: it is the one order the explorer's store buffers
 * relax (docs/memory-models.md), so it is the only one in which two explorations under different
 * models can differ.
 */
public final class StoreLoadCases {

    /**
     * One way of storing, with what separates it from a later {@code READ_ONCE()} of another
     * location.
     *
     * @param text       how kernel code writes it, e.g. {@code atomic_add()}
     * @param first      the store or read-modify-write
     * @param firstOrder its ordering
     * @param barrier    a barrier between it and the load, or null for none
     */
    public record Case(String text, Primitive first, Order firstOrder, Primitive barrier) {
    }

    /** The cases, in the order a report lists them. */
    public static final List<Case> CASES = List.of(
            new Case("WRITE_ONCE()", Primitive.STORE, Order.RELAXED, null),
            new Case("smp_store_release()", Primitive.STORE, Order.RELEASE, null),
            new Case("a non-returning atomic (atomic_add(), set_bit())", Primitive.RMW_NO_RETURN, Order.RELAXED, null),
            new Case("a relaxed atomic (xchg_relaxed())", Primitive.RMW, Order.RELAXED, null),
            new Case("an _acquire atomic", Primitive.RMW, Order.ACQUIRE, null),
            new Case("a _release atomic", Primitive.RMW, Order.RELEASE, null),
            new Case("a fully ordered atomic (atomic_add_return(), xchg())", Primitive.RMW, Order.FULL, null),
            new Case("smp_store_mb()", Primitive.STORE_MB, Order.RELAXED, null),
            new Case("WRITE_ONCE() then smp_wmb()", Primitive.STORE, Order.RELAXED, Primitive.WMB),
            new Case("WRITE_ONCE() then smp_rmb()", Primitive.STORE, Order.RELAXED, Primitive.RMB),
            new Case("WRITE_ONCE() then smp_mb()", Primitive.STORE, Order.RELAXED, Primitive.MB),
            new Case("atomic_add() then smp_mb__after_atomic()", Primitive.RMW_NO_RETURN, Order.RELAXED,
                    Primitive.MB_AFTER_ATOMIC));

    private static final Map<String, List<Case>> MEMO = new ConcurrentHashMap<>();

    private StoreLoadCases() {
    }

    /** Whether {@code model} keeps {@code c}'s store before a later relaxed load of another location. */
    public static boolean ordered(MemoryModel model, Case c) {
        if (model == null || c == null) {
            throw new IllegalArgumentException("model and c must not be null");
        }
        return StoreLoad.ordered(model, c.first(), c.firstOrder(), c.barrier(), Primitive.LOAD, Order.RELAXED);
    }

    /**
     * The cases whose store {@code weak} lets a later load pass and {@code strong} keeps before it,
     * in {@link #CASES} order: empty when {@code weak} is not weaker in any of them.
     */
    public static List<Case> reorderedOnlyBy(MemoryModel weak, MemoryModel strong) {
        if (weak == null || strong == null) {
            throw new IllegalArgumentException("weak and strong must not be null");
        }
        return MEMO.computeIfAbsent(key(weak) + " " + key(strong), k -> {
            List<Case> out = new ArrayList<>();
            for (Case c : CASES) {
                if (!ordered(weak, c) && ordered(strong, c)) {
                    out.add(c);
                }
            }
            return List.copyOf(out);
        });
    }

    /** A model's answers depend on its class alone (the SPI's models are stateless); the name tells a user's apart. */
    private static String key(MemoryModel m) {
        return m.getClass().getName() + ":" + m.name();
    }
}
