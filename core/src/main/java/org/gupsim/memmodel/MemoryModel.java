package org.gupsim.memmodel;

/**
 * A memory model: how the kernel's primitives compile on an architecture ({@link #lowering()}) and
 * which candidate executions of the compiled program the architecture allows
 * ({@link #violatedAxiom}). The built-in ones are {@code sc}, {@code tso}, {@code arm64} and
 * {@code power}; a user adds one by implementing this interface and registering it in
 * {@code META-INF/services/org.gupsim.memmodel.MemoryModel}, and {@link MemoryModels} finds it the
 * same way it finds the built-ins.
 */
public interface MemoryModel {

    /** The name users type, e.g. {@code arm64}. Lower case, no spaces. */
    String name();

    /** One line: what the model is and what it is argued from. */
    String description();

    /** How each kernel primitive compiles under this model. */
    Lowering lowering();

    /**
     * Checks one candidate execution (whose events came from {@link #lowering()}).
     *
     * @return null if the model allows it, else the name of the first axiom it breaks, as the cat
     *         file names it (e.g. {@code "external"})
     */
    String violatedAxiom(Execution x);

    /** Whether the model allows the execution. */
    default boolean consistent(Execution x) {
        return violatedAxiom(x) == null;
    }

    /**
     * {@code empty rmw & (fre; coe)}: nothing writes the location between the read and the write
     * of a read-modify-write. Every model shares it.
     */
    static boolean atomic(Execution x) {
        Relation ext = x.ext();
        Relation fre = x.fr().inter(ext);
        Relation coe = x.co().inter(ext);
        return x.rmw().inter(fre.seq(coe)).isEmpty();
    }
}
