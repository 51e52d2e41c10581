package org.gupsim.litmus;

import java.util.List;

/**
 * One {@code Pn(...)} of a litmus test: its index, the shared locations its parameters name, and
 * its parsed body.
 */
public final class ThreadCode {
    private final int index;
    private final List<String> params;
    private final Ast.Block body;

    ThreadCode(int index, List<String> params, Ast.Block body) {
        this.index = index;
        this.params = List.copyOf(params);
        this.body = body;
    }

    /** {@code n} of {@code Pn}. */
    public int index() {
        return index;
    }

    /** The parameter names, each a shared location. */
    public List<String> params() {
        return params;
    }

    Ast.Block body() {
        return body;
    }
}
