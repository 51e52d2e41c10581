package org.gupsim.memmodel;

/**
 * Sequential consistency (Lamport 1979): every execution is an interleaving of the threads'
 * accesses, so {@code acyclic po | rf | co | fr}. Barriers compile to nothing; read-modify-writes
 * are a read and a write with nothing in between. This is what gupsim's explorer assumed before
 * it had weaker models, and the model under which dropping a barrier changes nothing.
 */
public final class Sc extends AxiomaticModel {

    private static final Lowering LOWERING = (p, order) -> switch (p) {
        case LOAD, CMPXCHG_FAILED -> Lowered.of(Instr.read(0));
        case STORE, STORE_MB, SPIN_UNLOCK -> Lowered.of(Instr.write(0));
        case RMW, RMW_NO_RETURN, SPIN_LOCK -> Lowered.of(Instr.read(0), Instr.write(0));
        case MB, RMB, WMB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> Lowered.nothing();
    };

    public Sc() {
        super("sc", "sequential consistency: one interleaving of all accesses (acyclic po | rf | co | fr)",
                LOWERING, "sc");
    }

    @Override
    protected String violatedOwnAxiom(Execution x) {
        if (!Relation.union(x.size(), x.po(), x.rf(), x.co(), x.fr()).acyclic()) {
            return "sc";
        }
        return null;
    }
}
