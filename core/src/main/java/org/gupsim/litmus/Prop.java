package org.gupsim.litmus;

import java.util.Map;
import java.util.Set;

/** A proposition over a final state, as in a litmus test's {@code exists}, {@code forall} or {@code filter} clause. */
public sealed interface Prop {

    /** Whether the final state satisfies it. */
    boolean holds(Map<StateVar, Value> state);

    /** Adds the variables it mentions. */
    void vars(Set<StateVar> into);

    record True() implements Prop {
        @Override
        public boolean holds(Map<StateVar, Value> state) {
            return true;
        }

        @Override
        public void vars(Set<StateVar> into) {
        }

        @Override
        public String toString() {
            return "true";
        }
    }

    record Not(Prop p) implements Prop {
        @Override
        public boolean holds(Map<StateVar, Value> state) {
            return !p.holds(state);
        }

        @Override
        public void vars(Set<StateVar> into) {
            p.vars(into);
        }

        @Override
        public String toString() {
            return "~" + (p instanceof Atom || p instanceof True ? p.toString() : "(" + p + ")");
        }
    }

    /** A connective of two propositions: it mentions what either side mentions. */
    sealed interface Binary extends Prop {
        Prop l();

        Prop r();

        @Override
        default void vars(Set<StateVar> into) {
            l().vars(into);
            r().vars(into);
        }
    }

    record And(Prop l, Prop r) implements Binary {
        private static String side(Prop p) {
            return p instanceof Or ? "(" + p + ")" : p.toString();
        }

        @Override
        public boolean holds(Map<StateVar, Value> state) {
            return l.holds(state) && r.holds(state);
        }

        @Override
        public String toString() {
            return side(l) + " /\\ " + side(r);
        }
    }

    record Or(Prop l, Prop r) implements Binary {
        @Override
        public boolean holds(Map<StateVar, Value> state) {
            return l.holds(state) || r.holds(state);
        }

        @Override
        public String toString() {
            return l + " \\/ " + r;
        }
    }

    /** {@code var=value}, or {@code var!=value} when {@code equal} is false. */
    record Atom(StateVar var, Value value, boolean equal) implements Prop {
        @Override
        public boolean holds(Map<StateVar, Value> state) {
            return value.equals(state.get(var)) == equal;
        }

        @Override
        public void vars(Set<StateVar> into) {
            into.add(var);
        }

        @Override
        public String toString() {
            return var + (equal ? "=" : "!=") + value;
        }
    }
}
