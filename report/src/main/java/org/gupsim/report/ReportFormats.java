package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.commons.lang3.Validate;

/**
 * The registry of report formats: every {@link ReportFormat} the class path offers, one entry per
 * format, found with {@link ServiceLoader}. The order is the service loader's: class-path order,
 * then the order of each jar's service file (the built-ins list text, markdown, json, html), so it
 * is the same for the same class path. Two formats with one name are refused, as a second
 * {@code text} would otherwise silently shadow the first.
 */
public final class ReportFormats {
    private final List<ReportFormat> formats;

    private ReportFormats(List<ReportFormat> formats) {
        this.formats = List.copyOf(formats);
    }

    /** The formats visible to this class's class loader. */
    public static ReportFormats load() {
        List<ReportFormat> found = new ArrayList<>();
        ServiceLoader.load(ReportFormat.class, ReportFormats.class.getClassLoader()).forEach(found::add);
        return of(found);
    }

    /**
     * A registry of exactly {@code formats}, in their order.
     *
     * @throws IllegalArgumentException if a name is empty or malformed, or given twice
     */
    public static ReportFormats of(List<ReportFormat> formats) {
        Validate.isTrue(formats != null, "formats must not be null");
        List<String> names = new ArrayList<>();
        for (ReportFormat f : formats) {
            Validate.isTrue(f != null, "formats must not contain null");
            String name = f.name();
            Validate.isTrue(name != null && name.matches("[a-z0-9][a-z0-9-]*"),
                    "format %s: name must be lower-case letters, digits and '-', was '%s'", f.getClass().getName(),
                    name);
            Validate.isTrue(!names.contains(name), "two formats are named %s (%s and another); names must be unique",
                    name, f.getClass().getName());
            names.add(name);
        }
        return new ReportFormats(formats);
    }

    /** Every format, in registry order. */
    public List<ReportFormat> formats() {
        return formats;
    }

    /** The formats' names, in registry order. */
    public List<String> names() {
        return formats.stream().map(ReportFormat::name).toList();
    }

    /** @throws IllegalArgumentException naming the known formats if there is no format {@code name} */
    public ReportFormat get(String name) {
        for (ReportFormat f : formats) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be one of " + names() + ", was '" + name + "'");
    }
}
