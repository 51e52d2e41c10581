package org.gupsim.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.UserCode;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.scenario.Scenarios;

/**
 * The jars and directories users' code comes from: {@code --classpath} given before the command,
 * else {@code GUPSIM_CLASSPATH}. Each entry must be a directory or a jar; the providers they
 * register are loaded at once, so that a provider naming a class that is not there, or a second
 * patch (scenario, feature) of a name already taken, is bad input answered in one line, before
 * any command runs.
 */
final class UserClasspath {
    static final String ENV = "GUPSIM_CLASSPATH";
    private static final String ALLOWED = "jar files and directories, separated by " + File.pathSeparator;

    private UserClasspath() {
    }

    /**
     * A class loader over the user's class path, its providers loaded, or empty when none is given.
     *
     * @throws UsageException naming {@code --classpath} or {@code GUPSIM_CLASSPATH}, the entry and what is allowed
     */
    static Optional<ClassLoader> from(String[] args, Map<String, String> env) {
        String given = null;
        String flag = "--classpath";
        if (args.length >= 2 && args[0].equals(flag)) {
            given = args[1];
        } else if (args.length >= 1 && args[0].startsWith(flag + "=")) {
            given = args[0].substring(flag.length() + 1);
        } else if (env.get(ENV) != null) {
            given = env.get(ENV);
            flag = ENV;
        }
        if (given == null) {
            return Optional.empty();
        }
        List<String> entries = List.of(given.split(File.pathSeparator, -1));
        if (given.isEmpty()) {
            throw new UsageException(flag + " is empty (allowed: " + ALLOWED + ")");
        }
        for (String e : entries) {
            check(flag, given, e);
        }
        ClassLoader loader = UserCode.loader(entries);
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(loader);
        try {
            KernelCatalogue.get();
            Scenarios.all();
            ArchRegistry.load();
            MemoryModels.all();
        } catch (ServiceConfigurationError | IllegalStateException e) {
            throw new UsageException(flag + " " + given + ": " + CliErrors.oneLine(String.valueOf(e.getMessage())));
        } finally {
            self.setContextClassLoader(before);
        }
        return Optional.of(loader);
    }

    private static void check(String flag, String given, String entry) {
        if (entry.isEmpty()) {
            throw new UsageException(flag + " " + given + ": an empty entry (allowed: " + ALLOWED + ")");
        }
        Path p;
        try {
            p = Path.of(entry);
        } catch (InvalidPathException e) {
            throw new UsageException(flag + " " + given + ": '" + entry + "' is not a path (allowed: " + ALLOWED + ")");
        }
        if (Files.isDirectory(p)) {
            return;
        }
        if (!Files.isRegularFile(p)) {
            throw new UsageException(flag + " " + given + ": '" + entry + "' does not exist (allowed: " + ALLOWED + ")");
        }
        if (!isJar(p)) {
            throw new UsageException(flag + " " + given + ": '" + entry + "' is neither a jar nor a directory (allowed: "
                    + ALLOWED + ")");
        }
    }

    /** A jar is a zip file: it starts with {@code PK\3\4}. */
    private static boolean isJar(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }
}
