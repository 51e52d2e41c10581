package org.gupsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.Mechanism;
import org.gupsim.compare.Mechanisms;
import org.gupsim.compare.NumberedTrace;
import org.gupsim.compare.ScenarioSpec;
import org.gupsim.compare.Search;
import org.gupsim.explore.Trace;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.Violation;

/**
 * The report model as JSON, built member by member in a fixed order and written by {@link Json}
 * indented with two spaces and {@code \n}: the same report gives the same bytes on every machine.
 * Wall times are added only when asked for ({@code wallMillis} per cell and in all).
 *
 * <p>Fields: {@code scenarios} (name, params), {@code archs}, {@code kernels}, {@code patchSets},
 * the search ({@code strategy} exhaustive|random|pct as {@code --strategy} takes it, {@code seed}
 * and {@code depth} or null, {@code preemptionBound} or null, {@code budgetSeconds},
 * {@code scheduleCap}), {@code memoryModels} (only when the axis is other than {@code sc} alone: the
 * words as given), {@code cells} (scenario, params, arch, variant, kernel, patches,
 * mechanisms {flushStyle, tableFreeing, pageSize, levels, options, and memoryModel when the comparison
 * has a memory-model axis other than {@code sc} alone}, verdict
 * SAFE|VIOLATION|DEADLOCK|NOT_APPLICABLE, reason, exhausted, preemptionBound or null, schedules,
 * pruned, outOfBudget (executions cut off by the step budget), interrupted (Ctrl-C), outcomes, violations, violation
 * {kind, subject, message} or null, summary, text, trace number or null), {@code disagreements} (scenario, params, kernel, patches, groups {verdict,
 * variants, cells}, mechanisms, alsoDiffer, unrelated, and with a memory-model axis orderings: what
 * the broken cells' models relax), {@code traces} (number, cell, violation,
 * schedule, replay, threads, rows as {@link TraceJson#rows}, violationStep, outcome).
 */
public final class JsonReport extends NamedReportFormat {

    /** The format {@code --format json} selects. */
    public JsonReport() {
        super("json", "the report model as one JSON object, for scripts", false);
    }

    /** The report as one JSON object, ending in a newline. */
    @Override
    public String render(ComparisonReport report, boolean timings) {
        return Json.indented(tree(report, timings)) + "\n";
    }

    private static ObjectNode tree(ComparisonReport r, boolean timings) {
        ObjectNode o = Json.object();
        ArrayNode scenarios = o.putArray("scenarios");
        for (ScenarioSpec s : r.scenarios()) {
            ObjectNode so = scenarios.addObject().put("name", s.name());
            so.set("params", map(s.params()));
        }
        o.set("archs", Json.strings(r.archs()));
        o.set("kernels", Json.strings(r.kernels().stream().map(k -> k.label()).toList()));
        ArrayNode patchSets = o.putArray("patchSets");
        for (List<Patch> m : r.patchSets()) {
            patchSets.add(patches(m));
        }
        boolean weak = r.weakMemory();
        if (weak) {
            o.set("memoryModels", Json.strings(r.memoryModels()));
        }
        Search s = r.search();
        o.put("strategy", s.strategy());
        o.put("seed", s.seed());
        o.put("depth", s.depth() == null ? null : s.depth().longValue());
        bound(o, s.preemptionBound());
        o.put("budgetSeconds", s.budgetSeconds());
        o.put("scheduleCap", s.scheduleCap());
        if (timings) {
            o.put("wallMillis", r.wallTime().toMillis());
        }
        ArrayNode cells = o.putArray("cells");
        r.cells().forEach(c -> cells.add(cell(c, timings, weak)));
        ArrayNode disagreements = o.putArray("disagreements");
        r.disagreements().forEach(d -> disagreements.add(disagreement(d, weak)));
        ArrayNode traces = o.putArray("traces");
        r.traces().forEach(t -> traces.add(trace(t)));
        return o;
    }

