package org.gupsim.testkit;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Errno;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.gupsim.vm.VmArch;

/**
 * One user mapping to set up, as the kernel's {@code gup_longterm} selftest sets them up: a
 * backing, private or shared, of base pages or of one huge page, touched and then mprotect-ed.
 *
 * <p>A huge page is a hugetlb page of that size for the hugetlb backings, and a THP (the range
 * is advised {@code MADV_HUGEPAGE}) for {@link Backing#ANON}. Use {@link #shapes} or {@link GupArbitraries#mappings}
 * for the sizes a variant really has.
 *
 * @param backing       what stands behind the mapping
 * @param shared        {@code MAP_SHARED} rather than {@code MAP_PRIVATE}
 * @param hugePageSize  0 for base pages, else the bytes of the one huge page the mapping spans
 * @param smallPages    how many base pages, when {@code hugePageSize} is 0
 * @param hint          the address hint for {@code mmap()}, 0 to let the kernel choose
 * @param touch         how the pages are faulted in before the call under test
 * @param prot          the protection the mapping is left with
 */
public record Mapping(Backing backing, boolean shared, long hugePageSize, int smallPages, long hint, Touch touch,
                      Prot prot) {

    /** Validates the arguments; see the record description. */
    public Mapping {
        Validate.isTrue(backing != null, "backing must not be null");
        Validate.isTrue(touch != null, "touch must not be null");
        Validate.isTrue(prot != null, "prot must not be null");
        Validate.isTrue(hugePageSize >= 0 && (hugePageSize & (hugePageSize - 1)) == 0,
                "hugePageSize must be 0 or a power of two, was %d", hugePageSize);
        Validate.isTrue(hugePageSize == 0 ? smallPages > 0 : smallPages == 0,
                "smallPages must be positive for base pages and 0 for a huge page, was %d", smallPages);
        Validate.isTrue(hugePageSize != 0 || !backing.hugetlb(), "hugePageSize must be given for %s", backing);
        Validate.isTrue(hugePageSize == 0 || backing.hugetlb() || backing == Backing.ANON,
                "hugePageSize must be 0 for %s (only hugetlb and anonymous THP have huge pages)", backing);
        Validate.isTrue(hint >= 0, "hint must not be negative, was %d", hint);
    }

    /**
     * Base pages from which a huge page is giant: a case over one faults, pins and releases 65,536
     * base pages or more (arm64's 1G and 16G pages, powerpc's PUD leaves, s390's 2G page), the cost
     * of a hundred other cases, so generated properties leave giants out ({@link #shapes}) and
     * tables give them rows on a few variants.
     */
    public static final int GIANT_PAGES = 1 << 16;

    /**
     * Every shape of mapping {@code arch} can have, in a fixed order: each backing, private and
     * shared, in each page size it has there ({@link Backing#pageShifts}: the variant's hugetlb
     * sizes, a THP of the PMD size for private anonymous memory where PMD leaves exist, else base
     * pages), huge pages no bigger than {@code maxHugePageSize}. Base-page mappings span
     * {@code smallPages} pages; every shape is untouched ({@link Touch#NONE}) and {@link Prot#RW}.
     * Private secretmem is among them: mmap refuses it.
     */
    public static List<Mapping> shapes(VmArch arch, int smallPages, long maxHugePageSize) {
        Validate.isTrue(arch != null, "arch must not be null");
        Validate.isTrue(smallPages > 0, "smallPages must be positive, was %d", smallPages);
        List<Mapping> shapes = new ArrayList<>();
        for (Backing b : Backing.values()) {
            for (boolean shared : new boolean[] {false, true}) {
                for (int shift : b.pageShifts(shared, arch)) {
                    if (shift == arch.pageShift() && !b.hugetlb()) {
                        shapes.add(small(b, shared, smallPages, Touch.NONE, Prot.RW));
                    } else if (1L << shift <= maxHugePageSize) {
                        shapes.add(huge(b, shared, 1L << shift, Touch.NONE, Prot.RW));
                    }
                }
            }
        }
        return List.copyOf(shapes);
    }

    /** The largest huge page that is not giant ({@link #GIANT_PAGES}) with base pages of {@code pageShift}. */
    public static long largestNonGiant(int pageShift) {
        return ((long) GIANT_PAGES << pageShift) >>> 1;
    }

    /** Whether this is one giant huge page ({@link #GIANT_PAGES} base pages of {@code pageShift} or more). */
    public boolean giant(int pageShift) {
        return hugePageSize >>> pageShift >= GIANT_PAGES;
    }

    /** This shape touched as {@code newTouch} and left as {@code newProt}. */
    public Mapping with(Touch newTouch, Prot newProt) {
        return new Mapping(backing, shared, hugePageSize, smallPages, hint, newTouch, newProt);
    }

    /** {@code smallPages} base pages of {@code backing}, placed by the kernel. */
    public static Mapping small(Backing backing, boolean shared, int smallPages, Touch touch, Prot prot) {
        return new Mapping(backing, shared, 0, smallPages, 0, touch, prot);
    }

    /** One huge page of {@code size} bytes: a hugetlb page, or for {@link Backing#ANON} a THP. */
    public static Mapping huge(Backing backing, boolean shared, long size, Touch touch, Prot prot) {
        return new Mapping(backing, shared, size, 0, 0, touch, prot);
    }

    /**
     * {@link #huge} of {@code hugePageSize} if it is not 0, else {@link #small} of {@code smallPages}:
     * for tables whose rows name a backing and a page size together.
     */
    public static Mapping of(Backing backing, long hugePageSize, boolean shared, int smallPages, Touch touch,
                             Prot prot) {
        return hugePageSize != 0
                ? huge(backing, shared, hugePageSize, touch, prot)
                : small(backing, shared, smallPages, touch, prot);
    }

    /** This mapping with {@code mmap()} hinted at {@code addr}. */
    public Mapping at(long addr) {
        return new Mapping(backing, shared, hugePageSize, smallPages, addr, touch, prot);
    }

    /** Whether it is an anonymous range advised {@code MADV_HUGEPAGE}. */
    public boolean thp() {
        return backing == Backing.ANON && hugePageSize != 0;
    }

    /** Its length in bytes on a machine whose base pages are {@code 1 << pageShift} bytes. */
    public long length(int pageShift) {
        return hugePageSize != 0 ? hugePageSize : (long) smallPages << pageShift;
    }

    /**
     * What {@link #attempt} did: the mapping, or the errno {@code mmap()} refused it with.
     *
     * @param mapped  the mapping, or null if refused
     * @param refused why {@code mmap()} refused it, or null if mapped
     */
    public record Attempt(Mapped mapped, Errno refused) {
    }

    /**
     * Sets the mapping up for a new task of {@code w}: see {@link #map}.
     *
     * @return the mapping, or the errno of an {@code mmap()} that refused it (private secretmem:
     *         EINVAL); the world is then torn down already
     */
    public Attempt attempt(World w) {
        Validate.isTrue(w != null, "w must not be null");
        Task t = w.newTask();
        int pageShift = w.mem().pageShift();
        long len = length(pageShift);
        String name = backing.label();
        OpenFile file = backing.createFile(w.vfs(), name, len,
                hugePageSize != 0 ? Long.numberOfTrailingZeros(hugePageSize) : pageShift);
        String linked = backing.linked() ? name : null;
        int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (file == null ? MAP_ANONYMOUS : 0);
        long addr = t.mmap(hint, len, PROT_READ | PROT_WRITE, flags, file, 0);
        if (addr < 0) {
            new Mapped(w, t, 0, 0, file, linked).assertTearsDownClean("teardown after mmap refused " + this);
            return new Attempt(null, Errno.fromReturn(addr));
        }
        if (thp()) {
            assertEquals(0, t.madvise(addr, len, MADV_HUGEPAGE), "madvise(MADV_HUGEPAGE) of " + this);
        }
        if (touch != Touch.NONE) {
            long touched = touch == Touch.WRITE_FIRST_HALF ? len / 2 : len;
            if (backing.hugetlb()) {
                touchEachHugePage(t, addr, touched, touch != Touch.READ);
            } else {
                assertEquals(0, t.touch(addr, touched, touch != Touch.READ), "touch of " + this);
            }
        }
        if (prot != Prot.RW) {
            assertEquals(0, t.mprotect(addr, len, prot.bits()), "mprotect of " + this);
        }
        return new Attempt(new Mapped(w, t, addr, len, file, linked), null);
    }

    /**
     * Touches the first base page of each hugetlb page that {@code [addr, addr + len)} reaches. The
     * fault maps a hugetlb page whole ({@code hugetlb_fault()}: one leaf, or one contiguous group,
     * young, and dirty on a write) and it is never split into base pages, so every later access
     * to it finds what the first one left: touching one page each has the effect of touching all,
     * without a walk per base page of a 1G or 16G page.
     */
    private void touchEachHugePage(Task t, long addr, long len, boolean write) {
        int pageShift = t.mm().pageShift();
        for (long a = addr; a < addr + len; a += hugePageSize) {
            assertEquals(0, t.touch(a, 1L << pageShift, write), "touch of " + this);
        }
    }

    /**
     * Sets the mapping up for a new task of {@code w}: creates the file behind it, maps it
     * {@code PROT_READ|PROT_WRITE}, advises THP, touches it as {@link #touch} says, then
     * mprotects it to {@link #prot}. A failing madvise, touch or mprotect fails the test.
     *
     * @return the mapping, or null if {@code mmap()} refused it (private secretmem does); the
     *         world is then torn down already
     */
    public Mapped map(World w) {
        return attempt(w).mapped();
    }
}
