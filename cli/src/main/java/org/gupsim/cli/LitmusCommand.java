package org.gupsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.litmus.LitmusLimitException;
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
                    + "cannot be read, one that cannot be parsed (one line naming the file and line), or a test too "
                    + "large to run exhaustively (" + LitmusCommand.LIMITS + ").",
            "JSON: one object per line for each test and model: test, file, model, result (Always|Sometimes|Never), "
                    + "kind (Allowed|Forbidden|Required), validated, condition, observed, states (each an object of "
                    + "variable to value), positive, negative."})
final class LitmusCommand implements Callable<Integer> {
    /** What a FILE may be. */
    static final String FILE_ALLOWED = "a readable litmus test FILE in the C format of tools/memory-model";
    /** What a test may need to be run, for messages. */
    static final String LIMITS = "tests whose candidate executions times their events squared stay under "
            + LitmusRunner.MAX_WORK + ", with at most " + LitmusRunner.MAX_PATHS + " paths through a thread, such as "
            + "the classic shapes of up to four threads";
    /** The largest litmus file read (1 MiB; the kernel's tests are a few KiB). */
    static final int MAX_FILE_BYTES = 1 << 20;

    @Spec
    CommandSpec spec;

    @Allowed(FILE_ALLOWED)
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Litmus test files (C NAME ...).")
    List<String> files = new ArrayList<>();

    @Option(names = "--model", paramLabel = "M", completionCandidates = ModelNames.class,
            description = "A memory model (repeatable; default: all of them): sc, tso, arm64, power, or one a jar "
                    + "on the class path registers.")
    List<String> models = new ArrayList<>();

    @Option(names = "--json", arity = "0", description = "Print one JSON object per test and model instead of text.")
    boolean json;

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
        // Written only once every test has run: a test refused at run time (too large, or using
        // something that cannot be run) leaves nothing half printed before its error line.
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        List<List<LitmusResult>> rows = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            List<LitmusResult> row = new ArrayList<>();
            for (MemoryModel m : chosen) {
                LitmusResult r;
                try {
                    r = LitmusRunner.run(tests.get(i), m);
                } catch (LitmusSyntaxException e) {
                    throw new UsageException(files.get(i) + ":" + e.line() + ": " + e.detail());
                } catch (LitmusLimitException e) {
                    throw new UsageException(files.get(i) + ": too large to run exhaustively: " + e.getMessage()
                            + " (allowed: " + LIMITS + ")");
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
        out.flush();
        spec.commandLine().getOut().print(text);
        return Main.EXIT_OK;
    }

    private List<MemoryModel> chooseModels() {
        List<String> names = MemoryModels.names();
        if (models.isEmpty()) {
            return MemoryModels.all();
        }
        List<MemoryModel> out = new ArrayList<>();
        for (String m : models) {
            if (m.isEmpty()) {
                throw CliValues.needsValue("--model", String.join(", ", names));
            }
            MemoryModel model = MemoryModels.byName(m).orElseThrow(() -> new UsageException(
                    "--model '" + m + "' is not known (allowed: " + String.join(", ", names) + ")"));
            if (!out.contains(model)) {
                out.add(model);
            }
        }
        return out;
    }

    private static LitmusTest read(String file) {
        if (file.isEmpty()) {
            throw CliValues.needsValue("FILE", FILE_ALLOWED);
        }
        String text = decode(file, readBounded(file));
        try {
            return LitmusParser.parse(text);
        } catch (LitmusSyntaxException e) {
            throw new UsageException(file + ":" + e.line() + ": " + e.detail());
        }
    }

    /**
     * The bytes of {@code file}, at most {@link #MAX_FILE_BYTES}: a litmus test is a page of text,
     * and a file that goes on (a huge file, {@code /dev/zero}) is refused after reading one byte
     * more, never read whole into memory.
     */
    private static byte[] readBounded(String file) {
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw unreadable(file, "a directory");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new UsageException(file + ": too large, more than " + MAX_FILE_BYTES + " bytes (allowed: "
                        + FILE_ALLOWED + " of at most " + MAX_FILE_BYTES + " bytes)");
            }
            return bytes;
        } catch (java.nio.file.NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (java.nio.file.FileSystemException e) {
            throw unreadable(file, e.getReason() != null ? e.getReason() : "refused");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw unreadable(file, e.getMessage());
        }
    }

    /** {@code bytes} as UTF-8 text; a binary file (malformed UTF-8, or a NUL byte) is refused as such. */
    private static String decode(String file, byte[] bytes) {
        if (bytes.length == 0) {
            throw new UsageException(file + ": an empty file (allowed: " + FILE_ALLOWED + ")");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new UsageException(file + ": a binary file, it has NUL bytes (allowed: " + FILE_ALLOWED + ")");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new UsageException(file + ": not UTF-8 text (allowed: " + FILE_ALLOWED + ")");
        }
    }

    /** {@code FILE: cannot be read (why; allowed: ...)}. */
    private static UsageException unreadable(String file, String why) {
        return new UsageException(file + ": cannot be read (" + why + "; allowed: " + FILE_ALLOWED + ")");
    }

    /** For picocli's help and error messages. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return MemoryModels.names().iterator();
        }
    }
}
