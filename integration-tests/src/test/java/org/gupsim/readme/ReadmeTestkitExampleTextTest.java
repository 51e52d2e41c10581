package org.gupsim.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Violation;
import org.gupsim.gup.Foll;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.Test;

/**
 * The README's testkit example is {@link TestkitExampleTest}, line for line, and the case it
 * leaves out is left out for the reason it gives.
 */
class ReadmeTestkitExampleTextTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /**
     * The README's code block that runs {@code FastSlowAgreement.run} is the test class without
     * its package line, its class Javadoc and declaration, and its closing brace (indentation and
     * blank lines aside), so what the README shows is what the build runs.
     */
    @Test
    void theReadmesExampleIsTheCodeTheBuildRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        String shown = null;
        while (block.find()) {
            if (block.group(1).contains("FastSlowAgreement.run(")) {
                shown = block.group(1);
            }
        }
        assertTrue(shown != null, "README.md has no java block running FastSlowAgreement.run");
        List<String> test = Files.readAllLines(
                ROOT.resolve("integration-tests/src/test/java/org/gupsim/readme/TestkitExampleTest.java"));
        assertEquals(lines(List.of(shown.split("\n"))), lines(classBody(test)));
    }

    /** The file without {@code package}, the class's Javadoc and declaration, and the class's last brace. */
    private static List<String> classBody(List<String> file) {
        int declaration = -1;
        for (int i = 0; i < file.size(); i++) {
            if (file.get(i).startsWith("class ")) {
                declaration = i;
                break;
            }
        }
        assertTrue(declaration > 0, "no top-level class declaration");
        int javadoc = declaration;
        while (javadoc > 0 && !file.get(javadoc).startsWith("/**")) {
            javadoc--;
        }
        int lastBrace = file.lastIndexOf("}");
        List<String> out = new ArrayList<>(file.subList(0, javadoc));
        out.addAll(file.subList(declaration + 1, lastBrace));
        out.removeIf(l -> l.startsWith("package "));
        return out;
    }

    private static List<String> lines(List<String> raw) {
        return raw.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * What the example leaves out really breaks the property: on the released 6.10, arm64's 16k-52
     * GUP-fast reads a word of its own stack through the run-time folded PUD (36639013b346 fixed it
     * for 6.11 and 6.10.3), which the model reports as a kernel bug; the same call on the latest
     * kernel agrees with the slow path.
     */
    @Test
    void theLeftOutCaseIsAKernelBugTheModelReports() {
        Mapping m = Mapping.small(Backing.ANON, false, 8, Touch.WRITE, Prot.RW);
        GupCall pin = new GupCall(GupCall.Kind.PIN, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
        assertTrue(TestkitExampleTest.knownKernelBug("arm64:16k-52", KernelVersion.V6_10));
        KernelBugException e = assertThrows(KernelBugException.class, () -> FastSlowAgreement.run(
                () -> m.map(Worlds.boot("arm64:16k-52", KernelVersion.V6_10, 64L << 20)), pin));
        assertEquals(Violation.STACK, e.violation().subject(), e.violation().toString());
        FastSlowAgreement.Outcome latest = FastSlowAgreement.run(
                () -> m.map(Worlds.boot("arm64:16k-52", KernelVersion.LATEST, 64L << 20)), pin);
        assertTrue(latest.agrees(), latest.toString());
    }
}
