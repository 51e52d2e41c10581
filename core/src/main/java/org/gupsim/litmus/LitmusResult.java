package org.gupsim.litmus;

import java.util.List;
import java.util.Map;

/**
 * What running a litmus test under one model gave, in herd7's terms.
 *
 * @param test       the test's name
 * @param model      the memory model's name
 * @param quantifier the final clause's quantifier
 * @param condition  the final clause as herd7 prints it
 * @param observed   the variables each state gives, in order
 * @param states     the distinct final states the model allows, sorted
 * @param positive   executions (distinct up to the test's own reads-from and coherence) that satisfy the condition's proposition
 * @param negative   those that do not
 */
public record LitmusResult(String test, String model, Quantifier quantifier, String condition,
        List<StateVar> observed, List<Map<StateVar, Value>> states, long positive, long negative) {

    public LitmusResult {
        observed = List.copyOf(observed);
        states = List.copyOf(states);
    }

    /** herd7's verdict word on its {@code Observation} line: {@code Always}, {@code Sometimes} or {@code Never}. */
    public String result() {
        if (positive == 0) {
            return "Never";
        }
        return negative == 0 ? "Always" : "Sometimes";
    }

    /** Whether the final clause holds: herd7's {@code Ok} (else {@code No}). */
    public boolean validated() {
        return switch (quantifier) {
            case EXISTS -> positive > 0;
            case NOT_EXISTS -> positive == 0;
            case FORALL -> negative == 0;
        };
    }

    /** One state as herd7 prints it: {@code 0:r0=0; 1:r0=1;}. */
    public String stateText(Map<StateVar, Value> state) {
        StringBuilder sb = new StringBuilder();
        for (StateVar v : observed) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(v).append('=').append(state.get(v)).append(';');
        }
        return sb.toString();
    }
}
