package org.gupsim.explore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Numbers the stable object keys ({@link org.gupsim.sched.SchedKeyed#schedKey()}) met in one
 * exploration, so that the partial-order reduction compares steps' objects as ints rather than
 * strings ({@link StepInfo}). Shared by the exploration's workers, which may number keys at the
 * same time: a key's number depends on who met it first, so numbers are only ever compared for
 * equality and never reach a result.
 */
final class KeyIds {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /** The number of {@code key}, the same for equal keys. */
    int of(String key) {
        Integer id = ids.get(key);
        if (id == null) {
            id = ids.computeIfAbsent(key, k -> next.getAndIncrement());
        }
        return id;
    }
}
