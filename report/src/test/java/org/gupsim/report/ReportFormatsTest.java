package org.gupsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.compare.ComparisonReport;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {

    /**
     * A format from outside the package, registered in this module's test resources exactly as a
     * user's jar would register one: it gets no door the built-ins lack, and they none it lacks.
     */
    public static final class CellCount extends NamedReportFormat {
        public CellCount() {
            this("cell-count");
        }

        CellCount(String name) {
            super(name, "how many cells the comparison ran", false);
        }

        @Override
        public String render(ComparisonReport report, boolean timings) {
            return report.cells().size() + " cells\n";
        }
    }

    @Test
    void theServiceLoaderFindsTheBuiltInsInTheirOrderAndOthersAlike() {
        ReportFormats formats = ReportFormats.load();
        // This module's test classes come first on the test class path, so their format does too.
        assertEquals(List.of("cell-count", "text", "markdown", "json", "html"), formats.names());
        assertTrue(formats.get("text").wallTimesByDefault());
        assertTrue(formats.get("html").wallTimesByDefault());
        assertFalse(formats.get("markdown").wallTimesByDefault());
        assertFalse(formats.get("json").wallTimesByDefault());
        assertEquals(CellCount.class, formats.get("cell-count").getClass());
        formats.formats().forEach(f -> assertFalse(f.description().isBlank(), f.name()));
    }

    @Test
    void anUnknownNameIsAnsweredWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportFormats.load().get("xml"));
        assertEquals("format must be one of [cell-count, text, markdown, json, html], was 'xml'", e.getMessage());
    }

    @Test
    void twoFormatsWithOneNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportFormats.of(List.of(new TextReport(), new CellCount("text"))));
        assertTrue(e.getMessage().startsWith("two formats are named text"), e.getMessage());
    }

    @Test
    void emptyMalformedAndNonAsciiNamesAreRefused() {
        for (String bad : new String[] {"", "Text", "two words", "gr\u00fcn", "-x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReportFormats.of(List.of(new CellCount(bad))), bad);
            assertTrue(e.getMessage().contains("name must be lower-case letters"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ReportFormats.of(null));
    }
}
