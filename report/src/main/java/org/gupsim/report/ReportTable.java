package org.gupsim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.ScenarioSpec;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.Scenarios;

/**
 * One table of a report: the cells of one kernel and patch set, rows = architecture variants
 * (each under each memory model of the axis, {@link CellResult#who()}), columns = scenarios, in the report's order. Renderers lay it out; this class only arranges.
 *
 * @param kernel   the kernel of every cell
 * @param patches  the patch set of every cell
 * @param rows     the variants' full names, with the memory model where it is not {@code sc}
 * @param columns  the scenario column headings ({@link ScenarioSpec#label})
 * @param cells    {@code cells.get(row).get(column)}: the index into {@link ComparisonReport#cells()}
 */
public record ReportTable(KernelVersion kernel, List<Patch> patches, List<String> rows, List<String> columns,
                          List<List<Integer>> cells) {

    /** The report's tables, one per kernel and patch set, in cell order. */
    public static List<ReportTable> of(ComparisonReport report) {
        List<String> columns = report.scenarios().stream().map(ReportTable::label).toList();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, CellResult> firsts = new LinkedHashMap<>();
        for (int i = 0; i < report.cells().size(); i++) {
            CellResult c = report.cells().get(i);
            String key = c.kernel() + " " + c.patches();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            firsts.putIfAbsent(key, c);
        }
        List<ReportTable> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<String> rows = new ArrayList<>();
            List<List<Integer>> cells = new ArrayList<>();
            for (int i : g.getValue()) {
                CellResult c = report.cells().get(i);
                int row = rows.indexOf(c.who());
                if (row < 0) {
                    rows.add(c.who());
                    List<Integer> empty = new ArrayList<>();
                    for (int k = 0; k < columns.size(); k++) {
                        empty.add(-1);
                    }
                    cells.add(empty);
                    row = rows.size() - 1;
                }
                cells.get(row).set(report.scenarios().indexOf(c.scenario()), i);
            }
            CellResult first = firsts.get(g.getKey());
            out.add(new ReportTable(first.kernel(), first.patches(), rows, columns,
                    cells.stream().map(List::copyOf).toList()));
        }
        return out;
    }

    /** {@code kernel latest, no patches} or {@code kernel 6.5, patches split-rcu-flavors}. */
    public String title() {
        return "kernel " + kernel.label() + ", " + patchesText(patches);
    }

    /** {@code no patches} or {@code patches a, b}. */
    static String patchesText(List<Patch> patches) {
        return patches.isEmpty() ? "no patches"
                : "patches " + patches.stream().map(Patch::name).collect(Collectors.joining(", "));
    }

    /** The column heading of a scenario: its name and the parameters that differ from the defaults. */
    public static String label(ScenarioSpec spec) {
        Map<String, String> defaults = new LinkedHashMap<>();
        if (Scenarios.names().contains(spec.name())) {
            Scenario s = Scenarios.get(spec.name());
            for (ScenarioParam p : s.params()) {
                defaults.put(p.name(), p.defaultValue());
            }
        }
        return spec.label(defaults);
    }
}
