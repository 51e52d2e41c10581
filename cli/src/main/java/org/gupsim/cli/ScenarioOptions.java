package org.gupsim.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.lang3.StringUtils;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.scenario.MemoryModelChoice;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.Scenarios;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options that choose what to explore, shared by {@code explore} and {@code replay}:
 * {@code SCENARIO}, {@code --param KEY=VALUE}... and {@code --memory-model sc|tso|arm64|power|arch}.
 * Mixed in with
 * {@code @Mixin} next to {@link MachineOptions}; {@link #resolve} turns both into a
 * {@link ScenarioChoice} or a {@link UsageException}.
 */
public final class ScenarioOptions {

    /** Optional for picocli, checked in {@link #resolve}, so that an unknown option is reported first. */
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", completionCandidates = ScenarioNames.class,
            description = "The scenario: ${COMPLETION-CANDIDATES} (see gupsim list).")
    String scenario;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "Set a scenario parameter (repeatable); gupsim list shows each scenario's "
                    + "parameters, defaults and allowed values.")
    List<String> params = new ArrayList<>();

    @Option(names = "--memory-model", paramLabel = "M", completionCandidates = MemoryModelWords.class,
            description = "The memory model the CPUs follow: sc (sequential consistency, the default), tso, arm64, "
                    + "power, or arch (each architecture's own: tso for x86_64 and s390, arm64, power for ppc64), "
                    + "explored with store buffers (docs/memory-models.md says what they can and cannot show).")
    String memoryModel;

    /**
     * Checks the scenario and its parameters, and the machine options (patches included).
     *
     * @throws UsageException naming the flag or argument and the allowed values
     */
    public ScenarioChoice resolve(MachineOptions machine) {
        if (scenario == null) {
            throw new UsageException("SCENARIO is required (allowed: " + String.join(", ", Scenarios.names()) + ")");
        }
        if (!Scenarios.names().contains(scenario)) {
            throw new UsageException("SCENARIO " + scenario + " is not known (allowed: "
                    + String.join(", ", Scenarios.names()) + ")");
        }
        Scenario s = Scenarios.get(scenario);
        TreeMap<String, String> given = new TreeMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            List<String> keys = s.params().stream().map(ScenarioParam::name).toList();
            if (eq < 0) {
                throw new UsageException("--param " + p + " is not of the form KEY=VALUE (keys of " + s.name()
                        + ": " + String.join(", ", keys) + ")");
            }
            String key = p.substring(0, eq);
            String value = p.substring(eq + 1);
            ScenarioParam sp = s.params().stream().filter(x -> x.name().equals(key)).findFirst().orElseThrow(
                    () -> new UsageException("--param " + p + ": " + key + " is not a parameter of " + s.name()
                            + " (allowed: " + String.join(", ", keys) + ")"));
            if (!sp.accepts(value)) {
                throw new UsageException("--param " + p + ": " + key + " must be " + sp.expected()
                        + " (default: " + sp.defaultValue() + ")");
            }
            if (given.containsKey(key) && !given.get(key).equals(value)) {
                throw new UsageException("--param " + key + " is given twice: " + given.get(key) + " and " + value);
            }
            given.put(key, value);
        }
        MachineOptions.Machine mach = machine.archGiven() ? machine.resolve() : firstArchThatRuns(s, machine);
        try {
            s.checkArch(mach.arch());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--arch " + mach.arch().fullName() + ": " + e.getMessage());
        }
        TreeMap<String, String> resolved;
        try {
            resolved = new TreeMap<>(s.resolve(given));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--param: " + e.getMessage());
        }
        return new ScenarioChoice(s, resolved, mach, memoryModelChoice(memoryModel));
    }

    /**
     * The {@code --memory-model} value, sequential consistency when not given.
     *
     * @throws UsageException naming the flag and the allowed values
     */
    static MemoryModelChoice memoryModelChoice(String value) {
        if (value == null) {
            return MemoryModelChoice.SC;
        }
        return MemoryModelChoice.parse(value).orElseThrow(() -> new UsageException("--memory-model '"
                + StringUtils.abbreviate(value, 40) + "' is not known (allowed: "
                + String.join(", ", MemoryModelChoice.words()) + ")"));
    }

    /** For picocli's help and error messages. */
    static final class MemoryModelWords implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return MemoryModelChoice.words().iterator();
        }
    }

    /**
     * Without {@code --arch}: {@link MachineOptions#DEFAULT_ARCH} if the scenario runs there, else
     * the first registered architecture (in name order, as {@code gupsim list} shows them) whose
     * default variant it accepts; if none does, the default, so that its refusal is reported.
     */
    private static MachineOptions.Machine firstArchThatRuns(Scenario s, MachineOptions machine) {
        MachineOptions.Machine dflt = machine.resolve();
        if (runs(s, dflt)) {
            return dflt;
        }
        for (String name : ArchRegistry.load().names()) {
            MachineOptions.Machine m = machine.resolve(name);
            if (runs(s, m)) {
                return m;
            }
        }
        return dflt;
    }

    private static boolean runs(Scenario s, MachineOptions.Machine m) {
        try {
            s.checkArch(m.arch());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** For picocli's help and error messages. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Scenarios.names().iterator();
        }
    }

}
