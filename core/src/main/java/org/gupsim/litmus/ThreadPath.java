package org.gupsim.litmus;

import java.util.List;
import java.util.Map;

/**
 * One way through a thread's code: the ops in program order, the conditions its branches (and
 * failed or succeeded compare-and-swaps, and pointers it chose) require of the read values, the
 * registers at the end, and how many reads it made.
 */
record ThreadPath(List<Op> ops, List<Constraint> constraints, Map<String, Sym> registers, int reads) {

    /** The path needs {@code cond} to be true ({@code want}) or false. */
    record Constraint(Sym cond, boolean want) {
    }
}
