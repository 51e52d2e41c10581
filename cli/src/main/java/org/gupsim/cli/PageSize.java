package org.gupsim.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The page sizes {@code --page-size} accepts, as people write them: every base and huge page size
 * of the known architectures (which of them a machine has is the architecture's
 * {@code pageSizeNames()}).
 */
enum PageSize {
    SIZE_4K("4K", 12), SIZE_64K("64K", 16), SIZE_2M("2M", 21), SIZE_16M("16M", 24), SIZE_1G("1G", 30),
    SIZE_16G("16G", 34);

    private final String label;
    private final int shift;

    PageSize(String label, int shift) {
        this.label = label;
        this.shift = shift;
    }

    String label() {
        return label;
    }

    /** log2 of the size in bytes. */
    int shift() {
        return shift;
    }

    long bytes() {
        return 1L << shift;
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(PageSize::label).toList();
    }

    /** The page size written {@code text} (case-insensitive), or null. */
    static PageSize byLabel(String text) {
        for (PageSize p : values()) {
            if (p.label.equals(text.toUpperCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    /** The page size of {@code 1 << shift} bytes. */
    static PageSize ofShift(int shift) {
        for (PageSize p : values()) {
            if (p.shift == shift) {
                return p;
            }
        }
        throw new IllegalArgumentException("shift must be one of 12, 16, 21, 24, 30, 34, was " + shift);
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return labels().iterator();
        }
    }
}
