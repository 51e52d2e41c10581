package org.gupsim.memmodel;

import org.apache.commons.lang3.Validate;

/**
 * A memory model written the way herd7's cat files are: a name, a one-line description, a
 * lowering, and axioms over the candidate execution. Two axioms every built-in model has are
 * checked here, first: sc-per-location ({@code acyclic po-loc | rf | co | fr}, which each cat file
 * names its own way: {@code uniproc}, {@code internal}) and {@code atomic}
 * ({@link MemoryModel#atomic}); then the model's own, {@link #violatedOwnAxiom}. A user's model
 * may extend it the same way, or implement {@link MemoryModel} directly.
 */
public abstract class AxiomaticModel implements MemoryModel {
    private final Definition definition;

    /** What a subclass hands its constructor: the model's name, description, lowering and sc-per-location name. */
    private record Definition(String name, String description, Lowering lowering, String perLocationAxiom) {
        Definition {
            Validate.isTrue(name != null && !name.isBlank(), "name must not be blank");
            Validate.isTrue(description != null, "description must not be null");
            Validate.isTrue(lowering != null, "lowering must not be null");
            Validate.isTrue(perLocationAxiom != null && !perLocationAxiom.isBlank(),
                    "perLocationAxiom must not be blank");
        }
    }

    /**
     * @param perLocationAxiom what the model's cat file calls sc-per-location, e.g. {@code uniproc}
     * @throws IllegalArgumentException if an argument is null or a name is blank
     */
    protected AxiomaticModel(String name, String description, Lowering lowering, String perLocationAxiom) {
        this.definition = new Definition(name, description, lowering, perLocationAxiom);
    }

    @Override
    public final String name() {
        return definition.name();
    }

    @Override
    public final String description() {
        return definition.description();
    }

    @Override
    public final Lowering lowering() {
        return definition.lowering();
    }

    @Override
    public final String violatedAxiom(Execution x) {
        if (!Relation.union(x.size(), x.poLoc(), x.rf(), x.fr(), x.co()).acyclic()) {
            return definition.perLocationAxiom();
        }
        if (!MemoryModel.atomic(x)) {
            return "atomic";
        }
        return violatedOwnAxiom(x);
    }

    /**
     * The model's own axioms, asked of an execution that is coherent per location and atomic.
     *
     * @return null if they hold, else the name of the first one broken, as the cat file names it
     */
    protected abstract String violatedOwnAxiom(Execution x);
}
