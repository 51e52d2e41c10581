package org.gupsim.memmodel;

import java.util.Locale;

/**
 * The barrier instructions the kernel's primitives compile to on the modelled architectures. Each
 * model gives meaning to its own and none to the others' (a lowering never emits a foreign one).
 */
public enum Barrier {
    /** x86 {@code mfence}; the kernel's {@code smp_mb()} is {@code lock; addl $0,-4(%rsp)}, a locked RMW on the stack that orders the same way for ordinary memory. */
    MFENCE,
    /** arm64 {@code dmb ish}: orders everything before against everything after (aarch64.cat {@code dmb.full}). */
    DMB_ISH,
    /** arm64 {@code dmb ishld}: orders earlier reads against everything after ({@code dmb.ld}). */
    DMB_ISHLD,
    /** arm64 {@code dmb ishst}: orders earlier writes against later writes ({@code dmb.st}). */
    DMB_ISHST,
    /** powerpc {@code sync} (hwsync): the strong, cumulative barrier. */
    SYNC,
    /** powerpc {@code lwsync}: cumulative, orders all pairs but write-then-read. */
    LWSYNC,
    /** powerpc {@code isync}: orders nothing alone; after a branch on a read ({@code ctrlisync}) it orders that read before what follows. */
    ISYNC;

    /** The instruction as written in assembly: the constant's name in lower case, {@code _} a space. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
