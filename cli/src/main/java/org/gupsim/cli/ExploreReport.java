package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.report.Json;
import org.gupsim.report.TraceJson;

/**
 * How {@code gupsim explore} prints a result: one JSON object (a pure function of the inputs, no
 * timings) or text for people.
 *
 * @param scenario what was explored
 * @param strategy how
 * @param result   what the explorer found
 */
record ExploreReport(ScenarioChoice scenario, StrategyChoice strategy, ExplorationResult result) {

    /** The exit code: 0 for SAFE, 1 for VIOLATION or DEADLOCK. */
    int exitCode() {
        return result.verdict() == Verdict.SAFE ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /**
     * The inputs, then {@code verdict}, {@code exhausted}, {@code schedules}, {@code pruned},
     * {@code stepBudget}, {@code outOfBudget} (executions cut off by the step budget),
     * {@code interrupted} (Ctrl-C: the result covers what ran),
     * {@code outcomes} (sorted by outcome) and {@code violation} (null when SAFE; else kind,
     * message, schedule and trace rows).
     */
    String toJson() {
        ObjectNode json = strategy.putInputs(scenario.putInputs(Json.object()))
                .put("verdict", result.verdict().name())
                .put("exhausted", result.exhausted())
                .put("schedules", result.schedules())
                .put("pruned", result.pruned())
                .put("stepBudget", result.stepBudget())
                .put("outOfBudget", result.outOfBudget())
                .put("interrupted", result.interrupted());
        result.outcomes().forEach(json.putObject("outcomes")::put);
        json.set("explanations", explanations());
        Counterexample ce = result.counterexample();
        if (ce == null) {
            json.putNull("violation");
        } else {
            json.putObject("violation")
                    .put("kind", ce.violation().kind().name())
                    .put("message", ce.violation().message())
                    .put("schedule", ce.schedule())
                    .set("trace", TraceJson.rows(ce.trace()));
        }
        return Json.line(json);
    }

    /**
     * The header, the verdict line with the wall time, the outcomes table and, for a violation,
     * the trace and the command that replays it.
     */
    String toText(String time) {
        StringBuilder sb = new StringBuilder();
        sb.append("explore ").append(scenario.describe()).append("; ").append(strategy.describe()).append('\n');
        // A search that did not cover every interleaving says "partial" first, as compare's cells do:
        // a SAFE read at a glance must never be taken for a complete one.
        String extent = (result.exhausted() ? "exhausted, " : result.interrupted() ? "partial: interrupted, "
                : "partial: not exhausted, ") + result.schedules() + " schedules";
        if (result.outOfBudget() > 0) {
            extent += ", " + result.outOfBudget() + " cut off by the step budget of " + result.stepBudget() + " steps";
        }
        Counterexample ce = result.counterexample();
        if (ce == null) {
            sb.append("SAFE (").append(extent).append(", ").append(time).append(")\n");
        } else {
            sb.append(VerdictText.violationLine(result.verdict(), ce.violation())).append('\n');
            sb.append("(found after ").append(result.schedules()).append(" schedules, ").append(time).append(")\n");
        }
        sb.append('\n').append(outcomeTable(result.outcomes()));
        for (String outcome : result.outcomes().keySet()) {
            for (String line : scenario.scenario().explain(outcome)) {
                sb.append(result.outcomes().size() > 1 ? "[" + outcome + "] " : "").append(line).append('\n');
            }
        }
        if (ce != null) {
            sb.append('\n').append(ce.trace().render());
            sb.append("replay: ").append(scenario.replayCommand(ce.schedule())).append('\n');
        }
        return sb.toString();
    }

    /** Outcome → the scenario's explanation lines, for the outcomes that have any, sorted by outcome. */
    private ObjectNode explanations() {
        ObjectNode json = Json.object();
        for (String outcome : result.outcomes().keySet()) {
            List<String> lines = scenario.scenario().explain(outcome);
            if (!lines.isEmpty()) {
                json.set(outcome, Json.strings(lines));
            }
        }
        return json;
    }

    /** Two columns, outcome and count, or a note that no execution finished. */
    static String outcomeTable(SortedMap<String, Long> outcomes) {
        if (outcomes.isEmpty()) {
            return "outcomes: none (no execution finished)\n";
        }
        int w = "outcome".length();
        int c = "count".length();
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            w = Math.max(w, e.getKey().length());
            c = Math.max(c, e.getValue().toString().length());
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w + "s  %" + c + "s\n";
        sb.append(String.format(Locale.ROOT, fmt, "outcome", "count"));
        sb.append(String.format(Locale.ROOT, fmt, "-".repeat(w), "-".repeat(c)));
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            sb.append(String.format(Locale.ROOT, fmt, e.getKey(), e.getValue()));
        }
        return sb.toString();
    }
}
