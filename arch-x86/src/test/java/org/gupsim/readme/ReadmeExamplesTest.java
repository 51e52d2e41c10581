package org.gupsim.readme;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples README.md points users at exist, and are named so that Maven Surefire's default
 * patterns run them: a user who copies one into a project without this project's extra
 * {@code <include>} must not get a green build that ran nothing.
 */
class ReadmeExamplesTest {
    /** Surefire's default {@code <includes>}: {@code **}{@code /Test*.java}, {@code *Test}, {@code *Tests}, {@code *TestCase}. */
    static final Pattern SUREFIRE_DEFAULT = Pattern.compile("Test\\w*|\\w*Test|\\w*Tests|\\w*TestCase");

    @Test
    void theReadmesExamplesExistAndRunUnderSurefiresDefaults() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = Pattern.compile("`((?:arch-x86|integration-tests)/src/test/java/org/gupsim/readme/(\\w+)\\.java)`").matcher(readme);
        List<String> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(m.group(1));
            assertTrue(Files.isRegularFile(root.resolve(m.group(1))), m.group(1) + " is named in README.md but missing");
            assertTrue(SUREFIRE_DEFAULT.matcher(m.group(2)).matches(), m.group(2)
                    + " does not match Surefire's default test patterns: a copy of it would not run");
        }
        assertFalse(examples.isEmpty(), "README.md names no example under arch-x86 or integration-tests src/test/java/org/gupsim/readme");
    }
}
