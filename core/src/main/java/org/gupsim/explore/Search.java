package org.gupsim.explore;

/** A strategy's state across the executions of one exploration. */
interface Search {

    /** Whether another execution should run. */
    boolean hasNext();

    /** The chooser for the next execution. */
    Chooser next();

    /** Called after each execution (backtracking, estimates). */
    void finished(Runner run);

    /** Whether the whole space was covered. */
    boolean exhausted();

    /** Whether the chooser needs {@link Runner#stepInfo} (stable keys) at each decision. */
    boolean needsKeys();
}
