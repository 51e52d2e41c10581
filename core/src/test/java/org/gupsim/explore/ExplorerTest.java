package org.gupsim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.sched.Access;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.Test;

class ExplorerTest {

    @Test
    void dporFindsTheLostUpdate() {
        ExplorationResult r = Explorer.explore(Toys.lostUpdate(), Strategy.dpor());
        assertEquals(Verdict.VIOLATION, r.verdict());
        Counterexample ce = r.firstViolation().orElseThrow();
        assertEquals(new Violation(ViolationKind.BUG_ON, "lost update: x=1"), ce.violation());
        assertEquals(4, ce.trace().rows().size());
        assertEquals("x=1", ce.trace().outcome());
        assertTrue(r.outcomes().containsKey("x=1"), r.render());
        assertTrue(ce.trace().render().contains("==> BUG_ON: lost update: x=1"), ce.trace().render());
    }

    @Test
    void dfsWithoutReductionSeesAllSixInterleavings() {
        ExplorationResult r = Explorer.explore(Toys.lostUpdate(), Strategy.dfs(),
                ExploreOptions.DEFAULTS.withStopOnFirstViolation(false));
        assertTrue(r.exhausted());
        assertEquals(6, r.schedules());
        assertEquals(Map.of("x=1", 4L, "x=2", 2L), r.outcomes());
        assertEquals(Map.of("BUG_ON", 4L), r.violations());
        // the reported counterexample is the smallest: four steps, fewest switches, then smallest string
        assertEquals("0,1x2,0", r.firstViolation().orElseThrow().schedule());
    }

    @Test
    void dporCoversBothOutcomesOfTheLostUpdateWithFewerSchedules() {
        ExplorationResult r = Explorer.explore(Toys.lostUpdate(), Strategy.dpor(),
                ExploreOptions.DEFAULTS.withStopOnFirstViolation(false));
        assertTrue(r.exhausted());
        assertEquals(List.of("x=1", "x=2"), List.copyOf(r.outcomes().keySet()));
        assertTrue(r.schedules() < 6, r.render());
    }

    @Test
    void atomicIncrementIsSafeAndExhausted() {
        ExplorationResult r = Explorer.explore(Toys.atomicCounter(3), Strategy.dpor());
        assertEquals(Verdict.SAFE, r.verdict());
        assertTrue(r.exhausted());
        assertEquals(Map.of("x=3", 6L), r.outcomes());
        // three dependent increments: 3! orders, and nothing to prune
        assertEquals(6, r.schedules());
        assertTrue(r.firstViolation().isEmpty());
    }

    @Test
    void independentStepsAreExploredOnce() {
        // each CPU writes its own variable: one class of schedules
        Toys.Toy t = new Toys.Toy(3) {
            int[] v;

            @Override
            void reset() {
                v = new int[3];
            }

            @Override
            public void run(int cpu) {
                for (int i = 0; i < 3; i++) {
                    sched.point("v" + cpu, -1, Access.WRITE, "store");
                    v[cpu]++;
                }
            }

            @Override
            public String outcome() {
                return java.util.Arrays.toString(v);
            }
        };
        ExplorationResult r = Explorer.explore(t, Strategy.dpor());
        assertTrue(r.exhausted());
        assertEquals(1, r.schedules());
        ExplorationResult all = Explorer.explore(t, Strategy.dfs());
        assertEquals(1680, all.schedules());
        assertEquals(r.outcomes().keySet(), all.outcomes().keySet());
    }

    @Test
    void useAfterFreeIsMarkedAtTheStepThatReportsIt() {
        ExplorationResult r = Explorer.explore(Toys.useAfterFree(), Strategy.dpor());
        assertEquals(Verdict.VIOLATION, r.verdict());
        Counterexample ce = r.firstViolation().orElseThrow();
        assertEquals(ViolationKind.USE_AFTER_FREE, ce.violation().kind());
        Trace trace = ce.trace();
        TraceRow last = trace.rows().get(trace.rows().size() - 1);
        assertEquals(trace.violationStep(), last.step());
        assertEquals("gup_fast_pte_range: READ pte table @0x5000[7]", last.text());
        String text = trace.render();
        assertTrue(text.contains("gup_fast_pte_range: READ pte table @0x5000[7]  <== USE_AFTER_FREE"), text);
        assertTrue(text.startsWith("step  CPU0"), text);
        assertEquals(null, trace.outcome());
    }

