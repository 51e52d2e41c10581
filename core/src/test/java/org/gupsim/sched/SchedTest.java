package org.gupsim.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.junit.jupiter.api.Test;

/** The seam in direct mode, with no explorer attached. */
class SchedTest {

    @Test
    void directModeWaitsOnceAndReportsADeadlock() {
        Sched direct = new Sched();
        assertFalse(direct.explored());
        direct.waitUntil(new Object(), -1, Access.ACQUIRE, "spin_lock", () -> true, "ptl");
        KernelBugException e = assertThrows(KernelBugException.class,
                () -> direct.waitUntil(() -> false, "ptl held by CPU1"));
        assertEquals(new Violation(ViolationKind.DEADLOCK,
                "no CPU can make progress: the running CPU waits for ptl held by CPU1"), e.violation());
    }

    @Test
    void directModeThrowsAReportedViolation() {
        Sched direct = new Sched();
        Violation v = Violation.useAfterFree(Violation.FOLIO, "folio(pfn=3) read after free");
        assertEquals(v, assertThrows(KernelBugException.class, () -> direct.report(v)).violation());
    }

    @Test
    void barriersAndOrderedAccessesReachTheHookAndNothingElse() {
        Sched direct = new Sched();
        direct.fence(Primitive.MB, "try_to_unmap_one");
        direct.point(new Object(), 3, Access.RMW, Order.FULL, "folio_try_get");
        assertThrows(IllegalArgumentException.class, () -> direct.fence(Primitive.LOAD, "f"));
        assertThrows(IllegalArgumentException.class, () -> direct.fence(null, "f"));

        List<String> seen = new ArrayList<>();
        direct.attach(new SchedHook() {
            @Override
            public void point(Object object, int index, Access access, String function) {
                seen.add(function + " " + access + " " + index);
            }

            @Override
            public void violation(Violation violation) {
            }

            @Override
            public void waitUntil(Object object, int index, Access access, String function,
                    java.util.function.BooleanSupplier condition, String waitingFor) {
            }
        });
        direct.fence(Primitive.MB_AFTER_ATOMIC, "try_grab_folio_fast");
        direct.point("folio", 0, Access.RMW, Order.RELAXED, "atomic_add");
        // a hook that knows no memory model: the barrier is nothing, the ordering is dropped
        assertEquals(List.of("atomic_add RMW 0"), seen);
    }
}