    private static ObjectNode cell(CellResult c, boolean timings, boolean weak) {
        ObjectNode o = Json.object().put("scenario", c.scenario().name());
        o.set("params", map(c.scenario().params()));
        o.put("arch", c.arch()).put("variant", c.variant()).put("kernel", c.kernel().label());
        o.set("patches", patches(c.patches()));
        Mechanisms m = c.mechanisms();
        ObjectNode mo = o.putObject("mechanisms")
                .put("flushStyle", m.shootdown().name())
                .put("tableFreeing", m.tableFreeing().name())
                .put("pageSize", 1L << m.pageShift())
                .put("levels", m.levels());
        mo.set("options", Json.strings(m.options()));
        if (weak) {
            mo.put("memoryModel", m.memoryModel());
        }
        o.put("verdict", c.verdict().name()).put("reason", c.reason()).put("exhausted", c.exhausted());
        bound(o, c.preemptionBound());
        o.put("schedules", c.schedules()).put("pruned", c.pruned()).put("outOfBudget", c.outOfBudget())
                .put("interrupted", c.interrupted());
        o.set("outcomes", counts(c.outcomes()));
        o.set("violations", counts(c.violations()));
        o.set("violation", violation(c.violation()));
        o.put("summary", c.summary()).put("text", c.text());
        o.put("trace", c.trace() > 0 ? (Integer) c.trace() : null);
        if (timings) {
            o.put("wallMillis", c.wallTime().toMillis());
        }
        return o;
    }

    private static ObjectNode disagreement(Disagreement d, boolean weak) {
        ObjectNode o = Json.object().put("scenario", d.scenario().name());
        o.set("params", map(d.scenario().params()));
        o.put("kernel", d.kernel().label());
        o.set("patches", patches(d.patches()));
        ArrayNode groups = o.putArray("groups");
        for (Disagreement.Group g : d.groups()) {
            ObjectNode go = groups.addObject().put("verdict", g.verdictClass());
            go.set("variants", Json.strings(g.variants()));
            ArrayNode cells = go.putArray("cells");
            g.cells().forEach(cells::add);
        }
        o.set("mechanisms", Json.strings(d.mechanisms().stream().map(Mechanism::name).toList()));
        o.set("alsoDiffer", Json.strings(d.alsoDiffer().stream().map(Mechanism::name).toList()));
        o.set("unrelated", Json.strings(d.unrelated().stream().map(Mechanism::name).toList()));
        if (weak) {
            o.set("orderings", Json.strings(d.orderings()));
        }
        return o;
    }

    private static ObjectNode trace(NumberedTrace t) {
        ObjectNode o = Json.object().put("number", t.number()).put("cell", t.cell());
        o.set("violation", violation(t.violation()));
        o.put("schedule", t.schedule()).put("replay", t.replay());
        Trace tr = t.trace();
        o.set("threads", Json.strings(tr.threads()));
        o.set("rows", TraceJson.rows(tr));
        return o.put("violationStep", tr.violationStep()).put("outcome", tr.outcome());
    }

    private static ObjectNode violation(Violation v) {
        return v == null ? null
                : Json.object().put("kind", v.kind().name()).put("subject", v.subject()).put("message", v.message());
    }

    /** A preemption bound, null for none (-1 in the model). */
    private static void bound(ObjectNode o, int preemptionBound) {
        o.put("preemptionBound", preemptionBound < 0 ? null : (Long) (long) preemptionBound);
    }

    private static ArrayNode patches(List<Patch> patches) {
        return Json.strings(patches.stream().map(Patch::name).toList());
    }

    private static ObjectNode map(Map<String, String> values) {
        ObjectNode o = Json.object();
        values.forEach(o::put);
        return o;
    }

    private static ObjectNode counts(Map<String, Long> values) {
        ObjectNode o = Json.object();
        values.forEach(o::put);
        return o;
    }
}
