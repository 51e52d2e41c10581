package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gupsim.compare.ReplayLine;
import org.gupsim.kernel.Patch;
import org.gupsim.report.Json;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenario;

/**
 * A checked choice of what to explore: scenario, parameters and machine (its kernel with patches).
 *
 * @param scenario the scenario
 * @param params   every parameter, defaults filled in, sorted by name
 * @param machine  architecture variant and kernel, patches included
 */
record ScenarioChoice(Scenario scenario, SortedMap<String, String> params, MachineOptions.Machine machine) {

    ScenarioChoice {
        params = new TreeMap<>(params);
    }

    /** The question for the explorer. */
    Exploration exploration() {
        return new Exploration(scenario, params, machine.arch(), machine.kernel());
    }

    /** {@code gup-fast-vs-munmap (backing=anon, pages=1) on x86_64:native-rcu, kernel latest, no patches}. */
    String describe() {
        List<String> ps = scenario.describeParams(params);
        return scenario.name() + (ps.isEmpty() ? "" : " (" + String.join(", ", ps) + ")")
                + " on " + machine.arch().fullName() + ", kernel " + machine.kernel().label() + ", "
                + (names().isEmpty() ? "no patches" : "patches: " + String.join(", ", names()));
    }

    /** Adds scenario, params, arch, variant, kernel and patches to {@code json}. */
    ObjectNode putInputs(ObjectNode json) {
        json.put("scenario", scenario.name());
        params.forEach(json.putObject("params")::put);
        json.put("arch", machine.arch().architecture().name())
                .put("variant", machine.arch().name())
                .put("kernel", machine.kernel().label())
                .set("patches", Json.strings(names()));
        return json;
    }

    /**
     * The command line that replays {@code schedule} on this choice: the variant and kernel spelled
     * out (the default variant depends on the kernel), the parameters that differ from their
     * defaults, the patches, all in a canonical order.
     */
    String replayCommand(String schedule) {
        return ReplayLine.of(scenario, params, machine.arch().fullName(), machine.kernel(), schedule);
    }

    private List<String> names() {
        return machine.kernel().patches().stream().map(Patch::name).toList();
    }
}
