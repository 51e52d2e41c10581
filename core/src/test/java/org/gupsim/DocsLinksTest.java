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
 * The README and everything under docs/ stand on their own in a clone: every relative link names a
 * file of the repository, nothing points outside it (the team's working directories are not part of
 * what users get), and docs/kernel/README.md lists every topic page beside it.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static List<Path> pages() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyRelativeLinkNamesAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            for (String outside : List.of("../shared", "/work/", "kernel-semantics.md", "DESIGN.md")) {
                if (text.contains(outside)) {
                    broken.add(ROOT.relativize(page) + " mentions " + outside + ", which is not in the repository");
                }
            }
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1).replaceFirst("#.*", "");
                if (target.isEmpty() || target.matches("[a-z]+:.*")) {
                    continue;
                }
                Path resolved = page.getParent().resolve(target).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + " links " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theKernelIndexListsEveryTopicPage() throws IOException {
        Path dir = ROOT.resolve("docs/kernel");
        String index = Files.readString(dir.resolve("README.md"));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals("README.md")) {
                    assertTrue(index.contains("(" + name + ")"), "docs/kernel/README.md does not list " + name);
                }
            }
        }
    }
}
