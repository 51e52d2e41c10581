package org.gupsim.explore;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedLock;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/** Small synthetic programs for the explorer's tests. */
final class Toys {
    private Toys() {
    }

    /** A target with threads named CPU0.. and a fresh world per execution. */
    abstract static class Toy implements ExploreTarget {
        private final int threads;
        Sched sched;

        Toy(int threads) {
            this.threads = threads;
        }

        @Override
        public int threads() {
            return threads;
        }

        @Override
        public String threadName(int thread) {
            return "CPU" + thread;
        }

        @Override
        public void setUp(Sched s) {
            this.sched = s;
            reset();
        }

        abstract void reset();
    }

    /**
     * A spinlock that waits with {@link Sched#waitUntil}, the way the SMP layer should. It does not
     * tell the explorer its holds ({@link SchedLock}): the reduction treats it as any wait.
     */
    static class Lock {
        final String name;
        final Sched sched;
        int owner = -1;

        Lock(String name, Sched sched) {
            this.name = name;
            this.sched = sched;
        }

        void lock(int cpu) {
            sched.waitUntil(this, -1, Access.ACQUIRE, "spin_lock", () -> owner < 0, name);
            owner = cpu;
        }

        void unlock() {
            sched.point(this, -1, Access.RELEASE, "spin_unlock");
            owner = -1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@link Lock} that states its holds, as the SMP layer's spinlock does. */
    static final class ExclusiveLock extends Lock implements SchedLock {
        ExclusiveLock(String name, Sched sched) {
            super(name, sched);
        }

        @Override
        public Hold hold(Access access, String function) {
            return Hold.EXCLUSIVE;
        }
    }

    /**
     * A reader-writer lock that waits as {@code mmap_lock} does: readers share it, a writer has it
     * alone. With {@code states} it tells the explorer its holds ({@link SchedLock}).
     */
    static final class RwLock implements SchedLock {
        final String name;
        final Sched sched;
        final boolean states;
        int readers;
        int writer = -1;

        RwLock(String name, Sched sched, boolean states) {
            this.name = name;
            this.sched = sched;
            this.states = states;
        }

        void readLock() {
            sched.waitUntil(this, -1, Access.ACQUIRE, "down_read", () -> writer < 0, name);
            readers++;
        }

        void readUnlock() {
            sched.point(this, -1, Access.RELEASE, "up_read");
            readers--;
        }

        void writeLock(int cpu) {
            sched.waitUntil(this, -1, Access.ACQUIRE, "down_write", () -> writer < 0 && readers == 0, name);
            writer = cpu;
        }

        void writeUnlock() {
            sched.point(this, -1, Access.RELEASE, "up_write");
            writer = -1;
        }

        @Override
        public Hold hold(Access access, String function) {
            if (!states) {
                return null;
            }
            if (access == Access.RELEASE) {
                return writer >= 0 ? Hold.EXCLUSIVE : Hold.SHARED;
            }
            return function.equals("down_read") ? Hold.SHARED : Hold.EXCLUSIVE;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Two CPUs increment x with a separate load and store; the final check wants x == 2. */
    static Toy lostUpdate() {
        return counter(2, false);
    }

    /** Like {@link #lostUpdate} with an atomic increment. */
    static Toy atomicCounter(int cpus) {
        return counter(cpus, true);
    }

    /** Each CPU increments x once, atomically or as a load and a store; the final check wants x == cpus. */
    private static Toy counter(int cpus, boolean atomic) {
        return new Toy(cpus) {
            int x;

            @Override
            void reset() {
                x = 0;
            }

            @Override
            public void run(int cpu) {
                if (atomic) {
                    sched.point("x", -1, Access.RMW, "atomic_inc");
                    x++;
                    return;
                }
                sched.point("x", -1, Access.READ, "inc_load");
                int r = x;
                sched.point("x", -1, Access.WRITE, "inc_store");
                x = r + 1;
            }

            @Override
            public String outcome() {
                return "x=" + x;
            }

            @Override
            public List<Violation> finalChecks() {
                return x == cpus ? List.of() : List.of(new Violation(ViolationKind.BUG_ON, "lost update: x=" + x));
            }
        };
    }

    /** CPU0 frees a table unless CPU1 saw it first; CPU1 reads an entry of it and reports a use-after-free. */
    static Toy useAfterFree() {
        return new Toy(2) {
            boolean freed;
            boolean cleared;

            @Override
            void reset() {
                freed = false;
                cleared = false;
            }

            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    sched.point("pmd", 3, Access.WRITE, "pmd_clear");
                    cleared = true;
                    sched.point("pte table @0x5000", -1, Access.FREE, "pte_free");
                    freed = true;
                } else {
                    sched.point("pmd", 3, Access.READ, "gup_fast_pmd_range");
                    if (cleared) {
                        return;
                    }
                    sched.point("pte table @0x5000", 7, Access.READ, "gup_fast_pte_range");
                    if (freed) {
                        sched.report(new Violation(ViolationKind.USE_AFTER_FREE, "pte table @0x5000 read after free"));
                    }
                }
            }

            @Override
            public String outcome() {
                return "freed=" + freed;
            }
        };
    }