    @Test
    void opposedLockOrderDeadlocksAndSaysWhoWaitsForWhat() {
        ExplorationResult r = Explorer.explore(Toys.abba(), Strategy.dpor());
        assertEquals(Verdict.DEADLOCK, r.verdict());
        Violation v = r.firstViolation().orElseThrow().violation();
        assertEquals(new Violation(ViolationKind.DEADLOCK,
                "no CPU can make progress: CPU0 waits for lock B (spin_lock); CPU1 waits for lock A (spin_lock)"), v);
        assertEquals("0,1", r.firstViolation().orElseThrow().schedule());
    }

    @Test
    void lockWaitIsShownInTheTrace() {
        // CPU0 takes A and B while CPU1 waits for B; CPU0 drops B and CPU1 takes it
        Trace t = Explorer.replay(Toys.abba(), "0x3,1");
        assertEquals("done", t.outcome());
        assertEquals("0x3,1,0,1x3", t.schedule());
        String text = t.render();
        assertTrue(text.contains("spin_lock: ACQUIRE lock B (waited: lock B)"), text);
    }

    @Test
    void spinningWithoutWaitingIsCutOffByTheStepBudgetWithoutAVerdict() {
        ExplorationResult r = Explorer.explore(Toys.spinner(), Strategy.dpor(), ExploreOptions.DEFAULTS.withMaxSteps(50));
        // the uninterrupted run spins for 100 x 50 steps: no length to stretch, the budget stays at 50
        assertEquals(50, r.stepBudget());
        assertEquals(Verdict.SAFE, r.verdict());
        assertTrue(r.firstViolation().isEmpty());
        assertFalse(r.exhausted(), "cut-off executions leave their continuations unexplored");
        assertEquals(r.schedules(), r.outOfBudget() + r.outcomes().values().stream().mapToLong(Long::longValue).sum()
                + r.pruned());
        assertTrue(r.outOfBudget() > 0, r.render());
        assertTrue(r.render().contains("cut off by the step budget of 50 steps: "), r.render());
        Trace t = Explorer.replay(Toys.spinner(), "0", ExploreOptions.DEFAULTS.withMaxSteps(50));
        assertEquals(50, t.rows().size());
        assertEquals(null, t.violation());
        assertEquals("step budget of 50 steps used up with CPU0 at spin_on_flag: READ flag; CPU1 at do_something_else: "
                + "WRITE other", t.cutOff());
        assertTrue(t.render().contains("cut off (no verdict): step budget of 50 steps"), t.render());
    }

    @Test
    void theStepBudgetGrowsWithTheWorkTheProgramsAskFor() {
        // 2 x 300 steps of work under a floor of 50: the uninterrupted run takes 600, so 2400 each
        Toys.Toy longWork = Toys.steps(2, 300);
        ExplorationResult r = Explorer.explore(longWork, Strategy.random(3, 20), ExploreOptions.DEFAULTS.withMaxSteps(50));
        assertEquals(4 * 600, r.stepBudget());
        assertEquals(0, r.outOfBudget());
        assertEquals(Map.of("done", 20L), r.outcomes());
        // a floor above what the work needs stays the budget
        assertEquals(10_000, Explorer.explore(longWork, Strategy.random(3, 2)).stepBudget());
    }

    @Test
    void replayOfTheReportedScheduleGivesTheSameTrace() {
        for (ExploreTarget target : List.of(Toys.lostUpdate(), Toys.useAfterFree(), Toys.abba())) {
            ExplorationResult r = Explorer.explore(target, Strategy.dpor());
            Counterexample ce = r.firstViolation().orElseThrow();
            Trace again = Explorer.replay(target, ce.schedule());
            assertEquals(ce.trace(), again);
            assertEquals(ce.trace().render(), again.render());
        }
    }

