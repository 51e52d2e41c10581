package org.gupsim.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.ShardPart;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Trace;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.scenario.MemoryModelChoice;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * A comparison: the product of scenarios (with parameters) × architecture variants × kernel
 * versions × patch sets × memory models, explored cell by cell with one strategy, in parallel on a pool of
 * platform threads, into a {@link ComparisonReport}.
 *
 * <pre>{@code
 * ComparisonReport r = Comparison.builder()
 *         .scenario("gup-fast-vs-evict")
 *         .arch("x86_64:native").arch("x86_64:paravirt").arch("arm64")
 *         .kernel(KernelVersion.V6_5)
 *         .patches(SmpPatches.SPLIT_RCU_FLAVORS)
 *         .build().run();
 * }</pre>
 *
 * <p><b>The budget does not depend on the clock.</b> A budget of {@code B} seconds per cell
 * becomes a cap of {@code B ×} {@value #SCHEDULES_PER_SECOND} schedules per cell (a conservative
 * rate: the explorer runs a few thousand schedules of the catalogue's scenarios per second on one
 * core), passed as {@link ExploreOptions#maxSchedules()}. With the default exhaustive strategy
 * (depth-first search with dynamic partial-order reduction) a cell whose space fits under the cap
 * is explored completely and says {@code exhausted}; a larger one stops at the cap and says not
 * exhausted: its SAFE then means "no violation in the schedules tried". There is no fall-back to
 * another strategy: the report says plainly what was covered, and {@code --strategy random} or
 * {@code pct} are there for a sampled search. A random or PCT strategy runs exactly the cap.
 * So a report is a pure function of the axes and the search (and the wall times beside it),
 * whatever the machine's speed or the number of threads. A preemption bound narrows what an
 * exhausted cell covers, and the report says so ({@link Search}, {@link CellResult#text()}).
 *
 * <p>Cells are ordered kernel, patch set, architecture, memory model, scenario (see
 * {@link ComparisonReport}).
 * Every axis holds each entry once: a repeated kernel, patch set or architecture spelling, or a
 * scenario whose parameters resolve to the values of an earlier entry (defaults filled in), is
 * dropped. Two architecture specs that resolve to the same variant for a kernel (e.g.
 * {@code x86_64} and {@code x86_64:native-rcu} on the latest kernel) give one row, the first spec's.
 */
public final class Comparison {
    /** The rate that turns a budget in seconds into a schedule cap per cell. */
    public static final long SCHEDULES_PER_SECOND = 1_000;
    /** The budget per cell when none is given, in seconds. */
    public static final long DEFAULT_BUDGET_SECONDS = 10;

    /** Told after each cell: how many are done out of how many. Called from the worker threads, one call at a time. */
    @FunctionalInterface
    public interface Progress {
        void cellDone(int done, int total, CellResult cell);
    }

    private final List<ScenarioSpec> scenarios;
    private final List<Scenario> scenarioObjects;
    private final List<String> archs;
    private final List<KernelVersion> kernels;
    private final List<List<Patch>> patchSets;
    private final List<MemoryModelChoice> memoryModels;
    private final Strategy strategy;
    private final ExploreOptions options;
    private final Search search;
    private final int threads;
    private final Progress progress;
    private final List<Cell> cells;

    private Comparison(Builder b) {
        ArchRegistry registry = ArchRegistry.load();
        // Each axis holds every entry once: a repeated entry would only repeat cells (and make
        // two columns, rows or tables of one thing). Scenario entries count as repeated when
        // their parameters resolve to the same values, defaults filled in.
        Map<ScenarioSpec, Scenario> specs = new LinkedHashMap<>();
        if (b.scenarios.isEmpty()) {
            for (Scenario s : Scenarios.all()) {
                specs.putIfAbsent(ScenarioSpec.of(s.name(), s.resolve(Map.of())), s);
            }
        } else {
            for (Builder.ScenarioEntry e : b.scenarios) {
                specs.putIfAbsent(ScenarioSpec.of(e.scenario().name(), e.scenario().resolve(e.params())), e.scenario());
            }
        }
        this.scenarios = List.copyOf(specs.keySet());
        this.scenarioObjects = List.copyOf(specs.values());
        this.kernels = b.kernels.isEmpty() ? List.of(KernelVersion.LATEST) : distinct(b.kernels);
        this.archs = b.archs.isEmpty() ? defaultArchs(registry, kernels) : distinct(b.archs);
        this.patchSets = b.patchSets.isEmpty() ? List.of(List.of()) : distinct(b.patchSets);
        this.memoryModels = b.memoryModels.isEmpty() ? List.of(MemoryModelChoice.SC) : distinct(b.memoryModels);
        long budgetSeconds = b.scheduleCap > 0 ? 0 : b.budgetSeconds;
        long cap = b.scheduleCap > 0 ? b.scheduleCap : Math.multiplyExact(b.budgetSeconds, SCHEDULES_PER_SECOND);
        Validate.isTrue(b.preemptionBound < 0 || b.strategy instanceof Strategy.DepthFirst,
                "preemptionBound applies to depth-first strategies only, not %s", b.strategy);
        this.options = ExploreOptions.DEFAULTS.withMaxSchedules(cap).withPreemptionBound(b.preemptionBound);
        // A sampling strategy runs as many schedules as the cap allows, whatever it was built with.
        this.strategy = switch (b.strategy) {
            case Strategy.RandomWalk r -> Strategy.random(r.seed(), cap);
            case Strategy.Pct p -> Strategy.pct(p.seed(), p.depth(), cap);
            default -> b.strategy;
        };
        this.search = Search.of(strategy, b.preemptionBound, budgetSeconds, cap);
        this.threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
        this.progress = b.progress;
        this.cells = cells(registry);
    }

    private static <T> List<T> distinct(List<T> axis) {
        return List.copyOf(new LinkedHashSet<>(axis));
    }

    /**
     * The default architecture axis: every registered architecture's default variant, each followed
     * by the further variants it asks to be compared by default
     * ({@link org.gupsim.arch.Architecture#defaultComparisonVariants()}).
     */
    public static List<String> defaultArchs(ArchRegistry registry) {
        List<String> out = new ArrayList<>();
        for (Architecture a : registry.architectures()) {
            out.add(a.name());
            for (String v : a.defaultComparisonVariants()) {
                out.add(a.name() + ":" + v);
            }
        }
        return out;
    }

    /**
     * {@link #defaultArchs(ArchRegistry)} less the further variants that none of {@code kernels}
     * had (x86's {@code native} on 6.15 and later): a column of N/A is no comparison.
     */
    public static List<String> defaultArchs(ArchRegistry registry, List<KernelVersion> kernels) {
        return defaultArchs(registry).stream()
                .filter(a -> kernels.stream().anyMatch(k -> registry.resolve(a, k).unavailableOn(k).isEmpty()))
                .toList();
    }

    private List<Cell> cells(ArchRegistry registry) {
        List<Cell> out = new ArrayList<>();
        for (KernelVersion k : kernels) {
            for (List<Patch> m : patchSets) {
                Kernel patched = k.with(m);
                Map<String, ArchVariant> variants = new LinkedHashMap<>();
                Set<String> seen = new HashSet<>();
                for (String a : archs) {
                    // A variant the kernel did not have yet (or any more) gives N/A cells, naming why.
                    ArchVariant v = registry.resolve(a, patched);
                    if (seen.add(v.fullName())) {
                        variants.put(a, v);
                    }
                }
                for (Map.Entry<String, ArchVariant> v : variants.entrySet()) {
                    // Two axis entries that resolve to one model on this variant (arch and arm64 on
                    // arm64) give one row, the first entry's.
                    Map<String, MemoryModelChoice> models = new LinkedHashMap<>();
                    Map<String, MemoryModel> resolved = new LinkedHashMap<>();
                    for (MemoryModelChoice mm : memoryModels) {
                        MemoryModel model = mm.resolve(v.getValue());
                        models.putIfAbsent(model.name(), mm);
                        resolved.putIfAbsent(model.name(), model);
                    }
                    for (Map.Entry<String, MemoryModelChoice> mm : models.entrySet()) {
                        for (int s = 0; s < scenarioObjects.size(); s++) {
                            out.add(new Cell(scenarioObjects.get(s), scenarios.get(s).params(), v.getKey(),
                                    v.getValue(), k, m, patched, mm.getValue(), resolved.get(mm.getKey())));
                        }
                    }
                }
            }
        }
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of cells, N/A ones included. */
    public int size() {
        return cells.size();
    }

    /** The schedule cap per cell. */
    public long scheduleCap() {
        return options.maxSchedules();
    }

    /**
     * Runs every cell and assembles the report; see {@link #run(ExploreControl)}.
     */
    public ComparisonReport run() {
        return run(new ExploreControl());
    }

    /**
     * Runs every cell on {@code threads} platform threads and assembles the report. The threads are
     * shared between cells and within them: each cell's exhaustive search may use all of them
     * (its workers idle while its search is too small to split). The cells' results, their order,
     * the trace numbers and the disagreements do not depend on the number of threads or on timing.
     * A stop requested through {@code control} ends the running cells early and keeps the others
     * from starting; they say {@code partial: interrupted}.
     */
    public ComparisonReport run(ExploreControl control) {
        return run(control, progress);
    }

    /** As {@link #run(ExploreControl)}, telling {@code listener} (or nobody, when null) about each cell. */
    public ComparisonReport run(ExploreControl control, Progress listener) {
        long start = System.nanoTime();
        List<Cell.Outcome> outcomes = runCells(IntStream.range(0, cells.size()).boxed().toList(), control, listener);
        return report(outcomes, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Runs the cells of shard {@code shard} of {@code shards} (those whose index is {@code shard}
     * modulo {@code shards}), telling {@code listener} (or nobody) about each; {@link #merge} puts
     * the shards' parts back together.
     */
    public ComparisonShard runShard(int shard, int shards, ExploreControl control, Progress listener) {
        Validate.isTrue(shards >= 1 && shard >= 0 && shard < shards, "shard must be 0 to shards - 1: %d/%d", shard,
                shards);
        List<Integer> mine = IntStream.range(0, cells.size()).filter(i -> i % shards == shard).boxed().toList();
        List<Cell.Outcome> outcomes = runCells(mine, control, listener);
        List<ComparisonShard.CellPart> parts = new ArrayList<>();
        for (int k = 0; k < mine.size(); k++) {
            ExplorationResult r = outcomes.get(k).exploration();
            if (r == null) {
                continue; // N/A
            }
            Counterexample ce = r.counterexample();
            parts.add(new ComparisonShard.CellPart(mine.get(k), r.verdict().name(), r.exhausted(), r.schedules(),
                    r.pruned(), r.outcomes(), r.violations(), ce == null ? null : ce.violation().kind().name(),
                    ce == null ? null : ce.violation().subject(), ce == null ? null : ce.violation().message(),
                    ce == null ? null : ce.schedule(), r.stepBudget(), r.outOfBudget(), r.interrupted(),
                    r.strategy()));
        }
        return new ComparisonShard(shard, shards, parts);
    }

    /**
     * The report of the whole comparison from every shard's part: the report {@link #run} makes,
     * but with no wall times (the parts carry none). Counterexamples' traces come from replaying
     * their schedules.
     *
     * @throws IllegalArgumentException when the parts are not every shard of this comparison: a
     *                                  shard missing or given twice, or a cell no shard has
     */
    public ComparisonReport merge(List<ComparisonShard> parts) {
        List<ComparisonShard> byIndex = ShardPart.inShardOrder(parts);
        int n = byIndex.size();
        ComparisonShard.CellPart[] found = new ComparisonShard.CellPart[cells.size()];
        for (ComparisonShard p : byIndex) {
            for (ComparisonShard.CellPart c : p.cells()) {
                Validate.isTrue(c.index() >= 0 && c.index() < cells.size() && c.index() % n == p.shard()
                        && found[c.index()] == null, "shard %d/%d has cell %d, which is not its", p.shard(), n,
                        c.index());
                found[c.index()] = c;
            }
        }
        List<Cell.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Cell.Outcome na = cell.notApplicable(options);
            if (na != null) {
                outcomes.add(na);
                continue;
            }
            ComparisonShard.CellPart c = found[i];
            Validate.isTrue(c != null, "no shard has cell %d (%s on %s)", i, cell.scenario().name(),
                    cell.variant().fullName());
            outcomes.add(cell.outcome(result(cell, c), options, Duration.ZERO));
        }
        return report(outcomes, Duration.ZERO);
    }

    /** The exploration result a cell's part stands for, its counterexample's trace replayed. */
    private static ExplorationResult result(Cell cell, ComparisonShard.CellPart c) {
        Counterexample ce = null;
        if (c.schedule() != null) {
            Violation v = new Violation(ViolationKind.valueOf(c.violationKind()), c.violationMessage(),
                    c.violationSubject());
            Trace trace = cell.exploration().replay(c.schedule());
            Validate.isTrue(v.equals(trace.violation()), "cell %d's schedule %s does not replay to %s", c.index(),
                    c.schedule(), v);
            ce = new Counterexample(v, c.schedule(), trace);
        }
        return new ExplorationResult(c.strategy(), Verdict.valueOf(c.verdict()), c.exhausted(), c.schedules(),
                c.pruned(), c.outcomes(), c.violations(), ce, c.stepBudget(), c.outOfBudget(), c.interrupted());
    }

    /** Runs the cells at {@code indexes}, in parallel, and returns their outcomes in the same order. */
    private List<Cell.Outcome> runCells(List<Integer> indexes, ExploreControl control, Progress listener) {
        List<Cell.Outcome> outcomes = new ArrayList<>(indexes.size());
        AtomicInteger done = new AtomicInteger();
        ExploreOptions cellOptions = options.withThreads(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gupsim-compare");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Cell.Outcome>> futures = new ArrayList<>();
            for (int i : indexes) {
                Cell c = cells.get(i);
                futures.add(pool.submit(() -> {
                    Cell.Outcome o = c.run(strategy, cellOptions, control);
                    if (listener != null) {
                        synchronized (listener) {
                            listener.cellDone(done.incrementAndGet(), indexes.size(), o.result());
                        }
                    }
                    return o;
                }));
            }
            for (Future<Cell.Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("comparison interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    private ComparisonReport report(List<Cell.Outcome> outcomes, Duration wall) {
        List<CellResult> results = new ArrayList<>();
        List<NumberedTrace> traces = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Cell.Outcome o = outcomes.get(i);
            Counterexample ce = o.counterexample();
            if (ce == null) {
                results.add(o.result());
            } else {
                int number = traces.size() + 1;
                traces.add(new NumberedTrace(number, i, ce, cells.get(i).replay(ce.schedule())));
                results.add(o.result().withTrace(number));
            }
        }
        return new ComparisonReport(scenarios, archs, kernels, patchSets, search, results,
                Disagreements.find(results), traces, wall, memoryModels.stream().map(MemoryModelChoice::word).toList());
    }

    /** Collects the axes and settings; every list left empty takes its default. */
    public static final class Builder {
        record ScenarioEntry(Scenario scenario, Map<String, String> params) {
        }

        private final List<ScenarioEntry> scenarios = new ArrayList<>();
        private final List<String> archs = new ArrayList<>();
        private final List<KernelVersion> kernels = new ArrayList<>();
        private final List<List<Patch>> patchSets = new ArrayList<>();
        private final List<MemoryModelChoice> memoryModels = new ArrayList<>();
        private Strategy strategy = Strategy.dpor();
        private long budgetSeconds = DEFAULT_BUDGET_SECONDS;
        private long scheduleCap;
        private int preemptionBound = -1;
        private int threads;
        private Progress progress;

        private Builder() {
        }

        /** Adds a scenario with its default parameters. Default axis: every scenario of {@link Scenarios#all()}. */
        public Builder scenario(Scenario scenario) {
            return scenario(scenario, Map.of());
        }

        /**
         * Adds a scenario with parameters (the rest take their defaults).
         *
         * @throws IllegalArgumentException naming a bad parameter
         */
        public Builder scenario(Scenario scenario, Map<String, String> params) {
            Validate.isTrue(scenario != null, "scenario must not be null");
            Validate.isTrue(params != null, "params must not be null");
            scenario.resolve(params);
            scenarios.add(new ScenarioEntry(scenario, new TreeMap<>(params)));
            return this;
        }

        /** Adds the catalogue's scenario called {@code name}, with default parameters. */
        public Builder scenario(String name) {
            return scenario(Scenarios.get(name));
        }

        /** Adds the catalogue's scenario called {@code name} with parameters. */
        public Builder scenario(String name, Map<String, String> params) {
            return scenario(Scenarios.get(name), params);
        }

        /**
         * Adds an architecture as {@code arch[:variant]}, resolved for each kernel. Default axis:
         * {@link #defaultArchs}.
         */
        public Builder arch(String spec) {
            Validate.isTrue(spec != null && !spec.isBlank(), "arch must not be empty");
            archs.add(spec);
            return this;
        }

        /** Adds a kernel version. Default axis: {@link KernelVersion#LATEST}. */
        public Builder kernel(KernelVersion kernel) {
            Validate.isTrue(kernel != null, "kernel must not be null");
            kernels.add(kernel);
            return this;
        }

        /** Adds a kernel version by label, e.g. {@code 6.5}. */
        public Builder kernel(String label) {
            return kernel(KernelVersion.parse(label));
        }

        /**
         * Adds a patch set, applied together to every kernel (none given: the empty set). Default
         * axis: the empty set alone. Each kernel must take every patch of every set
         * ({@link Kernel#with}), or {@link #build()} throws.
         */
        public Builder patches(Patch... patches) {
            Validate.isTrue(patches != null, "patches must not be null");
            return patches(List.of(patches));
        }

        /** Adds a patch set (a patch given twice counts once). */
        public Builder patches(Collection<Patch> patches) {
            Validate.isTrue(patches != null, "patches must not be null");
            patchSets.add(Patch.sorted(patches));
            return this;
        }

        /**
         * Adds a memory model the cells run under ({@code sc}, {@code tso}, {@code arm64},
         * {@code power}, a user's, or {@code arch}: each variant's architecture's own). Default
         * axis: {@code sc} alone. Each cell under a weaker model than {@code sc} is explored with
         * store buffers (docs/memory-models.md).
         */
        public Builder memoryModel(MemoryModelChoice model) {
            Validate.isTrue(model != null, "memoryModel must not be null");
            memoryModels.add(model);
            return this;
        }

        /** Adds a memory model by the word {@code --memory-model} takes, e.g. {@code arch}. */
        public Builder memoryModel(String word) {
            return memoryModel(new MemoryModelChoice(word));
        }

        /**
         * The strategy of every cell (default: {@link Strategy#dpor()}). A random or PCT strategy
         * keeps its seed (and depth) but runs the comparison's schedule cap, not its own count.
         */
        public Builder strategy(Strategy strategy) {
            Validate.isTrue(strategy != null, "strategy must not be null");
            Validate.isTrue(!(strategy instanceof Strategy.Replay), "strategy must not be a replay: %s", strategy);
            this.strategy = strategy;
            return this;
        }

        /** The budget per cell in seconds, turned into a schedule cap (see {@link Comparison}). */
        public Builder budgetSeconds(long seconds) {
            Validate.isTrue(seconds > 0, "budgetSeconds must be positive: %d", seconds);
            this.budgetSeconds = seconds;
            return this;
        }

        /** Sets the schedule cap per cell directly, instead of from the budget (the report's budget is then 0). */
        public Builder scheduleCap(long schedules) {
            Validate.isTrue(schedules > 0, "scheduleCap must be positive: %d", schedules);
            this.scheduleCap = schedules;
            return this;
        }

        /**
         * A preemption bound for depth-first search (turns the reduction off); -1 for none, the
         * default. {@link #build} refuses a bound with a random or PCT strategy, which ignores it.
         */
        public Builder preemptionBound(int bound) {
            Validate.isTrue(bound >= -1, "preemptionBound must be -1 or more: %d", bound);
            this.preemptionBound = bound;
            return this;
        }

        /** Worker threads (default: the number of processors). */
        public Builder threads(int n) {
            Validate.isTrue(n > 0, "threads must be positive: %d", n);
            this.threads = n;
            return this;
        }

        /** Told after each cell, e.g. to draw a progress bar. */
        public Builder progress(Progress listener) {
            this.progress = listener;
            return this;
        }

        /**
         * Checks the axes (every architecture spec must parse for every kernel) and drops repeated
         * axis entries.
         *
         * @throws IllegalArgumentException naming the bad architecture or variant, or a preemption
         *                                  bound given with a sampling strategy
         */
        public Comparison build() {
            return new Comparison(this);
        }
    }
}
