package org.gupsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;

/**
 * The JSON layout of a trace's steps, defined once for every command that prints a trace as JSON
 * (the comparison report's {@code traces[].rows}, {@code explore --json}'s and
 * {@code replay --json}'s {@code trace}).
 */
public final class TraceJson {
    private TraceJson() {
    }

    /**
     * One object per step: {@code step}, {@code thread} (its name, e.g. CPU0 or RCU),
     * {@code function}, {@code access} (null for a wait on an unknown object), {@code object},
     * {@code note} (null unless the thread had waited).
     */
    public static ArrayNode rows(Trace trace) {
        Validate.isTrue(trace != null, "trace must not be null");
        ArrayNode rows = Json.array();
        for (TraceRow r : trace.rows()) {
            rows.addObject()
                    .put("step", r.step())
                    .put("thread", trace.threads().get(r.thread()))
                    .put("function", r.function())
                    .put("access", r.access() == null ? null : r.access().name())
                    .put("object", r.object())
                    .put("note", r.note());
        }
        return rows;
    }
}
