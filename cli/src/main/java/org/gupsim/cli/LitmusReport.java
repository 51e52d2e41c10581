package org.gupsim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.gupsim.litmus.LitmusResult;
import org.gupsim.litmus.StateVar;
import org.gupsim.litmus.Value;

/** Renders litmus results: herd7's text block, one JSON object, and the verdict table. */
final class LitmusReport {
    private static final JsonFactory FACTORY = new JsonFactory();

    private LitmusReport() {
    }

    /** herd7's output for one test (without its Time and Hash lines, which are not deterministic), after a Model line. */
    static String herd(LitmusResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model ").append(r.model()).append('\n');
        sb.append("Test ").append(r.test()).append(' ').append(r.quantifier().kind()).append('\n');
        sb.append("States ").append(r.states().size()).append('\n');
        for (Map<StateVar, Value> s : r.states()) {
            sb.append(r.stateText(s)).append('\n');
        }
        sb.append(r.validated() ? "Ok" : "No").append('\n');
        sb.append("Witnesses\n");
        sb.append("Positive: ").append(r.positive()).append(" Negative: ").append(r.negative()).append('\n');
        sb.append("Condition ").append(r.condition()).append('\n');
        sb.append("Observation ").append(r.test()).append(' ').append(r.result()).append(' ')
                .append(r.positive()).append(' ').append(r.negative()).append('\n');
        return sb.toString();
    }

    /** One JSON object on one line, members in a fixed order. */
    static String json(LitmusResult r, String file) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("test", r.test());
            g.writeStringField("file", file);
            g.writeStringField("model", r.model());
            g.writeStringField("result", r.result());
            g.writeStringField("kind", r.quantifier().kind());
            g.writeBooleanField("validated", r.validated());
            g.writeStringField("condition", r.condition());
            g.writeArrayFieldStart("observed");
            for (StateVar v : r.observed()) {
                g.writeString(v.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("states");
            for (Map<StateVar, Value> s : r.states()) {
                g.writeStartObject();
                for (Map.Entry<StateVar, Value> e : s.entrySet()) {
                    g.writeStringField(e.getKey().toString(), e.getValue().toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("positive", r.positive());
            g.writeNumberField("negative", r.negative());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Rows are tests, columns models, cells verdict words. */
    static String table(List<List<LitmusResult>> rows, List<String> models) {
        int first = "test".length();
        for (List<LitmusResult> row : rows) {
            first = Math.max(first, row.get(0).test().length());
        }
        int[] widths = new int[models.size()];
        for (int c = 0; c < models.size(); c++) {
            widths[c] = Math.max(models.get(c).length(), "Sometimes".length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("test", first));
        for (int c = 0; c < models.size(); c++) {
            sb.append("  ").append(pad(models.get(c), widths[c]));
        }
        sb.append('\n').append("-".repeat(first));
        for (int w : widths) {
            sb.append("  ").append("-".repeat(w));
        }
        sb.append('\n');
        for (List<LitmusResult> row : rows) {
            sb.append(pad(row.get(0).test(), first));
            for (int c = 0; c < row.size(); c++) {
                sb.append("  ").append(pad(row.get(c).result(), widths[c]));
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
