package org.gupsim.memmodel;

/**
 * One instruction a {@link Lowering} compiles a primitive to: a read, a write, or a barrier, with
 * the attributes the architecture's model reads.
 *
 * @param kind    read, write or barrier
 * @param barrier the barrier, for {@link Execution.Kind#FENCE}; null otherwise
 * @param flags   {@link Execution#ACQUIRE}, {@link Execution#RELEASE}, {@link Execution#LOCKED},
 *                {@link Execution#NO_RET}, {@link Execution#EXCLUSIVE}, or'ed
 */
public record Instr(Execution.Kind kind, Barrier barrier, int flags) {

    public Instr {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if ((kind == Execution.Kind.FENCE) != (barrier != null)) {
            throw new IllegalArgumentException("a FENCE needs a barrier and nothing else may have one: " + kind + " " + barrier);
        }
    }

    /** A read with these flags. */
    public static Instr read(int flags) {
        return new Instr(Execution.Kind.READ, null, flags);
    }

    /** A write with these flags. */
    public static Instr write(int flags) {
        return new Instr(Execution.Kind.WRITE, null, flags);
    }

    /** A barrier instruction. */
    public static Instr fence(Barrier b) {
        return new Instr(Execution.Kind.FENCE, b, 0);
    }
}
