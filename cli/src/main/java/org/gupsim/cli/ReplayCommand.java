package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.gupsim.explore.Schedule;
import org.gupsim.explore.Trace;
import org.gupsim.explore.Verdict;
import org.gupsim.report.Json;
import org.gupsim.report.TraceJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gupsim replay}: runs one recorded schedule of a scenario and prints its trace. */
@Command(name = "replay", sortOptions = false,
        customSynopsis = {
            "gupsim replay SCENARIO --schedule S [--arch A[:V]] [--kernel K]",
            "              [--patch P[+P...]]... [--param k=v]... [--memory-model sc|tso|arm64|power|arch]",
            "              [--json]"},
        description = {
            "Replay one schedule of a scenario, as printed by 'gupsim explore', and print its trace.",
            "",
            "A schedule is the sequence of threads that ran, run-length encoded: '0x11,1x28,0x3' means thread 0 "
                    + "(CPU0) ran 11 steps, then thread 1 (CPU1) 28, then CPU0 3. Past its end the execution "
                    + "runs on without preemption. With the same scenario, parameters, machine and patches the "
                    + "trace is identical to the one explore printed.",
            ""},
        footer = {"",
            "Exit codes: 0 the execution is safe, 1 it ends in a violation or deadlock, 2 bad input (including a "
                    + "schedule that does not fit the scenario).",
            "JSON fields: scenario, params, arch, variant, kernel, patches, memoryModel (unless sc: the model's "
                    + "name), verdict (SAFE|VIOLATION|DEADLOCK), "
                    + "outcome (null unless every thread finished), violation (null, or kind and message), schedule "
                    + "(the complete schedule that ran), trace (rows of step, thread, function, access, object, note)."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    /** What {@code --schedule} allows. */
    static final String SCHEDULE_ALLOWED = "a schedule printed by gupsim explore: runs THREAD[xCOUNT], "
            + "comma-separated, e.g. 0x11,1x28,0x3, at most " + Schedule.MAX_STEPS + " steps; or empty, for no "
            + "preemption";

    /** Required, checked in {@link #call} so that an unknown option is reported first. */
    @Allowed(SCHEDULE_ALLOWED)
    @Option(names = "--schedule", paramLabel = "S",
            description = "Required. The schedule to replay, e.g. 0x11,1x28,0x3.")
    String schedule;

    @Mixin
    MachineOptions machine;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ScenarioChoice what = scenario.resolve(machine);
        if (schedule == null) {
            throw new UsageException("--schedule is required (allowed: " + SCHEDULE_ALLOWED + ")");
        }
        try {
            Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule " + schedule + ": " + e.getMessage() + " (allowed: "
                    + SCHEDULE_ALLOWED + ")");
        }
        Trace trace;
        try {
            trace = what.exploration().replay(schedule);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule " + schedule + " does not fit " + what.scenario().name()
                    + " on these options: " + e.getMessage() + " (allowed: a schedule explore printed for the same "
                    + "scenario, parameters, machine and mutants)");
        }
        Verdict verdict = VerdictText.verdictOf(trace.violation());
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(toJson(what, trace, verdict));
        } else {
            out.println("replay " + what.describe() + "; schedule "
                    + (schedule.isBlank() ? "(empty: no preemption)" : schedule));
            out.println(verdict == Verdict.SAFE ? "SAFE (outcome " + trace.outcome() + ")"
                    : VerdictText.violationLine(verdict, trace.violation()));
            out.println();
            out.print(trace.render());
        }
        out.flush();
        return verdict == Verdict.SAFE ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static String toJson(ScenarioChoice what, Trace trace, Verdict verdict) {
        ObjectNode json = what.putInputs(Json.object())
                .put("verdict", verdict.name())
                .put("outcome", trace.outcome());
        json.set("violation", trace.violation() == null ? null : Json.object()
                .put("kind", trace.violation().kind().name())
                .put("message", trace.violation().message()));
        json.put("schedule", trace.schedule());
        json.set("trace", TraceJson.rows(trace));
        return Json.line(json);
    }
}
