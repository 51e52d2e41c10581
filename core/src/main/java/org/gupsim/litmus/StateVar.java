package org.gupsim.litmus;

/**
 * Something a final state gives a value to: a thread's register ({@code 0:r0}) or a shared
 * location ({@code x}).
 *
 * @param thread the thread of a register, or -1 for a location
 * @param name   the register or location name
 */
public record StateVar(int thread, String name) implements Comparable<StateVar> {

    public boolean isRegister() {
        return thread >= 0;
    }

    /** Registers by thread then name, then locations by name. */
    @Override
    public int compareTo(StateVar o) {
        if (isRegister() != o.isRegister()) {
            return isRegister() ? -1 : 1;
        }
        int c = Integer.compare(thread, o.thread);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return thread >= 0 ? thread + ":" + name : name;
    }
}
