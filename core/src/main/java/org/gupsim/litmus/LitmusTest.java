package org.gupsim.litmus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed C litmus test in the format of the kernel's tools/memory-model: a name, initial values,
 * the threads, and the final clause.
 *
 * @param name          the name on the {@code C NAME} line
 * @param init          the initial value of every shared location (0 unless given), in order of appearance
 * @param registerInit  initial register values given as {@code 0:r0=1} in the initial block
 * @param threads       the threads, by index
 * @param locations     the {@code locations [...]} clause: extra variables to show in final states
 * @param filter        the {@code filter} clause, or null: executions it rejects are not counted
 * @param quantifier    {@code exists}, {@code ~exists} or {@code forall}
 * @param condition     the proposition of the final clause
 */
public record LitmusTest(String name, Map<String, Value> init, Map<StateVar, Value> registerInit,
        List<ThreadCode> threads, List<StateVar> locations, Prop filter, Quantifier quantifier, Prop condition) {

    public LitmusTest {
        init = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(init));
        registerInit = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registerInit));
        threads = List.copyOf(threads);
        locations = List.copyOf(locations);
    }

    /** The variables a final state shows: the {@code locations} clause, then those of the final clause, sorted. */
    public List<StateVar> observed() {
        Set<StateVar> vars = new LinkedHashSet<>(locations);
        Set<StateVar> cond = new TreeSet<>();
        condition.vars(cond);
        vars.addAll(cond);
        return new ArrayList<>(new TreeSet<>(vars));
    }

    /** The final clause as herd7 prints it, e.g. {@code exists (0:r0=0 /\ 1:r0=0)}. */
    public String conditionText() {
        String p = condition.toString();
        return quantifier.keyword() + " " + (p.startsWith("(") ? p : "(" + p + ")");
    }
}
