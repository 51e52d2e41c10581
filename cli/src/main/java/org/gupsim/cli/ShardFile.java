package org.gupsim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gupsim.kernel.UserCode;

/**
 * A shard file: what {@code explore --shard I/N} or {@code compare --shard I/N} prints, and
 * {@code gupsim merge} reads. It names the command and its arguments (without those that do not
 * change the result: {@code --shard}, {@code --threads}, {@code --out}), so that merge can check
 * that its files are the parts of one run and print what that run would have printed; and the
 * part itself, as the engine gives it. No timings: the same shard of the same run gives the same
 * bytes.
 *
 * @param gupsim  always {@value #KIND}
 * @param version the format's version, {@value #VERSION}
 * @param command {@code explore} or {@code compare}
 * @param args    the command's arguments, without {@code --shard}, {@code --threads} and {@code --out}
 * @param shard   this part's number (from 0)
 * @param shards  how many parts the run was split into
 * @param classpath the class path of the run's user code ({@code --classpath} or {@code GUPSIM_CLASSPATH},
 *                as given), or null when it had none: merge replays a counterexample, and a user's
 *                scenario or patch must be found again to do it
 * @param part    the engine's part: a {@code SearchShard} or a {@code ComparisonShard}
 */
record ShardFile(String gupsim, int version, String command, List<String> args, int shard, int shards,
                 String classpath, JsonNode part) {
    static final String KIND = "shard";
    static final int VERSION = 1;
    /** What merge takes, for its error messages. */
    static final String ALLOWED = "allowed: the files 'explore --shard I/N' and 'compare --shard I/N' print, format "
            + "version " + VERSION;
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    /** The largest shard file read (1 GiB; a shard of the ten-kernel compare matrix is a few MiB). */
    static final long MAX_BYTES = 1L << 30;
    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_BYTES).build()).build())
            .readerFor(ShardFile.class)
            // One shard file is one JSON value: two files pasted into one (cat a b > c) or junk after
            // the value is refused, not read as its first part.
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Options that say how or where to run, not what: dropped from the recorded arguments. */
    private static final Set<String> NOT_INPUTS = Set.of("--shard", "--threads", "--out");

    /** A shard file for {@code part} of a run of {@code command} with {@code args}. */
    static ShardFile of(String command, List<String> args, ShardSpec spec, Object part) {
        return new ShardFile(KIND, VERSION, command, inputs(args), spec.index(), spec.count(),
                UserCode.classpath().orElse(null), MAPPER.valueToTree(part));
    }

    /** The arguments without those that only say how or where to run. */
    static List<String> inputs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (NOT_INPUTS.contains(name)) {
                if (eq < 0) {
                    i++; // its value
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** The file as one line of JSON. */
    String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a shard file cannot be written: " + e.getMessage(), e);
        }
    }

    /** The part as {@code type}. */
    <T> T part(Class<T> type) {
        try {
            return MAPPER.treeToValue(part, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UsageException("the shard file's part is not a " + type.getSimpleName() + ": "
                    + firstLine(e.getMessage()));
        }
    }

    /**
     * Reads a shard file.
     *
     * @throws UsageException naming the file when it cannot be read or is not a shard file
     */
    static ShardFile read(Path file) {
        String not = "FILE " + file + " is not a gupsim shard file (" + ALLOWED + ")";
        ShardFile f;
        // Parsed as it is read, never read whole first: an endless or huge file (/dev/zero) is
        // refused at its first byte that cannot start a shard file, or at MAX_BYTES.
        try (InputStream in = Files.newInputStream(file)) {
            f = READER.readValue(in);
        } catch (JsonProcessingException e) {
            throw new UsageException(not);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("FILE " + file + " cannot be read: "
                    + (Files.exists(file) ? firstLine(e.getMessage()) : "no such file") + " (" + ALLOWED + ")");
        }
        if (f == null || !KIND.equals(f.gupsim()) || f.command() == null || f.args() == null || f.part() == null) {
            throw new UsageException(not);
        }
        if (f.version() != VERSION) {
            throw new UsageException("FILE " + file + " is a shard file of format version " + f.version()
                    + ", which this gupsim does not read (" + ALLOWED + ")");
        }
        // The part repeats which shard it is; a file whose two say different things was edited or
        // put together by hand, and merging it could miss or repeat part of the run.
        if (f.shards() < 1 || f.shard() < 0 || f.shard() >= f.shards() || !f.part().path("shard").isInt()
                || f.part().path("shard").intValue() != f.shard() || f.part().path("shards").intValue() != f.shards()) {
            throw new UsageException("FILE " + file + " is not a consistent shard file: it says shard " + f.shard() + "/"
                    + f.shards() + ", its part " + f.part().path("shard") + "/" + f.part().path("shards") + " ("
                    + ALLOWED + ")");
        }
        return f;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
