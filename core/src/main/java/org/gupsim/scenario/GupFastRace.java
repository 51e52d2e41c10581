package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gupsim.gup.Foll;
import org.gupsim.sched.Violation;

/**
 * The shape the GUP-fast scenarios share: a process with one resident mapping of a backing;
 * CPU0 pins it with {@code pin_user_pages_fast()} (a {@link PinProbe}); CPU1 (and in some, CPU2)
 * does what races with it. Subclasses say what is mapped and what the other CPUs do.
 */
abstract class GupFastRace implements Scenario {
    private final String name;
    private final String description;
    private final List<String> backings;
    private final boolean shared;
    private final Set<Foll> flags;
    private final int racers;

    /**
     * @param backings the backings allowed, the default first
     * @param shared   MAP_SHARED for anonymous memory (file backings are mapped shared unless
     *                 {@link #mapsFilesPrivate()})
     * @param flags    what CPU0 asks pin_user_pages_fast() for
     */
    GupFastRace(String name, String description, List<String> backings, boolean shared, Set<Foll> flags) {
        this(name, description, backings, shared, flags, 1);
    }

    /**
     * @param racers how many CPUs race CPU0 (CPU1 and up), each running {@link #race} with its number
     */
    GupFastRace(String name, String description, List<String> backings, boolean shared, Set<Foll> flags,
                int racers) {
        this.racers = racers;
        this.name = name;
        this.description = description;
        this.backings = List.copyOf(backings);
        this.shared = shared;
        this.flags = EnumSet.copyOf(flags);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<ScenarioParam> params() {
        List<ScenarioParam> p = new ArrayList<>();
        p.add(new ScenarioParam("backing", backings.get(0), backings, "what is mapped"));
        p.add(new ScenarioParam("pages", "1", List.of("1", "2", "3"), "base pages pinned"));
        p.addAll(extraParams());
        return List.copyOf(p);
    }

    /** Parameters beyond backing and pages. */
    List<ScenarioParam> extraParams() {
        return List.of();
    }

    @Override
    public final int cpus() {
        return 1 + racers;
    }

    /** Where to map the range ({@code MAP_FIXED}), or 0 to let mmap choose; and how many pages. */
    long placement(World world, Map<String, String> params) {
        return 0;
    }

    /** How many base pages to map and pin. */
    int pages(Map<String, String> params) {
        return Integer.parseInt(params.get("pages"));
    }

    /**
     * How many bytes to map, of which only the pinned pages are touched; 0 (the default) maps
     * just those pages (or one huge page).
     */
    long span(World world, Map<String, String> params) {
        return 0;
    }

    /**
     * The size (log2 bytes) of the backing's pages: {@link Backing#defaultPageShift} (for hugetlb
     * the architecture's first huge page size, {@code HPAGE_SHIFT}) unless a scenario maps hugetlb
     * pages of another size the architecture has.
     */
    int pageShift(World world, Backing backing) {
        return backing.defaultPageShift(world.arch());
    }

    /**
     * Whether a file backing is mapped MAP_PRIVATE and only read in (its pages stay the page
     * cache's until a write breaks CoW) instead of MAP_SHARED and written; false by default.
     */
    boolean mapsFilesPrivate() {
        return false;
    }

    /** Setup after the mapping exists, before exploration (direct mode). */
    void prepare(World world, MappedBacking m, Map<String, String> params) {
    }

    /** CPU1's program, in the scenarios with one racer. */
    void race(World world, MappedBacking m) {
        throw new UnsupportedOperationException(name + " has no single racer");
    }

    /**
     * The program of racer {@code racer} (CPU {@code racer}; 1 for the first), returning what it
     * saw for the outcome (e.g. {@code collapse=SCAN_SUCCEED}), or null if nothing. The default
     * runs {@link #race(World, MappedBacking)}.
     */
    String race(World world, MappedBacking m, int racer) {
        race(world, m);
        return null;
    }

    /**
     * Whether CPU0 holds its pins until every CPU is done and then checks that none was lost
     * ({@link PinProbe}): for scenarios whose racer is a kernel path that may move or replace a
     * page. The others unpin as soon as the call returns.
     */
    boolean holdsPins() {
        return false;
    }

    /**
     * The {@code fallback} parameter of the scenarios whose question is GUP-fast's own race with
     * a kernel path that replaces pages: {@code none} (the default) calls
     * {@code pin_user_pages_fast_only()}, {@code slow} calls {@code pin_user_pages_fast()}, whose
     * slow path then runs beside the racer too.
     *
     * @param slowCost what {@code slow} costs, for the listing
     */
    static ScenarioParam fallbackParam(String slowCost) {
        return new ScenarioParam("fallback", "none", List.of("none", "slow"),
                "none: CPU0 pins with pin_user_pages_fast_only(), GUP-fast alone, whose race is the question; slow: "
                        + "pin_user_pages_fast(), whose slow path then runs beside the racer (" + slowCost + ")");
    }

    /** The call {@link #fallbackParam} asks for. */
    static PinProbe.Call fallbackCall(Map<String, String> params) {
        return params.get("fallback").equals("none") ? PinProbe.Call.PIN_USER_PAGES_FAST_ONLY
                : PinProbe.Call.PIN_USER_PAGES_FAST;
    }

    /** What CPU0 asks pin_user_pages_fast() for: the constructor's flags unless a parameter changes them. */
    Set<Foll> flags(Map<String, String> params) {
        return flags;
    }

    /**
     * Which GUP entry point CPU0 calls: {@code pin_user_pages_fast()} unless a scenario's
     * parameters ask for a fast-only one.
     */
    PinProbe.Call gupCall(Map<String, String> params) {
        return PinProbe.Call.PIN_USER_PAGES_FAST;
    }

    @Override
    public final Programs setUp(World world, Map<String, String> params) {
        Backing backing = Backing.byLabel(params.get("backing"));
        MappedBacking m = new MappedBacking(world, backing, pages(params), shared, placement(world, params),
                span(world, params), mapsFilesPrivate(), pageShift(world, backing));
        m.params = Map.copyOf(params);
        prepare(world, m, params);
        PinProbe probe = new PinProbe(world, m.task, m.addr, m.nrPages, flags(params), holdsPins(), gupCall(params));
        String[] seen = new String[racers];
        return new Programs() {
            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    probe.run();
                } else {
                    seen[cpu - 1] = race(world, m, cpu);
                }
            }

            @Override
            public String outcome() {
                StringBuilder o = new StringBuilder(probe.outcome());
                for (String s : seen) {
                    if (s != null) {
                        o.append(' ').append(s);
                    }
                }
                return o.toString();
            }

            @Override
            public List<Violation> release() {
                List<Violation> lost = probe.release();
                m.releaseFile();
                return lost;
            }
        };
    }
}
