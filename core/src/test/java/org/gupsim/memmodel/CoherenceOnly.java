package org.gupsim.memmodel;

/**
 * A user's model, registered through the test class path's META-INF/services the way a jar would:
 * only coherence per location and atomicity, no ordering between locations at all.
 */
public final class CoherenceOnly implements MemoryModel {

    @Override
    public String name() {
        return "coherence";
    }

    @Override
    public String description() {
        return "coherence per location only (a test model)";
    }

    @Override
    public Lowering lowering() {
        return new Sc().lowering();
    }

    @Override
    public String violatedAxiom(Execution x) {
        if (!MemoryModel.atomic(x)) {
            return "atomic";
        }
        return Relation.union(x.size(), x.poLoc(), x.rf(), x.co(), x.fr()).acyclic() ? null : "uniproc";
    }
}
