package org.gupsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/architecture.md: core's packages form layers in the order of its table, and a
 * package may only use packages listed above it (or itself). That also rules out cycles. The
 * modules built on core continue the order: {@code testkit} (module gupsim-testkit) over
 * {@code compare}, then {@code report} (module gupsim-report), {@code cli} on top. Checked on the sources, imports and fully qualified names
 * alike.
 */
class PackageLayeringTest {
    private static final List<String> LAYERS = List.of(
            "util", "kernel", "memmodel", "litmus", "sched", "smp", "mm", "pgtable", "tlb", "fs", "vm", "gup", "callers",
            "check", "arch", "explore", "scenario", "compare", "testkit", "report", "cli");
    /** Core's sources, then those of the modules above it, as seen from core's directory. */
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java/org/gupsim"),
            Path.of("../testkit/src/main/java/org/gupsim"), Path.of("../report/src/main/java/org/gupsim"),
            Path.of("../cli/src/main/java/org/gupsim"));
    private static final Pattern REF = Pattern.compile("org\\.gupsim\\.([a-z0-9]+)\\.");

    @Test
    void packagesOnlyUsePackagesAboveThem() throws IOException {
        List<String> offences = new ArrayList<>();
        int files = 0;
        for (Path root : ROOTS) {
            files += offences(root, offences);
        }
        assertTrue(files > 50, "expected to scan core's sources, found " + files + " files");
        assertEquals(List.of(), offences.stream().distinct().toList());
    }

    private static int offences(Path root, List<String> offences) throws IOException {
        assertTrue(Files.isDirectory(root), root + " is missing");
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files++;
                String pkg = root.relativize(p).getName(0).toString();
                int own = LAYERS.indexOf(pkg);
                assertTrue(own >= 0, p + " is in package " + pkg + ", which docs/architecture.md does not list");
                Matcher m = REF.matcher(Files.readString(p));
                while (m.find()) {
                    String used = m.group(1);
                    int layer = LAYERS.indexOf(used);
                    if (layer > own) {
                        offences.add(p.getFileName() + " (" + pkg + ") uses " + used);
                    }
                }
            }
        }
        return files;
    }

    @Test
    void everyPackageSaysWhatItMirrors() throws IOException {
        for (Path root : ROOTS) {
            packageInfos(root);
        }
    }

    private static void packageInfos(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                Path info = dir.resolve("package-info.java");
                assertTrue(Files.exists(info), dir.getFileName() + " has no package-info.java");
                String text = Files.readString(info);
                assertTrue(text.contains("Mirrors") || text.contains("kernel twin") || text.contains("counterpart"),
                        info + " does not say what it mirrors");
            }
        }
    }
}
