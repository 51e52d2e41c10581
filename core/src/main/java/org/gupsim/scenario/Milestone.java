package org.gupsim.scenario;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * A point one CPU's program reaches and another waits for: the way a scenario says "CPU2 acts
 * after CPU1 is done" (a user who unmaps once khugepaged has been by). Both steps are scheduling
 * points on this object, so the explorer still interleaves everything else around them.
 */
final class Milestone {
    private final String name;
    private boolean reached;

    Milestone(String name) {
        this.name = name;
    }

    /** The calling CPU has reached it. */
    void reach(Sched sched) {
        sched.point(this, Access.WRITE, "reached: " + name);
        reached = true;
    }

    /** The calling CPU waits until another has reached it. */
    void await(Sched sched) {
        sched.waitUntil(this, -1, Access.READ, "await: " + name, () -> reached, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
