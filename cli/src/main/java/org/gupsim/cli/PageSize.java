package org.gupsim.cli;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.gup.KernelVersion;

/**
 * A page size {@code --page-size} accepts, as people write it: a power of two with K, M or G
 * ({@code 4K}, {@code 64K}, {@code 2M}, {@code 512M}, {@code 1G}, ...). Which sizes exist depends
 * on the architecture variant ({@code ArchVariant#pageSizeNames()}) and the backing; the pin
 * command checks both and names the variant's sizes when one is wrong.
 *
 * @param label the canonical form, e.g. {@code 32M}
 * @param shift log2 of the size in bytes
 */
record PageSize(String label, int shift) {
    PageSize {
        Validate.isTrue(shift >= 10 && shift < 50, "shift must be in 10..49, was %d", shift);
    }

    long bytes() {
        return 1L << shift;
    }

    /**
     * Every page size some registered architecture variant has, smallest first: the shell
     * completion candidates. Error messages name the sizes of the variant asked for instead.
     */
    static List<String> labels() {
        TreeSet<PageSize> all = new TreeSet<>(Comparator.comparingInt(PageSize::shift));
        for (Architecture a : ArchRegistry.load().architectures()) {
            for (String v : a.variants()) {
                for (String size : a.variant(v, KernelVersion.LATEST).pageSizeNames()) {
                    all.add(byLabel(size));
                }
            }
        }
        return all.stream().map(PageSize::label).toList();
    }

    /**
     * The page size written {@code text} (case-insensitive, ASCII digits), or null if it is not a
     * power of two with K, M or G.
     */
    static PageSize byLabel(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.length() < 2 || !t.substring(0, t.length() - 1).chars().allMatch(c -> c >= '0' && c <= '9')
                || t.length() > 8) {
            return null;
        }
        int unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> -1;
        };
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        if (unit < 0 || n <= 0 || Long.bitCount(n) != 1 || unit + Long.numberOfTrailingZeros(n) >= 50) {
            return null;
        }
        PageSize p = ofShift(unit + Long.numberOfTrailingZeros(n));
        return p.label.equals(t) ? p : null;
    }

    /** The page size of {@code 1 << shift} bytes, labelled with the largest unit that divides it. */
    static PageSize ofShift(int shift) {
        Validate.isTrue(shift >= 10 && shift < 50, "shift must be in 10..49, was %d", shift);
        String label = shift >= 30 ? (1L << (shift - 30)) + "G"
                : shift >= 20 ? (1L << (shift - 20)) + "M"
                : (1L << (shift - 10)) + "K";
        return new PageSize(label, shift);
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return labels().iterator();
        }
    }
}
