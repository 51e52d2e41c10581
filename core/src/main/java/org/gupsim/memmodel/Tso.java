package org.gupsim.memmodel;

import java.util.BitSet;

/**
 * x86-TSO (Owens, Sarkar, Sewell, "A better x86 memory model: x86-TSO", TPHOLs 2009), as herd7's
 * {@code x86tso.cat} writes it: each CPU's stores wait in a FIFO store buffer, so a load may pass
 * an earlier store to another location and nothing else is reordered; {@code mfence} and
 * {@code lock}-prefixed instructions drain the buffer.
 *
 * <pre>
 * acyclic po-loc | com                     (uniproc)
 * empty rmw &amp; (fre; coe)                   (atomic)
 * ppo     = WW(po) | RM(po)
 * implied = MA(po &amp; W*R) | AM(po &amp; W*R)    (a locked access orders the store-load pair around it)
 * acyclic mfence | implied | ppo | rfe | fr | co   (tso)
 * </pre>
 *
 * <p>The lowering is arch/x86's (asm/barrier.h not re-read here: UNCONFIRMED in detail):
 * {@code smp_mb()} is {@code lock; addl $0,-4(%rsp)} (modelled as
 * {@code mfence}, which orders ordinary memory the same way), {@code smp_rmb()}/{@code smp_wmb()}
 * and the acquire/release forms are compiler barriers only, and every atomic, returning or not,
 * relaxed or not, is {@code lock}-prefixed (a failing {@code lock cmpxchg} still is), so on x86 it
 * is a full barrier whatever the kernel's contract promises. s390 is modelled by this model too
 * (see docs/memory-models.md): its architecture lets a fetch pass an earlier store and nothing
 * else, {@code smp_mb()} is {@code bcr 14,0} and its interlocked updates serialize.
 */
public final class Tso extends AxiomaticModel {

    private static final Lowering LOWERING = (p, order) -> switch (p) {
        case LOAD -> Lowered.of(Instr.read(0));
        case STORE, SPIN_UNLOCK -> Lowered.of(Instr.write(0));
        // smp_store_mb() is xchg() on x86: a locked read-modify-write whose value is dropped
        case STORE_MB, RMW, RMW_NO_RETURN, SPIN_LOCK ->
                Lowered.of(Instr.read(Execution.LOCKED), Instr.write(Execution.LOCKED));
        case CMPXCHG_FAILED -> Lowered.of(Instr.read(Execution.LOCKED));
        case MB -> Lowered.of(Instr.fence(Barrier.MFENCE));
        case RMB, WMB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> Lowered.nothing();
    };

    public Tso() {
        super("tso", "x86-TSO (herd7 x86tso.cat; Owens et al. 2009): loads may pass earlier stores; mfence and locked "
                + "instructions drain the store buffer. Also s390's model",
                LOWERING, "uniproc");
    }

    @Override
    protected String violatedOwnAxiom(Execution x) {
        int n = x.size();
        BitSet r = x.reads();
        BitSet w = x.writes();
        BitSet m = x.memory();
        BitSet locked = x.withFlag(Execution.LOCKED);
        Relation po = x.po();
        Relation ppo = po.restrict(w, w).union(po.restrict(r, m));
        Relation poWr = po.restrict(w, r);
        Relation implied = poWr.restrict(m, locked).union(poWr.restrict(locked, m));
        Relation rfe = x.rf().inter(x.ext());
        Relation ghb = Relation.union(n, x.fenced(Barrier.MFENCE), implied, ppo, rfe, x.fr(), x.co());
        return ghb.acyclic() ? null : "tso";
    }
}
