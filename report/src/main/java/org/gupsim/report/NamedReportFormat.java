package org.gupsim.report;

/**
 * A {@link ReportFormat} whose name, description and wall-time default are fixed values given to
 * the constructor, so that a format (built in, or a user's, listed in
 * {@code META-INF/services/org.gupsim.report.ReportFormat}) writes only how it renders.
 * {@link ReportFormats} checks the values as it checks any format's.
 */
public abstract class NamedReportFormat implements ReportFormat {
    private final String name;
    private final String description;
    private final boolean wallTimesByDefault;

    /**
     * @param name               what {@code --format} takes
     * @param description        one line for listings
     * @param wallTimesByDefault whether the report shows wall times unless asked not to
     */
    protected NamedReportFormat(String name, String description, boolean wallTimesByDefault) {
        this.name = name;
        this.description = description;
        this.wallTimesByDefault = wallTimesByDefault;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean wallTimesByDefault() {
        return wallTimesByDefault;
    }
}
