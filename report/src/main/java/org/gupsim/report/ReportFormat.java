package org.gupsim.report;

import org.gupsim.compare.ComparisonReport;

/**
 * One way to print a {@link ComparisonReport}: what {@code gupsim compare --format NAME} selects.
 * The built-in formats (text, markdown, json, html) and a user's own are found the same way, by
 * {@link ReportFormats} through {@link java.util.ServiceLoader}: a jar lists its implementations
 * in {@code META-INF/services/org.gupsim.report.ReportFormat}. An implementation needs a public
 * no-argument constructor and must be a pure function of the report (and of {@code timings}).
 */
public interface ReportFormat {

    /** The name {@code --format} takes: lower case, no spaces, unique among the formats found. */
    String name();

    /** One line saying what the format is for, for {@code --help}. */
    String description();

    /**
     * Whether the format shows wall times without {@code --timings}: true for the formats people
     * read as they come (text, html), false for those meant to compare byte for byte across runs
     * (markdown, json).
     */
    boolean wallTimesByDefault();

    /**
     * Renders {@code report}.
     *
     * @param timings add the wall times; without them the output is a pure function of the
     *                report's inputs
     */
    String render(ComparisonReport report, boolean timings);
}
