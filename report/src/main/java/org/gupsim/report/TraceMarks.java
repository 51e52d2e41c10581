package org.gupsim.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.sched.Access;

/**
 * The two steps of a violating trace a reader looks for first: the faulting access (the step
 * during which the violation was reported) and the step that freed what it touched.
 *
 * <p>The freeing step is found from the rows, not from the message: it is the last
 * {@link Access#FREE} before the fault of the same object as the faulting row (the object key
 * without its {@code [index]}: a fault on {@code "pte table @0x4000[511]"} pairs with a free of
 * {@code "pte table @0x4000"}). When no row frees that object (a violation whose faulting
 * access does not name the freed object), the message's {@code "freed by FUNCTION"} names the
 * function, and the last FREE by it before the fault is taken.
 *
 * @param faultStep the step of the faulting access, or 0 when the violation was not reported
 *                  during a step (deadlock, leak, final checks) or the trace has none
 * @param freeStep  the step that freed the object the fault touched, or 0 when there is none
 */
public record TraceMarks(int faultStep, int freeStep) {

    private static final Pattern INDEX = Pattern.compile("\\[\\d+]$");
    private static final Pattern FREED_BY = Pattern.compile("freed by ([A-Za-z0-9_]+)");

    public TraceMarks {
        Validate.isTrue(faultStep >= 0, "faultStep must be >= 0, got %d", faultStep);
        Validate.isTrue(freeStep >= 0, "freeStep must be >= 0, got %d", freeStep);
    }

    /** The marks of {@code trace}; both 0 for a trace without a violation. */
    public static TraceMarks of(Trace trace) {
        Validate.isTrue(trace != null, "trace must not be null");
        if (trace.violation() == null || trace.violationStep() == 0) {
            return new TraceMarks(0, 0);
        }
        TraceRow fault = null;
        for (TraceRow r : trace.rows()) {
            if (r.step() == trace.violationStep()) {
                fault = r;
            }
        }
        if (fault == null) {
            return new TraceMarks(0, 0);
        }
        int free = lastFreeBefore(trace.rows(), fault.step(), objectKey(fault.object()), null);
        if (free == 0) {
            Matcher m = FREED_BY.matcher(trace.violation().message());
            if (m.find()) {
                free = lastFreeBefore(trace.rows(), fault.step(), null, m.group(1));
            }
        }
        return new TraceMarks(fault.step(), free);
    }

    /** The object a row names, without the entry index: {@code "pmd table @0x3000[511]"} → {@code "pmd table @0x3000"}. */
    static String objectKey(String object) {
        return object == null ? null : INDEX.matcher(object).replaceFirst("");
    }

    private static int lastFreeBefore(List<TraceRow> rows, int before, String object, String function) {
        int found = 0;
        for (TraceRow r : rows) {
            if (r.step() >= before || r.access() != Access.FREE) {
                continue;
            }
            boolean match = object != null ? object.equals(objectKey(r.object())) : r.function().equals(function);
            if (match) {
                found = r.step();
            }
        }
        return found;
    }
}
