package org.gupsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.compare.ComparisonShard;
import org.gupsim.explore.SearchShard;
import org.gupsim.kernel.UserCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gupsim merge}: puts the shard files of one explore or compare run back together. */
@Command(name = "merge", sortOptions = false,
        customSynopsis = {"gupsim merge FILE... [--out FILE]"},
        description = {
            "Merge the shard files of one run of 'explore --shard I/N' or 'compare --shard I/N' (all N of them, "
                    + "in any order) and print what the run without --shard prints: for JSON the same bytes.",
            "",
            "Shards are plain processes: run them wherever (a Kubernetes Indexed Job, a Slurm array, GNU parallel, "
                    + "ssh) with the same arguments and their own I, collect the files, merge them. Text output says "
                    + "how many shards instead of a time.",
            ""},
        footer = {"",
            "Shards of a run with user code (--classpath or GUPSIM_CLASSPATH) need it for merge too: "
                    + "'gupsim --classpath PATH merge FILE...'.",
            "",
            "Exit codes: those of the merged command (explore: 0 SAFE, 1 VIOLATION or DEADLOCK; compare: 0); "
                    + "2 bad input: a file that is not a shard file, files of different runs, a shard missing or "
                    + "given twice, shards of a run with user code merged without it."})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Allowed("the shard files 'explore --shard I/N' or 'compare --shard I/N' printed, all N of one run")
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The shard files.")
    List<Path> files;

    @Allowed(OutputFile.ALLOWED)
    @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE instead of stdout "
            + "(opened for writing before any shard is read).")
    String out;

    @Override
    public Integer call() {
        try (OutputFile file = out == null ? null : OutputFile.open("--out", out)) {
            return merge(file);
        }
    }

    /** Merges the shards and writes the result to {@code file}, or to stdout if null. */
    private int merge(OutputFile file) {
        List<ShardFile> shards = new ArrayList<>();
        for (Path f : files) {
            ShardFile s = ShardFile.read(f);
            if (!shards.isEmpty()) {
                ShardFile first = shards.get(0);
                if (!s.command().equals(first.command()) || !s.args().equals(first.args())) {
                    throw new UsageException("FILE " + f + " is a shard of another run than " + files.get(0) + " ("
                            + s.command() + " " + String.join(" ", s.args()) + " vs " + first.command() + " "
                            + String.join(" ", first.args()) + ")");
                }
            }
            shards.add(s);
        }
        ShardFile first = shards.get(0);
        // Shards may run on other machines, where the user's jars lie elsewhere: any class path
        // will do, but without one the run's own scenarios and patches cannot be found again.
        if (first.classpath() != null && UserCode.classpath().isEmpty()) {
            throw new UsageException("FILE " + files.get(0) + " is a shard of a run with user code (--classpath "
                    + first.classpath() + "): give merge the same, as 'gupsim --classpath " + first.classpath()
                    + " merge FILE...' or in GUPSIM_CLASSPATH");
        }
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        int code;
        switch (first.command()) {
            case "explore" -> {
                List<SearchShard> parts = new ArrayList<>();
                for (ShardFile s : shards) {
                    parts.add(s.part(SearchShard.class));
                }
                code = parse(new ExploreCommand(), first).merge(parts, w);
            }
            case "compare" -> {
                List<ComparisonShard> parts = new ArrayList<>();
                for (ShardFile s : shards) {
                    parts.add(s.part(ComparisonShard.class));
                }
                code = parse(new CompareCommand(), first).merge(parts, w);
            }
            default -> throw new UsageException("FILE " + files.get(0) + " is a shard of '" + first.command()
                    + "', which merge does not know (allowed: explore, compare)");
        }
        w.flush();
        CompareCommand.write(file, text.toString(), spec.commandLine().getOut());
        return code;
    }

    /** The command as the shards' run was given it. */
    private static <T> T parse(T command, ShardFile shard) {
        CommandLine cl = new CommandLine(command);
        try {
            cl.parseArgs(shard.args().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UsageException("the shards' arguments do not parse: " + e.getMessage());
        }
        return command;
    }
}
