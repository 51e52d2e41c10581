package org.gupsim.mm;

/** Memory zones the model has. Mirrors {@code enum zone_type} in include/linux/mmzone.h. */
public enum Zone {
    /** Ordinary kernel-usable memory; the CMA area lies inside it. */
    NORMAL,
    /** Memory that must stay migratable (movablecore=, hot-pluggable memory). */
    MOVABLE
}
