package org.gupsim.memmodel;

import java.util.BitSet;

/**
 * ARMv8 AArch64, other-multi-copy-atomic: the model of the Arm ARM (section B2.3) as herd7's
 * {@code aarch64.cat} (Deacon, Alglave, Nikoleris, Khyzha; {@code bob} as its current
 * {@code aarch64hwreqs.cat} writes it, with {@code [range([A];amo;[L])];po}), and Pulte et al., "Simplifying ARM concurrency", POPL 2018. Accesses to different
 * locations reorder unless a dependency, an acquire/release, a barrier or an atomic orders them;
 * a write becomes visible to all other threads at once.
 *
 * <pre>
 * obs = rfe | fre | coe
 * dob = addr | data | ctrl;[W] | addr;po;[W] | (ctrl|data);coi | (addr|data);rfi
 * aob = rmw | [range(rmw)];rfi;[A|Q]
 * bob = po;[dmb.full];po | [range([A];amo;[L])];po | [L];po;[A] | [R\NoRet];po;[dmb.ld];po | [A|Q];po
 *     | [W];po;[dmb.st];po;[W] | po;[L] | po;[L];coi
 * ob  = (obs | dob | aob | bob)+
 * acyclic po-loc | fr | co | rf   (internal)
 * irreflexive ob                  (external)
 * empty rmw &amp; (fre; coe)          (atomic)
 * </pre>
 * The cat file's {@code ISB} clause is left out: no kernel primitive here compiles to {@code isb}.
 *
 * <p>The lowering is arch/arm64's with LSE atomics (ARMv8.1, patched in at boot where the CPU has
 * them): {@code smp_mb()} {@code dmb ish}, {@code smp_rmb()} {@code dmb ishld}, {@code smp_wmb()}
 * {@code dmb ishst}, {@code smp_load_acquire()} {@code ldar}, {@code smp_store_release()}
 * {@code stlr}; a fully ordered value-returning atomic is one {@code ...al} instruction (read in
 * atomic_lse.h for {@code ldaddal}; {@code casal}/{@code swpal} UNCONFIRMED, by analogy)
 * ({@code ldaddal}, {@code swpal}, {@code casal}), which the model makes a full barrier;
 * {@code _acquire}/{@code _release} forms the {@code ...a}/{@code ...l} ones; non-returning atomics
 * {@code stadd} (a read that is {@code NoRet}); a failed {@code casal}/{@code casa} still reads
 * with acquire semantics but writes nothing; {@code smp_mb__before/after_atomic()} and
 * {@code smp_mb__after_spinlock()} are {@code dmb ish}; {@code spin_lock()} is the queued
 * spinlock's {@code casa}, {@code spin_unlock()} an {@code stlr}.
 */
public final class Arm64 extends AxiomaticModel {

    private static final Lowering LOWERING = (p, order) -> switch (p) {
        case LOAD -> Lowered.of(Instr.read(order == Order.ACQUIRE ? Execution.ACQUIRE : 0));
        case STORE -> Lowered.of(Instr.write(order == Order.RELEASE ? Execution.RELEASE : 0));
        case STORE_MB -> Lowered.of(Instr.write(0), Instr.fence(Barrier.DMB_ISH));
        case RMW -> Lowered.of(
                Instr.read(order == Order.ACQUIRE || order == Order.FULL ? Execution.ACQUIRE : 0),
                Instr.write(order == Order.RELEASE || order == Order.FULL ? Execution.RELEASE : 0));
        case RMW_NO_RETURN -> Lowered.of(Instr.read(Execution.NO_RET), Instr.write(0));
        case CMPXCHG_FAILED -> Lowered.of(
                Instr.read(order == Order.ACQUIRE || order == Order.FULL ? Execution.ACQUIRE : 0));
        case SPIN_LOCK -> Lowered.of(Instr.read(Execution.ACQUIRE), Instr.write(0));
        case SPIN_UNLOCK -> Lowered.of(Instr.write(Execution.RELEASE));
        case MB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> Lowered.of(Instr.fence(Barrier.DMB_ISH));
        case RMB -> Lowered.of(Instr.fence(Barrier.DMB_ISHLD));
        case WMB -> Lowered.of(Instr.fence(Barrier.DMB_ISHST));
    };

    public Arm64() {
        super("arm64", "ARMv8 AArch64, other-multi-copy-atomic (Arm ARM B2.3; herd7 aarch64.cat; Pulte et al. 2018), "
                + "LSE atomics",
                LOWERING, "internal");
    }

    @Override
    protected String violatedOwnAxiom(Execution x) {
        return ob(x).irreflexive() ? null : "external";
    }

    /** {@code ob}, the ordered-before relation. */
    static Relation ob(Execution x) {
        int n = x.size();
        Relation ext = x.ext();
        Relation in = x.internal();
        Relation po = x.po();
        BitSet r = x.reads();
        BitSet w = x.writes();
        BitSet m = x.memory();
        BitSet acq = Execution.union(x.withFlag(Execution.ACQUIRE), x.withFlag(Execution.ACQUIRE_PC));
        BitSet rel = x.withFlag(Execution.RELEASE);
        Relation rfe = x.rf().inter(ext);
        Relation rfi = x.rf().inter(in);
        Relation coi = x.co().inter(in);
        Relation obs = Relation.union(n, rfe, x.fr().inter(ext), x.co().inter(ext));

        Relation addr = x.addr();
        Relation data = x.data();
        Relation ctrl = x.ctrl();
        Relation dob = Relation.union(n, addr, data,
                ctrl.restrict(m, w),
                addr.seq(po).restrict(m, w),
                ctrl.union(data).seq(coi),
                addr.union(data).seq(rfi));

        BitSet rmwWrites = new BitSet(n);
        Relation rmw = x.rmw();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (rmw.has(i, j)) {
                    rmwWrites.set(j);
                }
            }
        }
        Relation aob = rmw.union(rfi.restrict(rmwWrites, acq));

        Relation amoAl = rmw.restrict(acq, rel);
        Relation bob = Relation.union(n,
                x.fenced(Barrier.DMB_ISH),
                // the write of an atomic with acquire and release (ldaddal, swpal, casal) is ordered
                // before everything after it, which with po;[L] makes it a full barrier, its own
                // write included (aarch64hwreqs.cat: [range([A];amo;[L])]; po)
                po.restrict(range(amoAl), m),
                po.restrict(rel, acq),
                x.fenced(Barrier.DMB_ISHLD).restrict(Execution.minus(r, x.withFlag(Execution.NO_RET)), m),
                po.restrict(acq, m),
                x.fenced(Barrier.DMB_ISHST).restrict(w, w),
                po.restrict(m, rel),
                po.restrict(m, rel).seq(coi));
        return Relation.union(n, obs, dob, aob, bob).plus();
    }

    /** The events some pair of {@code r} ends at. */
    private static BitSet range(Relation r) {
        int n = r.size();
        BitSet out = new BitSet(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (r.has(i, j)) {
                    out.set(j);
                }
            }
        }
        return out;
    }
}
