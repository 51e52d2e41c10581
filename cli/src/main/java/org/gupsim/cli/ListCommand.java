package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.report.Json;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gupsim list}: what {@code explore} and {@code replay} accept — scenarios with their
 * parameters, architectures with their variants, kernels with their features and what changed
 * from the kernel before, every feature's history, patches and strategies — in catalogue order,
 * as text or one JSON object.
 */
@Command(name = "list", sortOptions = false,
        description = {"List the scenarios (with parameters), architectures (with variants), kernels (with "
                + "their features and what changed from the kernel before), features, patches and strategies that "
                + "explore and replay accept.", ""},
        footer = {"",
            "JSON fields: scenarios (name, description, cpus, params: name, default, allowed, description), "
                    + "architectures (name, aliases, description, options: name, description, variants: name, "
                    + "defaultFor (kernels), shootdown, tableFreeing, pageSizes), kernels (label, release, default, "
                    + "description, previous, features and changes: name, value, description, source, release), "
                    + "features (name, description, values: value, description, source, release), patches (name, "
                    + "description, change, commit, sets: feature, value, description, source, release), "
                    + "strategies (name, description)."})
final class ListCommand implements Callable<Integer> {
    /** The strategies with one line each, in {@link StrategyOptions#NAMES} order. */
    static final List<String[]> STRATEGIES = List.of(
            new String[] {"exhaustive", "depth-first search of every interleaving with dynamic partial-order "
                    + "reduction; --preemption-bound N bounds preemptions (reduction off); --schedules N caps it "
                    + "(default " + ExploreOptions.DEFAULTS.maxSchedules() + ")"},
            new String[] {"random", "seeded random walk: --seed N (default " + StrategyOptions.DEFAULT_SEED
                    + "), --schedules N (default " + StrategyOptions.DEFAULT_SAMPLED_SCHEDULES + ")"},
            new String[] {"pct", "probabilistic concurrency testing: --seed N (default " + StrategyOptions.DEFAULT_SEED
                    + "), --depth D (default " + StrategyOptions.DEFAULT_DEPTH + "), --schedules N (default "
                    + StrategyOptions.DEFAULT_SAMPLED_SCHEDULES + ")"});

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(toJson());
        } else {
            out.print(toText());
        }
        out.flush();
        return Main.EXIT_OK;
    }

    static String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Scenarios (gupsim explore SCENARIO [--param KEY=VALUE]...):\n");
        for (Scenario s : Scenarios.all()) {
            sb.append("  ").append(s.name()).append(" (").append(s.cpus()).append(s.cpus() == 1 ? " CPU" : " CPUs")
                    .append(")\n");
            sb.append("      ").append(s.description()).append('\n');
            for (ScenarioParam p : s.params()) {
                sb.append("      --param ").append(p.name()).append('=').append(p.valuesText())
                        .append("  ").append(p.description()).append(" (default ").append(p.defaultValue())
                        .append(")\n");
            }
        }
        sb.append("Architectures (--arch ARCH[:VARIANT[+OPTION...]]):\n");
        ArchRegistry registry = ArchRegistry.load();
        for (Architecture a : registry.architectures()) {
            sb.append("  ").append(a.name())
                    .append(a.aliases().isEmpty() ? "" : " (or " + String.join(", ", a.aliases()) + ")")
                    .append("  ").append(a.description()).append('\n');
            List<String> names = registry.variants(a);
            List<String> labels = new ArrayList<>();
            for (String v : names) {
                labels.add(v + defaultNote(a, v));
            }
            int w = labels.stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < labels.size(); i++) {
                ArchVariant v = registry.variant(a, names.get(i), KernelVersion.LATEST);
                sb.append("    ").append(labels.get(i)).append(" ".repeat(w - labels.get(i).length()))
                        .append("  shootdown ").append(v.shootdown()).append(", tables freed ")
                        .append(v.tableFreeing()).append(", page sizes ").append(String.join(" ", v.pageSizeNames()))
                        .append(", kernels ").append(kernelsText(v))
                        .append('\n');
            }
            if (!a.options().isEmpty()) {
                sb.append("    options:\n");
                int ow = a.options().stream().mapToInt(String::length).max().orElse(0);
                for (String o : a.options()) {
                    sb.append("      +").append(o).append(" ".repeat(ow - o.length())).append("  ")
                            .append(a.optionDescription(o)).append('\n');
                }
            }
        }
        KernelListing.text(sb);
        sb.append("Strategies (--strategy S, default exhaustive):\n");
        for (String[] s : STRATEGIES) {
            sb.append("  ").append(s[0]).append(" ".repeat("exhaustive".length() - s[0].length())).append("  ")
                    .append(s[1]).append('\n');
        }
        return sb.toString();
    }

    static String toJson() {
        ObjectNode json = Json.object();
        ArrayNode scenarios = json.putArray("scenarios");
        for (Scenario s : Scenarios.all()) {
            ObjectNode so = scenarios.addObject().put("name", s.name()).put("description", s.description())
                    .put("cpus", s.cpus());
            ArrayNode params = so.putArray("params");
            for (ScenarioParam p : s.params()) {
                ObjectNode po = params.addObject().put("name", p.name()).put("default", p.defaultValue());
                po.set("allowed", Json.strings(p.allowed()));
                po.put("syntax", p.freeForm() == null ? null : p.freeForm().metavar())
                        .put("description", p.description());
            }
        }
        ArrayNode arches = json.putArray("architectures");
        ArchRegistry registry = ArchRegistry.load();
        for (Architecture a : registry.architectures()) {
            ObjectNode ao = arches.addObject().put("name", a.name());
            ao.set("aliases", Json.strings(a.aliases()));
            ao.put("description", a.description());
            ArrayNode options = ao.putArray("options");
            for (String o : a.options()) {
                options.addObject().put("name", o).put("description", a.optionDescription(o));
            }
            ArrayNode variants = ao.putArray("variants");
            for (String name : registry.variants(a)) {
                ArchVariant v = registry.variant(a, name, KernelVersion.LATEST);
                ObjectNode vo = variants.addObject().put("name", name);
                vo.set("defaultFor", Json.strings(defaultFor(a, name)));
                vo.put("shootdown", v.shootdown().name()).put("tableFreeing", v.tableFreeing().name())
                        .set("pageSizes", Json.strings(v.pageSizeNames()));
                vo.set("kernels", Json.strings(availableOn(v)));
                ObjectNode withPatch = vo.putObject("kernelsWithPatch");
                for (Patch p : patchesBringing(v)) {
                    List<String> ks = new ArrayList<>();
                    for (KernelVersion k : KernelVersion.values()) {
                        if (has(v, k, p)) {
                            ks.add(k.label());
                        }
                    }
                    withPatch.set(p.name(), Json.strings(ks));
                }
            }
        }
        json.set("kernels", KernelListing.kernels());
        json.set("features", KernelListing.features());
        json.set("patches", KernelListing.patches());
        ArrayNode strategies = json.putArray("strategies");
        for (String[] s : STRATEGIES) {
            strategies.addObject().put("name", s[0]).put("description", s[1]);
        }
        return Json.line(json);
    }

    /**
     * {@code from 6.15}, or for a variant no release has, the patches that bring it:
     * {@code none released; with --patch intel-rar from 6.15}.
     */
    private static String kernelsText(ArchVariant v) {
        String runs = kernelRuns(k -> v.unavailableOn(k).isEmpty());
        for (Patch p : patchesBringing(v)) {
            runs += (runs.equals("none") ? " released; with --patch " : "; with --patch ") + p.name() + " "
                    + kernelRuns(k -> has(v, k, p));
        }
        return runs;
    }

    /** The patches of the catalogue that give some kernel {@code v} where the kernel alone lacks it. */
    private static List<Patch> patchesBringing(ArchVariant v) {
        List<Patch> out = new ArrayList<>();
        for (Patch p : KernelCatalogue.get().patches()) {
            for (KernelVersion k : KernelVersion.values()) {
                if (v.unavailableOn(k).isPresent() && has(v, k, p)) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /** Whether {@code k} with {@code p} has {@code v} ({@code p} applying to {@code k}). */
    private static boolean has(ArchVariant v, KernelVersion k, Patch p) {
        return p.whyNotApplicable(k).isEmpty() && v.unavailableOn(k.with(p)).isEmpty();
    }

    /** The kernels that have {@code v}, in version order. */
    private static List<String> availableOn(ArchVariant v) {
        List<String> out = new ArrayList<>();
        for (KernelVersion k : KernelVersion.values()) {
            if (v.unavailableOn(k).isEmpty()) {
                out.add(k.label());
            }
        }
        return out;
    }

    /**
     * The kernels for which {@code has} holds, as runs in version order: {@code all}, {@code before
     * 6.15}, {@code from 6.15}, {@code 6.5..6.10}, {@code none}.
     */
    static String kernelRuns(java.util.function.Predicate<KernelVersion> has) {
        KernelVersion[] ks = KernelVersion.values();
        List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < ks.length) {
            if (!has.test(ks[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < ks.length && has.test(ks[j + 1])) {
                j++;
            }
            if (i == 0 && j == ks.length - 1) {
                runs.add("all");
            } else if (i == 0) {
                runs.add("before " + ks[j + 1].label());
            } else if (j == ks.length - 1) {
                runs.add("from " + ks[i].label());
            } else {
                runs.add(i == j ? ks[i].label() : ks[i].label() + ".." + ks[j].label());
            }
            i = j + 1;
        }
        return runs.isEmpty() ? "none" : String.join(", ", runs);
    }

    /** The kernels for which {@code variant} is the default, in version order. */
    private static List<String> defaultFor(Architecture a, String variant) {
        List<String> out = new ArrayList<>();
        for (KernelVersion k : KernelVersion.values()) {
            if (a.defaultVariant(k).equals(variant)) {
                out.add(k.label());
            }
        }
        return out;
    }

    /**
     * {@code " (default before 6.15)"}, {@code " (default from 6.15)"}, {@code " (default)"},
     * {@code " (default for 6.5..6.10)"}, or empty: when {@code variant} is the default, over one
     * run of kernel versions.
     */
    static String defaultNote(Architecture a, String variant) {
        String runs = kernelRuns(k -> a.defaultVariant(k).equals(variant));
        if (runs.equals("none")) {
            return "";
        }
        if (runs.equals("all")) {
            return " (default)";
        }
        // "from 6.15" reads "default from 6.15"; a middle run "6.5..6.10" reads "default for 6.5..6.10".
        return " (" + java.util.Arrays.stream(runs.split(", "))
                .map(r -> r.startsWith("before ") || r.startsWith("from ") ? "default " + r : "default for " + r)
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }
}