    @Test
    void replayRejectsSchedulesThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Explorer.replay(Toys.lostUpdate(), "0x3"));
        assertEquals("schedule step 3 runs CPU0, which cannot run then", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Explorer.replay(Toys.lostUpdate(), "5"));
        assertThrows(IllegalArgumentException.class, () -> Explorer.replay(Toys.lostUpdate(), "0x2,1x2,0"));
        assertThrows(IllegalArgumentException.class, () -> Explorer.replay(Toys.lostUpdate(), "0,a"));
    }

    @Test
    void replayPastTheScheduleRunsNonPreemptively() {
        Trace t = Explorer.replay(Toys.lostUpdate(), "1");
        assertEquals("1x2,0x2", t.schedule());
        assertEquals(List.of(1, 1, 0, 0), Toys.threadsOf(t));
    }

    @Test
    void sameExplorationTwiceRendersTheSame() {
        for (Strategy s : List.of(Strategy.dpor(), Strategy.dfs(), Strategy.random(7, 200), Strategy.pct(7, 2, 200))) {
            ExploreOptions o = ExploreOptions.DEFAULTS.withStopOnFirstViolation(false);
            String first = Explorer.explore(Toys.lostUpdate(), s, o).render();
            String second = Explorer.explore(Toys.lostUpdate(), s, o).render();
            assertEquals(first, second);
        }
    }

    @Test
    void randomWalkAndPctFindTheLostUpdate() {
        ExplorationResult random = Explorer.explore(Toys.lostUpdate(), Strategy.random(1, 100));
        assertEquals(Verdict.VIOLATION, random.verdict());
        assertFalse(random.exhausted());
        ExplorationResult pct = Explorer.explore(Toys.lostUpdate(), Strategy.pct(1, 2, 100));
        assertEquals(Verdict.VIOLATION, pct.verdict());
        assertEquals(pct.firstViolation().orElseThrow().trace(),
                Explorer.replay(Toys.lostUpdate(), pct.firstViolation().orElseThrow().schedule()));
    }

    @Test
    void differentSeedsWalkDifferently() {
        ExploreOptions o = ExploreOptions.DEFAULTS.withStopOnFirstViolation(false);
        ExplorationResult a = Explorer.explore(Toys.lostUpdate(), Strategy.random(1, 50), o);
        ExplorationResult b = Explorer.explore(Toys.lostUpdate(), Strategy.random(2, 50), o);
        assertEquals(50, a.schedules());
        assertNotEquals(a.outcomes(), b.outcomes());
    }

    @Test
    void pctDepthOneRunsWithoutPreemptions() {
        ExplorationResult r = Explorer.explore(Toys.lostUpdate(), Strategy.pct(3, 1, 50));
        assertEquals(Verdict.SAFE, r.verdict());
        assertEquals(Map.of("x=2", 50L), r.outcomes());
    }

    @Test
    void preemptionBoundLimitsTheSearch() {
        ExplorationResult none = Explorer.explore(Toys.lostUpdate(), Strategy.dpor(),
                ExploreOptions.DEFAULTS.withPreemptionBound(0));
        assertEquals(Verdict.SAFE, none.verdict());
        assertTrue(none.exhausted());
        ExplorationResult one = Explorer.explore(Toys.lostUpdate(), Strategy.dpor(),
                ExploreOptions.DEFAULTS.withPreemptionBound(1));
        assertEquals(Verdict.VIOLATION, one.verdict());
        ExplorationResult plain = Explorer.explore(Toys.lostUpdate(), Strategy.dfs(),
                ExploreOptions.DEFAULTS.withPreemptionBound(0).withStopOnFirstViolation(false));
        assertEquals(2, plain.schedules());
        assertEquals(Map.of("x=2", 2L), plain.outcomes());
    }

    @Test
    void maxSchedulesStopsTheSearchUnexhausted() {
        ExplorationResult r = Explorer.explore(Toys.atomicCounter(3), Strategy.dfs(),
                ExploreOptions.DEFAULTS.withMaxSchedules(2));
        assertEquals(2, r.schedules());
        assertFalse(r.exhausted());
        assertEquals(Verdict.SAFE, r.verdict());
    }

    @Test
    void switchListenerNamesTheThreadAboutToRun() {
        List<String> log = new ArrayList<>();
        Trace t = Explorer.replay(Toys.switchWatcher(log), "2,0x2,1,2,1");
        assertEquals(List.of("CPU2", "CPU0", "CPU0", "CPU1", "CPU2", "CPU1"), log);
        assertEquals("ok", t.outcome());
        ExplorationResult r = Explorer.explore(Toys.switchWatcher(new ArrayList<>()), Strategy.random(5, 100));
        assertEquals(Verdict.SAFE, r.verdict());
    }

    /** CPU1 sends CPU0 an IPI; CPU0 runs the handler at its next point (via onPoint). */
    static Toys.Toy ipi() {
        return new Toys.Toy(2) {
            final Object cpu0 = new Object() {
                @Override
                public String toString() {
                    return "CPU0";
                }
            };
            boolean pending;
            int points;
            String handledAt;

            @Override
            void reset() {
                pending = false;
                points = 0;
                handledAt = "never";
                sched.onPoint(cpu -> {
                    if (cpu == 0 && pending) {
                        pending = false;
                        handledAt = "point " + points;
                        sched.point("tlb of CPU0", -1, Access.WRITE, "flush_tlb_func");
                    }
                });
            }

            @Override
            public void run(int cpu) {
                if (cpu == 1) {
                    sched.point(cpu0, -1, Access.IPI, "flush_tlb_multi");
                    pending = true;
                    return;
                }
                for (int i = 0; i < 3; i++) {
                    points++;
                    sched.point("v" + i, -1, Access.WRITE, "store");
                }
            }

            @Override
            public String outcome() {
                return "handled at " + handledAt;
            }
        };
    }

    @Test
    void anIpiIsDependentOnEveryStepOfItsTarget() {
        ExplorationResult all = Explorer.explore(ipi(), Strategy.dfs());
        ExplorationResult dpor = Explorer.explore(ipi(), Strategy.dpor());
        assertEquals(List.of("handled at never", "handled at point 2", "handled at point 3"),
                List.copyOf(all.outcomes().keySet()));
        assertEquals(all.outcomes().keySet(), dpor.outcomes().keySet());
        Trace t = Explorer.replay(ipi(), "0,1,0x3");
        assertEquals("flush_tlb_multi: IPI -> CPU0", t.rows().get(1).text());
        // CPU0's step 3 ends at its next point, where the handler runs and makes its own point
        assertEquals("store: WRITE v1", t.rows().get(2).text());
        assertEquals("flush_tlb_func: WRITE tlb of CPU0", t.rows().get(3).text());
        assertEquals("handled at point 3", t.outcome());
    }

    @Test
    void aProgramExceptionIsRethrownWithThreadAndSchedule() {
        Toys.Toy t = new Toys.Toy(2) {
            @Override
            void reset() {
            }

            @Override
            public void run(int cpu) {
                sched.point("x", -1, Access.WRITE, "store");
                if (cpu == 1) {
                    throw new UnsupportedOperationException("model bug");
                }
            }

            @Override
            public String outcome() {
                return "";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Explorer.explore(t, Strategy.dpor()));
        assertEquals("CPU1 threw java.lang.UnsupportedOperationException: model bug in schedule 0,1", e.getMessage());
    }

    @Test
    void aNondeterministicTargetIsCaught() {
        Toys.Toy t = new Toys.Toy(2) {
            int executions;

            @Override
            void reset() {
                executions++;
            }

            @Override
            public void run(int cpu) {
                sched.point("x" + (executions % 3), -1, Access.WRITE, "store");
                sched.point("y", -1, Access.WRITE, "store");
            }

            @Override
            public String outcome() {
                return "";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Explorer.explore(t, Strategy.dpor()));
        assertTrue(e.getMessage().startsWith("the target is not deterministic"), e.getMessage());
    }

    @Test
    void pctDepthIsBoundedAndTheLargestRunsInFixedMemory() {
        assertThrows(IllegalArgumentException.class, () -> Strategy.pct(1, Strategy.Pct.MAX_DEPTH + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Strategy.pct(1, Integer.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> Strategy.pct(1, 0, 1));
        ExplorationResult r = Explorer.explore(Toys.lostUpdate(), Strategy.pct(5, Strategy.Pct.MAX_DEPTH, 50),
                ExploreOptions.DEFAULTS.withStopOnFirstViolation(false));
        assertEquals(50, r.schedules());
        assertEquals(java.util.Set.of("x=1", "x=2"), r.outcomes().keySet());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ExploreOptions.DEFAULTS.withMaxSteps(0));
        assertThrows(IllegalArgumentException.class, () -> ExploreOptions.DEFAULTS.withPreemptionBound(-2));
        assertThrows(IllegalArgumentException.class, () -> Strategy.pct(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Strategy.replay("x"));
    }
}