    /** Two CPUs take locks A and B in opposite orders. */
    static Toy abba() {
        return new Toy(2) {
            Lock a;
            Lock b;

            @Override
            void reset() {
                a = new Lock("lock A", sched);
                b = new Lock("lock B", sched);
            }

            @Override
            public void run(int cpu) {
                Lock first = cpu == 0 ? a : b;
                Lock second = cpu == 0 ? b : a;
                first.lock(cpu);
                second.lock(cpu);
                second.unlock();
                first.unlock();
            }

            @Override
            public String outcome() {
                return "done";
            }
        };
    }

    /** CPU0 spins on a flag nobody sets, with a point per iteration but no waitUntil. */
    static Toy spinner() {
        return new Toy(2) {
            int flag;

            @Override
            void reset() {
                flag = 0;
            }

            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    while (true) {
                        sched.point("flag", -1, Access.READ, "spin_on_flag");
                        if (flag != 0) {
                            return;
                        }
                    }
                }
                sched.point("other", -1, Access.WRITE, "do_something_else");
            }

            @Override
            public String outcome() {
                return "flag=" + flag;
            }
        };
    }

    /** {@code cpus} CPUs each make {@code steps} independent writes to their own variable. */
    static Toy steps(int cpus, int steps) {
        return new Toy(cpus) {
            @Override
            void reset() {
                // nothing shared to reset
            }

            @Override
            public void run(int cpu) {
                for (int i = 0; i < steps; i++) {
                    sched.point("v" + cpu, -1, Access.WRITE, "store");
                }
            }

            @Override
            public String outcome() {
                return "done";
            }
        };
    }

    /**
     * Records the thread the switch listener names at every step of the last execution; checks it
     * is the running one.
     */
    static Toy switchWatcher(List<String> log) {
        return new Toy(3) {
            int current = -1;

            @Override
            void reset() {
                current = -1;
                log.clear(); // the log belongs to the world: each execution starts a fresh one
                sched.onSwitch(t -> current = t);
            }

            @Override
            public void run(int cpu) {
                for (int i = 0; i < 2; i++) {
                    if (current != cpu) {
                        throw new AssertionError("listener says CPU" + current + " but CPU" + cpu + " runs");
                    }
                    sched.point("v" + (i + cpu) % 2, -1, Access.WRITE, "store");
                    log.add("CPU" + cpu);
                }
            }

            @Override
            public String outcome() {
                return "ok";
            }
        };
    }

    /** Names of all rows' threads in order, for checking traces. */
    static List<Integer> threadsOf(Trace trace) {
        List<Integer> out = new ArrayList<>();
        for (TraceRow r : trace.rows()) {
            out.add(r.thread());
        }
        return out;
    }
}
