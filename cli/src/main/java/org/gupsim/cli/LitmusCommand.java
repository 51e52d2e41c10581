package org.gupsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.litmus.LitmusParser;
import org.gupsim.litmus.LitmusResult;
import org.gupsim.litmus.LitmusRunner;
import org.gupsim.litmus.LitmusSyntaxException;
import org.gupsim.litmus.LitmusTest;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.MemoryModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gupsim litmus}: runs C litmus tests of the kernel's tools/memory-model under memory models. */
@Command(name = "litmus", sortOptions = false,
        customSynopsis = {"gupsim litmus FILE... [--model sc|tso|arm64|power]... [--json]"},
        description = {
            "Run litmus tests in the C format of the kernel's tools/memory-model under each architecture's memory "
                    + "model, as herd7 does, and print herd7's verdict: Always, Sometimes or Never, with the final "
                    + "states the model allows.",
            "",
            "Each test's kernel primitives (READ_ONCE, smp_mb, smp_load_acquire, atomics, spin_lock, "
                    + "synchronize_rcu, ...) are compiled the way the kernel implements them on the architecture "
                    + "(smp_mb is mfence-like on x86, dmb ish on arm64, sync on powerpc), and every candidate "
                    + "execution is judged by the architecture's model: sc (sequential consistency), tso (x86-64, "
                    + "s390), arm64 (ARMv8), power. Exhaustive: every execution is considered.",
            ""},
        footer = {"",
            "With more than one test or model, a verdict table ends the text output.",
            "Exit codes: 0 the tests ran (whatever their verdicts), 2 bad input: an unknown model, a file that "
                    + "cannot be read, or one that cannot be parsed (one line naming the file and line).",
            "JSON: one object per line for each test and model: test, file, model, result (Always|Sometimes|Never), "
                    + "kind (Allowed|Forbidden|Required), validated, condition, observed, states (each an object of "
                    + "variable to value), positive, negative."})
final class LitmusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Litmus test files (C NAME ...).")
    List<String> files = new ArrayList<>();

    @Option(names = "--model", paramLabel = "M",
            description = "A memory model (repeatable; default: all of them): sc, tso, arm64, power, or one a jar "
                    + "on the class path registers.")
    List<String> models = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object per test and model instead of text.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        List<MemoryModel> chosen = chooseModels();
        if (files.isEmpty()) {
            throw new UsageException("a litmus FILE is needed, e.g. gupsim litmus litmus-tests/SB.litmus");
        }
        List<LitmusTest> tests = new ArrayList<>();
        for (String f : files) {
            tests.add(read(f));
        }
        PrintWriter out = spec.commandLine().getOut();
        List<List<LitmusResult>> rows = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            List<LitmusResult> row = new ArrayList<>();
            for (MemoryModel m : chosen) {
                LitmusResult r;
                try {
                    r = LitmusRunner.run(tests.get(i), m);
                } catch (LitmusSyntaxException e) {
                    throw new UsageException(files.get(i) + ":" + e.line() + ": " + e.detail());
                }
                row.add(r);
                if (json) {
                    out.println(LitmusReport.json(r, files.get(i)));
                } else {
                    out.print(LitmusReport.herd(r));
                    out.println();
                }
            }
            rows.add(row);
        }
        if (!json && rows.size() * chosen.size() > 1) {
            out.print(LitmusReport.table(rows, chosen.stream().map(MemoryModel::name).toList()));
        }
        return Main.EXIT_OK;
    }

    private List<MemoryModel> chooseModels() {
        List<String> names = MemoryModels.names();
        if (models.isEmpty()) {
            return MemoryModels.all();
        }
        List<MemoryModel> out = new ArrayList<>();
        for (String m : models) {
            MemoryModel model = MemoryModels.byName(m).orElseThrow(() -> new UsageException(
                    "--model '" + m + "' is not known (allowed: " + String.join(", ", names) + ")"));
            if (!out.contains(model)) {
                out.add(model);
            }
        }
        return out;
    }

    private static LitmusTest read(String file) {
        String text;
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw new UsageException(file + ": cannot be read (a directory)");
            }
            text = Files.readString(path);
        } catch (CharacterCodingException e) {
            throw new UsageException(file + ": not UTF-8 text");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(file + ": cannot be read (no such file)");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UsageException(file + ": cannot be read (permission denied)");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new UsageException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            return LitmusParser.parse(text);
        } catch (LitmusSyntaxException e) {
            throw new UsageException(file + ":" + e.line() + ": " + e.detail());
        }
    }
}
