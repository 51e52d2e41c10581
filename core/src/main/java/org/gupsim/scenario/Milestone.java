package org.gupsim.scenario;

import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * A point one CPU's program reaches and another waits for: the way a scenario says "CPU2 acts
 * after CPU1 is done" (a user who unmaps once khugepaged has been by). Both steps are scheduling
 * points on this object, so the explorer still interleaves everything else around them. Make one
 * per execution, in {@link Scenario#setUp}; a scenario of your own orders its programs the same way.
 */
public final class Milestone {
    private final String name;
    private boolean reached;

    /** @param name what it stands for, shown in the trace ({@code "reached: "} and {@code "await: "} it) */
    public Milestone(String name) {
        Validate.isTrue(name != null, "name must not be null");
        this.name = name;
    }

    /** The calling CPU has reached it. */
    public void reach(Sched sched) {
        sched.point(this, Access.WRITE, "reached: " + name);
        reached = true;
    }

    /** The calling CPU waits until another has reached it. */
    public void await(Sched sched) {
        sched.waitUntil(this, -1, Access.READ, "await: " + name, () -> reached, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
