package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gupsim.compare.ReplayLine;
import org.gupsim.kernel.Patch;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.report.Json;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.MemoryModelChoice;
import org.gupsim.scenario.Scenario;

/**
 * A checked choice of what to explore: scenario, parameters, machine (its kernel with patches) and
 * memory model.
 *
 * @param scenario    the scenario
 * @param params      every parameter, defaults filled in, sorted by name
 * @param machine     architecture variant and kernel, patches included
 * @param memoryModel sequential consistency, a named model, or the architecture's own
 */
record ScenarioChoice(Scenario scenario, SortedMap<String, String> params, MachineOptions.Machine machine,
                      MemoryModelChoice memoryModel) {

    ScenarioChoice {
        params = new TreeMap<>(params);
    }

    /** The model the CPUs follow. */
    MemoryModel model() {
        return memoryModel.resolve(machine.arch());
    }

    /** The question for the explorer. */
    Exploration exploration() {
        return new Exploration(scenario, params, machine.arch(), machine.kernel(), model());
    }

    /**
     * {@code gup-fast-vs-munmap (backing=anon, pages=1) on x86_64:native-rcu, kernel latest, no patches},
     * then {@code , memory model tso} unless it is sequential consistency ({@code sc}).
     */
    String describe() {
        List<String> ps = scenario.describeParams(params);
        return scenario.name() + (ps.isEmpty() ? "" : " (" + String.join(", ", ps) + ")")
                + " on " + machine.arch().fullName() + ", kernel " + machine.kernel().label() + ", "
                + (names().isEmpty() ? "no patches" : "patches: " + String.join(", ", names()))
                + (memoryModel.sequential() ? "" : ", memory model " + model().name());
    }

    /**
     * Adds scenario, params, arch, variant, kernel and patches to {@code json}, and
     * {@code memoryModel} (the model's name) unless it is sequential consistency.
     */
    ObjectNode putInputs(ObjectNode json) {
        json.put("scenario", scenario.name());
        params.forEach(json.putObject("params")::put);
        json.put("arch", machine.arch().architecture().name())
                .put("variant", machine.arch().name())
                .put("kernel", machine.kernel().label())
                .set("patches", Json.strings(names()));
        if (!memoryModel.sequential()) {
            json.put("memoryModel", model().name());
        }
        return json;
    }

    /**
     * The command line that replays {@code schedule} on this choice: the variant and kernel spelled
     * out (the default variant depends on the kernel), the parameters that differ from their
     * defaults, the patches, all in a canonical order.
     */
    String replayCommand(String schedule) {
        return ReplayLine.of(scenario, params, machine.arch().fullName(), machine.kernel(), memoryModel,
                schedule);
    }

    private List<String> names() {
        return machine.kernel().patches().stream().map(Patch::name).toList();
    }
}
