package org.gupsim.explore;

/** A strategy's state across the executions of one exploration. */
interface Search {

    /** Whether another execution should run. */
    boolean hasNext();

    /** The chooser for the next execution. */
    Chooser next();

    /** Called after each execution (backtracking, estimates). */
    void finished(Runner run);

    /** Whether the whole space was covered; a search that samples never knows it did. */
    default boolean exhausted() {
        return false;
    }

    /** Whether the chooser needs {@link Runner#stepInfo} (stable keys) at each decision; none by default. */
    default boolean needsKeys() {
        return false;
    }
}
