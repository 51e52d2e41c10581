package org.gupsim.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.Violation;

/**
 * The report model as JSON, written field by field with Jackson's streaming generator in a fixed
 * order, indented with two spaces and {@code \n}: the same report gives the same bytes on every
 * machine. Wall times are added only when asked for ({@code wallMillis} per cell and in all).
 *
 * <p>Fields: {@code scenarios} (name, params), {@code archs}, {@code kernels}, {@code mutantSets},
 * the search ({@code strategy} exhaustive|random|pct as {@code --strategy} takes it, {@code seed}
 * and {@code depth} or null, {@code preemptionBound} or null, {@code budgetSeconds},
 * {@code scheduleCap}), {@code cells} (scenario, params, arch, variant, kernel, mutants,
 * mechanisms {flushStyle, tableFreeing, pageSize, levels, options}, verdict
 * SAFE|VIOLATION|DEADLOCK|NOT_APPLICABLE, reason, exhausted, preemptionBound or null, schedules,
 * pruned, outOfBudget (executions cut off by the step budget), outcomes, violations, violation {kind, subject, message} or null, summary, text, trace
 * number or null), {@code disagreements} (scenario, params, kernel, mutants, groups {verdict,
 * variants, cells}, mechanisms, alsoDiffer, unrelated), {@code traces} (number, cell, violation,
 * schedule, replay, threads, rows {step, thread, function, access, object, note}, violationStep,
 * outcome).
 */
public final class JsonReport {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {
    }

    /** The report as one JSON object, ending in a newline. */
    public static String render(ComparisonReport report, boolean timings) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));
            write(g, report, timings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void write(JsonGenerator g, ComparisonReport r, boolean timings) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("scenarios");
        for (ScenarioSpec s : r.scenarios()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            map(g, "params", s.params());
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "archs", r.archs());
        g.writeArrayFieldStart("kernels");
        for (var k : r.kernels()) {
            g.writeString(k.label());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("mutantSets");
        for (List<Patch> m : r.patchSets()) {
            mutants(g, m);
        }
        g.writeEndArray();
        Search s = r.search();
        g.writeStringField("strategy", s.strategy());
        nullable(g, "seed", s.seed());
        nullable(g, "depth", s.depth() == null ? null : s.depth().longValue());
        bound(g, s.preemptionBound());
        g.writeNumberField("budgetSeconds", s.budgetSeconds());
        g.writeNumberField("scheduleCap", s.scheduleCap());
        if (timings) {
            g.writeNumberField("wallMillis", r.wallTime().toMillis());
        }
        g.writeArrayFieldStart("cells");
        for (CellResult c : r.cells()) {
            cell(g, c, timings);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("disagreements");
        for (Disagreement d : r.disagreements()) {
            disagreement(g, d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("traces");
        for (NumberedTrace t : r.traces()) {
            trace(g, t);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void cell(JsonGenerator g, CellResult c, boolean timings) throws IOException {
        g.writeStartObject();
        g.writeStringField("scenario", c.scenario().name());
        map(g, "params", c.scenario().params());
        g.writeStringField("arch", c.arch());
        g.writeStringField("variant", c.variant());
        g.writeStringField("kernel", c.kernel().label());
        g.writeFieldName("mutants");
        mutants(g, c.patches());
        Mechanisms m = c.mechanisms();
        g.writeObjectFieldStart("mechanisms");
        g.writeStringField("flushStyle", m.shootdown().name());
        g.writeStringField("tableFreeing", m.tableFreeing().name());
        g.writeNumberField("pageSize", 1L << m.pageShift());
        g.writeNumberField("levels", m.levels());
        strings(g, "options", m.options());
        g.writeEndObject();
        g.writeStringField("verdict", c.verdict().name());
        g.writeStringField("reason", c.reason());
        g.writeBooleanField("exhausted", c.exhausted());
        bound(g, c.preemptionBound());
        g.writeNumberField("schedules", c.schedules());
        g.writeNumberField("pruned", c.pruned());
        g.writeNumberField("outOfBudget", c.outOfBudget());
        counts(g, "outcomes", c.outcomes());
        counts(g, "violations", c.violations());
        violation(g, c.violation());
        g.writeStringField("summary", c.summary());
        g.writeStringField("text", c.text());
        if (c.trace() > 0) {
            g.writeNumberField("trace", c.trace());
        } else {
            g.writeNullField("trace");
        }
        if (timings) {
            g.writeNumberField("wallMillis", c.wallTime().toMillis());
        }
        g.writeEndObject();
    }

    private static void disagreement(JsonGenerator g, Disagreement d) throws IOException {
        g.writeStartObject();
        g.writeStringField("scenario", d.scenario().name());
        map(g, "params", d.scenario().params());
        g.writeStringField("kernel", d.kernel().label());
        g.writeFieldName("mutants");
        mutants(g, d.patches());
        g.writeArrayFieldStart("groups");
        for (Disagreement.Group gr : d.groups()) {
            g.writeStartObject();
            g.writeStringField("verdict", gr.verdictClass());
            strings(g, "variants", gr.variants());
            g.writeArrayFieldStart("cells");
            for (int i : gr.cells()) {
                g.writeNumber(i);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "mechanisms", d.mechanisms().stream().map(Mechanism::name).toList());
        strings(g, "alsoDiffer", d.alsoDiffer().stream().map(Mechanism::name).toList());
        strings(g, "unrelated", d.unrelated().stream().map(Mechanism::name).toList());
        g.writeEndObject();
    }

    private static void trace(JsonGenerator g, NumberedTrace t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("number", t.number());
        g.writeNumberField("cell", t.cell());
        violation(g, t.violation());
        g.writeStringField("schedule", t.schedule());
        g.writeStringField("replay", t.replay());
        Trace tr = t.trace();
        strings(g, "threads", tr.threads());
        g.writeArrayFieldStart("rows");
        for (TraceRow row : tr.rows()) {
            g.writeStartObject();
            g.writeNumberField("step", row.step());
            g.writeStringField("thread", tr.threads().get(row.thread()));
            g.writeStringField("function", row.function());
            g.writeStringField("access", row.access() == null ? null : row.access().name());
            g.writeStringField("object", row.object());
            g.writeStringField("note", row.note());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("violationStep", tr.violationStep());
        g.writeStringField("outcome", tr.outcome());
        g.writeEndObject();
    }

    private static void violation(JsonGenerator g, Violation v) throws IOException {
        if (v == null) {
            g.writeNullField("violation");
            return;
        }
        g.writeObjectFieldStart("violation");
        g.writeStringField("kind", v.kind().name());
        g.writeStringField("subject", v.subject());
        g.writeStringField("message", v.message());
        g.writeEndObject();
    }

    private static void nullable(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    /** A preemption bound, null for none (-1 in the model). */
    private static void bound(JsonGenerator g, int preemptionBound) throws IOException {
        nullable(g, "preemptionBound", preemptionBound < 0 ? null : (long) preemptionBound);
    }

    /** Patches, under the field names reports have always used ({@code mutants}). */
    private static void mutants(JsonGenerator g, List<Patch> patches) throws IOException {
        g.writeStartArray();
        for (Patch p : patches) {
            g.writeString(p.name());
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String field, Iterable<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void map(JsonGenerator g, String field, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : values.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, String field, Map<String, Long> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Long> e : values.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
