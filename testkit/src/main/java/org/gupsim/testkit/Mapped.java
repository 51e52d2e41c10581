package org.gupsim.testkit;

import java.util.List;
import org.gupsim.fs.OpenFile;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/**
 * One mapping of one task in its own world, made by {@link Mapping#map}, and what must be
 * released before the world tears down.
 *
 * @param world      the machine
 * @param task       the process holding the mapping
 * @param addr       its start
 * @param len        its length in bytes
 * @param file       the open file behind it, or null for anonymous memory
 * @param linkedName the name the file is linked under, or null (anonymous memory, memfds)
 */
public record Mapped(World world, Task task, long addr, long len, OpenFile file, String linkedName) {

    /** The base page size of the world, in bytes. */
    public long pageSize() {
        return 1L << world.mem().pageShift();
    }

    /** How many base pages the mapping spans: the {@code nr_pages} to hand to GUP for all of it. */
    public int nrPages() {
        return (int) (len >>> world.mem().pageShift());
    }

    /**
     * Closes and unlinks the backing file, then tears the world down.
     *
     * @return what {@link World#teardown()} found left over: empty if nothing leaked
     */
    public List<Violation> teardown() {
        if (file != null) {
            world.vfs().fput(file);
        }
        if (linkedName != null) {
            world.vfs().unlink(linkedName);
        }
        return world.teardown();
    }

    /** {@link #teardown()}, failing the test (with {@code what} in the message) if anything was left over. */
    public void assertTearsDownClean(String what) {
        Worlds.assertNoViolations(teardown(), what);
    }
}
