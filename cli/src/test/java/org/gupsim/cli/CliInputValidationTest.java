package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.Scenarios;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every option and positional parameter of every command, found by walking picocli's model of the
 * command line (so options added later are covered without touching this test), is fed an empty,
 * a malformed, an out-of-range and non-ASCII values, a leading {@code +} and a huge value, and left
 * without a value at the end of the line; every one must be refused with exit code 2 and one line
 * on stderr naming the flag and what is allowed, and nothing on stdout. The same for every
 * parameter of every scenario, through explore's {@code --param} and compare's {@code --scenario}.
 *
 * <p>To get a new option past this test: give it {@code completionCandidates} (a closed list) or
 * {@link Allowed} (words), check its value with {@link CliValues} (or say "allowed" in your own
 * message), and, for a flag without a value, {@code arity = "0"}. If the command needs other
 * arguments before it looks at the option, put them in {@link #BASE} or {@link #CONTEXT}.
 */
class CliInputValidationTest {
    /** A value of 100,000 characters: the error must not echo it back whole. */
    static final String HUGE = "9".repeat(100_000);
    /**
     * Bad values for any option or positional parameter that is not a file: empty, malformed, out
     * of the range of every number option, non-ASCII digits (Arabic-Indic one, fullwidth four), a
     * leading plus, a value with an empty list item, huge.
     */
    static final List<String> BAD = List.of("", "1x!@", "18446744073709551616", "-18446744073709551616", "\u0661",
            "\uff14", "+5", ",", "+", HUGE, "9223372036854775808", "\u65e5\u672c", "\u200f5", "5\u202e");
    /** Bad values for a file option ({@code paramLabel = "FILE"}). */
    static final List<String> BAD_FILES = List.of("", "bad\0name", "/proc/gupsim-x", "/sys/gupsim-x",
            "/nonexistent-\u00e9\u0661/x", "/" + "a".repeat(5000));

    /**
     * Arguments each command needs before it looks at its options' values; positional arguments
     * first. Chosen to be cheap if a bad value were accepted (one schedule, one cell).
     */
    static final Map<String, List<String>> BASE = Map.of(
            "explore", List.of("kvm-s390-aif-enable"),
            "replay", List.of("kvm-s390-aif-enable", "--schedule", "0"),
            "compare", List.of("--scenario", "kvm-s390-aif-enable", "--arch", "s390"),
            "pin", List.of("--backing", "anon", "--map", "private", "--api", "pup"),
            "merge", List.of("/nonexistent-gupsim-dir/shard-0.json"));
    /** Options whose value is only looked at together with another option, and that option. */
    static final Map<String, List<String>> CONTEXT = Map.of(
            "--seed", List.of("--strategy", "pct"),
            "--depth", List.of("--strategy", "pct"));
    /** Options for which one of {@link #BAD} is a good value, and which: an empty replay schedule means no preemption. */
    static final Map<String, Set<String>> GOOD = Map.of("replay --schedule", Set.of(""));

    private static CommandLine model() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, false,
                Main.class.getClassLoader());
    }

    /** One refusal: exit 2, stdout empty, one line on stderr from the command naming {@code name} and what is allowed. */
    static void assertRefused(CliRun r, String command, String name, String what) {
        assertEquals(Main.EXIT_USAGE, r.exit(), what + ": " + r);
        assertEquals("", r.out(), what);
        assertEquals(1, r.errLines().size(), what + ": " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("gupsim " + command + ": "), what + ": " + line);
        assertTrue(line.contains(name), what + ": does not name " + name + ": " + line);
        assertTrue(line.contains("allowed"), what + ": does not say what is allowed: " + line);
        assertFalse(line.contains("internal error") || line.contains("Exception"), what + ": " + line);
        assertTrue(line.length() < 1500, what + ": a line of " + line.length() + " characters");
    }

    /** {@code base} without {@code option} and its value. */
    private static List<String> without(List<String> base, String option) {
        List<String> out = new ArrayList<>(base);
        int i = out.indexOf(option);
        if (i >= 0) {
            out.subList(i, i + 2).clear();
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyOptionOfEveryCommandRefusesBadValues() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : model().getSubcommands().entrySet()) {
            String command = sub.getKey();
            List<String> base = BASE.getOrDefault(command, List.of());
            for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
                String name = o.longestName();
                List<String> args = new ArrayList<>(without(base, name));
                args.addAll(CONTEXT.getOrDefault(name, List.of()));
                if (o.arity().max() == 0) {
                    for (String v : List.of("", "x", "true", "\u0661")) {
                        tests.add(run(command, name, name + "=" + v, args, List.of(name + "=" + v)));
                    }
                    continue;
                }
                List<String> bad = o.paramLabel().equals("FILE") ? BAD_FILES : BAD;
                for (String v : bad) {
                    if (!GOOD.getOrDefault(command + " " + name, Set.of()).contains(v)) {
                        tests.add(run(command, name, name + " " + abbreviate(v), args, List.of(name, v)));
                    }
                }
                tests.add(run(command, name, name + " without a value", args, List.of(name)));
            }
            for (PositionalParamSpec p : sub.getValue().getCommandSpec().positionalParameters()) {
                if (p.arity().max() == 0) {
                    continue;
                }
                List<String> args = new ArrayList<>(base);
                for (String v : BAD) {
                    List<String> a = new ArrayList<>(args);
                    if (p.index().min() < a.size() && !a.isEmpty() && !a.get(0).startsWith("-")) {
                        a.set(p.index().min(), v);
                    } else {
                        a.add(0, v);
                    }
                    tests.add(run(command, p.paramLabel(), p.paramLabel() + " " + abbreviate(v), List.of(), a));
                }
            }
        }
        return tests.stream();
    }

    private static DynamicTest run(String command, String name, String what, List<String> args, List<String> more) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        all.addAll(more);
        return DynamicTest.dynamicTest(command + " " + what, () ->
                assertRefused(CliRun.of(all.toArray(String[]::new)), command, name, command + " " + what));
    }

    private static String abbreviate(String v) {
        return v.length() > 20 ? v.substring(0, 10) + "...(" + v.length() + ")" : "'" + v + "'";
    }

    @TestFactory
    Stream<DynamicTest> everyParameterOfEveryScenarioRefusesBadValuesInExploreAndCompareAlike() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            for (ScenarioParam p : s.params()) {
                for (String v : BAD) {
                    String kv = p.name() + "=" + v;
                    if (p.accepts(v)) {
                        continue;   // not bad for this parameter (none today)
                    }
                    tests.add(DynamicTest.dynamicTest(s.name() + " " + p.name() + "=" + abbreviate(v), () -> {
                        assertRefused(CliRun.of("explore", s.name(), "--param", kv), "explore", "--param", "explore");
                        assertRefused(CliRun.of("compare", "--scenario", s.name() + ":" + kv), "compare",
                                "--scenario", "compare");
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** The architecture explore picks for {@code s} without {@code --arch}: x86_64 if it runs there, else the first. */
    private static String archFor(Scenario s) {
        ArchRegistry registry = ArchRegistry.load();
        List<String> names = new ArrayList<>(registry.names());
        names.remove(MachineOptions.DEFAULT_ARCH);
        names.add(0, MachineOptions.DEFAULT_ARCH);
        for (String name : names) {
            try {
                s.checkArch(registry.parse(name, KernelVersion.LATEST));
                return name;
            } catch (IllegalArgumentException e) {
                // not this one
            }
        }
        return MachineOptions.DEFAULT_ARCH;
    }

    /**
     * compare refuses (exit 2) exactly the scenario parameters explore refuses, including those
     * only the scenario can judge together, and never reports them as an internal error: every
     * value of every parameter alone, and the combinations the bad-input campaign found.
     */
    @TestFactory
    Stream<DynamicTest> compareRefusesTheScenarioParametersExploreRefuses() {
        List<DynamicTest> tests = new ArrayList<>();
        List<String[]> cases = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            for (ScenarioParam p : s.params()) {
                for (String v : p.allowed()) {
                    cases.add(new String[] {s.name(), p.name() + "=" + v});
                }
            }
        }
        cases.add(new String[] {"kvm-s390-aif-vs-unplug", "backend=memory-backend-ram", "remove=truncate"});
        cases.add(new String[] {"kvm-s390-aif-enable", "backend=memory-backend-file", "hugetlb=on"});
        for (String[] c : cases) {
            Scenario s = Scenarios.get(c[0]);
            List<String> params = List.of(c).subList(1, c.length);
            tests.add(DynamicTest.dynamicTest(String.join(" ", c), () -> {
                List<String> explore = new ArrayList<>(List.of("explore", s.name(), "--schedules", "1"));
                params.forEach(kv -> explore.addAll(List.of("--param", kv)));
                CliRun e = CliRun.of(explore.toArray(String[]::new));
                CliRun cmp = CliRun.of("compare", "--scenario", s.name() + ":" + String.join(",", params), "--arch",
                        archFor(s), "--schedules", "1", "--format", "json");
                assertFalse(e.err().contains("internal error") || cmp.err().contains("internal error"),
                        e.err() + cmp.err());
                assertEquals(e.exit() == Main.EXIT_USAGE, cmp.exit() == Main.EXIT_USAGE, "explore: " + e.err()
                        + "compare: " + cmp.err());
                if (cmp.exit() == Main.EXIT_USAGE) {
                    assertEquals(1, cmp.errLines().size(), cmp.err());
                    assertEquals(e.errLines().get(0).replaceFirst("^gupsim explore: --param( [^:]*)?: ", ""),
                            cmp.errLines().get(0).replaceFirst("^gupsim compare: --scenario [^:]*:[^:]*: ", ""),
                            "the same reason");
                }
            }));
        }
        return tests.stream();
    }

    /**
     * Invisible characters in an echoed value (a right-to-left mark or override, which reorder what
     * a terminal shows after them; a zero-width space; a Unicode line separator) are written as
     * {@code \\uXXXX}, like control characters, so the one line reads as it is.
     */
    @Test
    void invisibleCharactersInAnEchoedValueAreShownAsEscapes() {
        for (String c : List.of("\u200f", "\u202e", "\u200b", "\u2028", "\u2029", "\ufeff", "\u0085")) {
            CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--strategy", "pct", "--seed", "5" + c + "6");
            assertRefused(r, "explore", "--seed", "a seed with U+" + Integer.toHexString(c.charAt(0)));
            assertFalse(r.err().contains(c), r.err());
            assertTrue(r.err().contains(String.format("5\\u%04x6", (int) c.charAt(0))), r.err());
        }
    }

    /**
     * After {@code --} every argument is a positional one; an option or command name there is
     * answered as such, not as "unknown option '--json'" with --json among the allowed.
     */
    @Test
    void anOptionAfterTheDoubleDashIsNamedAsSuch() {
        CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--", "--json");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(List.of("gupsim explore: '--json' after '--' is not taken as an option or a command (allowed: "
                + "options and the command before '--'; after it only one SCENARIO)"), r.errLines());
        CliRun eq = CliRun.of("explore", "--", "gup-fast-vs-munmap", "--schedules=5");
        assertTrue(eq.err().startsWith("gupsim explore: '--schedules=5' after '--'"), eq.err());
        CliRun top = CliRun.of("--", "explore");
        assertEquals(List.of("gupsim: 'explore' after '--' is not taken as an option or a command (allowed: options "
                + "and the command before '--'; after it nothing)"), top.errLines());
        // A scenario after -- is what -- is for.
        assertEquals(Main.EXIT_OK, CliRun.of("explore", "--", "kvm-s390-aif-enable").exit());
    }

    /** An option given to the wrong command says which command has it. */
    @Test
    void anOptionOfAnotherCommandSaysWhichHasIt() {
        CliRun r = CliRun.of("list", "--classpath", "/tmp");
        assertEquals(List.of("gupsim list: unknown option '--classpath': it is an option of gupsim itself, given "
                + "before the command (gupsim --classpath ... list ...) (allowed: --json, --help)"), r.errLines());
        CliRun format = CliRun.of("explore", "gup-fast-vs-munmap", "--format=json");
        assertTrue(format.err().startsWith("gupsim explore: unknown option '--format=json': compare has it, explore "
                + "does not (allowed: "), format.err());
        CliRun schedules = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0", "--schedules", "5");
        assertTrue(schedules.err().startsWith("gupsim replay: unknown option '--schedules': compare and explore have "
                + "it, replay does not (allowed: "), schedules.err());
        CliRun typo = CliRun.of("explore", "gup-fast-vs-munmap", "--jsno");
        assertTrue(typo.err().startsWith("gupsim explore: unknown option '--jsno' (allowed: "), typo.err());
    }

    /** A shard number of any length is out of range, not "not of the form I/N". */
    @Test
    void aHugeShardNumberIsOutOfRange() {
        for (String v : List.of("0/9223372036854775807", "0/9223372036854775808", "99999999999999999999/2", "0/1025")) {
            CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--shard", v);
            assertRefused(r, "explore", "--shard", v);
            assertTrue(r.err().contains("is out of range"), r.err());
        }
        assertEquals(Main.EXIT_OK, CliRun.of("explore", "kvm-s390-aif-enable", "--shard", "0001/0002").exit());
    }

    @Test
    void anUnknownCommandIsNamedWithTheCommands() {
        for (String v : BAD) {
            CliRun r = CliRun.of(v);
            assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.err());
            // A value starting with - is taken for an option, and answered with the options.
            String expected = v.startsWith("-") ? "gupsim: unknown option '" : "gupsim: unknown command '";
            assertTrue(r.err().startsWith(expected) && r.err().contains("(allowed: "), r.err());
        }
    }

    @Test
    void everyOptionThatTakesAValueSaysWhatIsAllowedWithoutOne() {
        for (CommandLine sub : model().getSubcommands().values()) {
            for (ArgSpec a : sub.getCommandSpec().args()) {
                if (a.arity().max() > 0) {
                    assertTrue(CliErrors.allowed(a) != null, sub.getCommandName() + " " + a.paramLabel()
                            + " has neither completionCandidates nor @Allowed");
                }
            }
        }
    }

    @Test
    void aMissingAndAnEmptyValueGetTheSameAnswer() {
        for (String[] args : List.of(new String[] {"explore", "kvm-s390-aif-enable", "--schedules"},
                new String[] {"compare", "--threads"}, new String[] {"pin", "--backing", "anon", "--map", "shared",
                    "--api", "pup", "--kernel"})) {
            String[] empty = ExploreCommandTest.with(args, "");
            assertEquals(CliRun.of(args).err(), CliRun.of(empty).err(), String.join(" ", args));
        }
    }

    /** A list with an empty item is refused, not run with the items that are there (or with none). */
    @Test
    void anEmptyItemInAListIsRefused() {
        for (String patches : List.of(",", "no-irq-disable,", ",no-irq-disable", "no-irq-disable,,immediate-table-free",
                "no-irq-disable+", "+no-irq-disable")) {
            for (String flag : List.of("--mutant", "--patch")) {
                assertRefused(CliRun.of("explore", "gup-fast-vs-munmap", flag, patches), "explore", flag, patches);
                assertRefused(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch", "arm64", flag,
                        patches), "compare", flag, patches);
            }
        }
        assertRefused(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap:pages=1,", "--arch", "arm64"), "compare",
                "--scenario", "a trailing empty parameter");
    }

    @Test
    void theLargestMemlockLimitIsAccepted() {
        CliRun r = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=9223372036854775807");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().contains("memlock-limit=9223372036854775807"), r.out());
        CliRun over = CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=9223372036854775808");
        assertRefused(over, "explore", "--param", "one past Long.MAX_VALUE");
        assertRefused(CliRun.of("explore", "kvm-s390-aif-enable", "--param", "memlock-limit=9007199254740992k"),
                "explore", "--param", "2^63 bytes written in KiB");
    }

    @Test
    void aScheduleOverTheStepLimitSaysSoRatherThanThatItIsMalformed() {
        CliRun r = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0x100000001");
        assertRefused(r, "replay", "--schedule", "too long");
        assertTrue(r.err().contains("more than 100000000 steps"), r.err());
        CliRun runs = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", String.join(",",
                Collections.nCopies(10_000, "0,1")));
        assertRefused(runs, "replay", "--schedule", "20,000 runs");
    }
}
