package org.gupsim.memmodel;

import java.util.BitSet;

/**
 * IBM Power, not multi-copy-atomic: the model of Alglave, Maranget, Tautschnig, "Herding cats",
 * TOPLAS 2014 (section 6 and herd7's {@code ppc.cat} with {@code ppc-checks.cat}). A write may
 * reach some threads before others; preserved program order {@code ppo} comes from dependencies
 * by the paper's fixpoint; {@code sync} is the strong barrier, {@code lwsync} the lightweight one
 * (all pairs but write-then-read), both cumulative.
 *
 * <pre>
 * acyclic po-loc | rf | fr | co         (uniproc)
 * empty rmw &amp; (fre; coe)                (atomic)
 * ii0 = addr | data | rdw | rfi    ci0 = ctrl+isync | detour
 * cc0 = addr | data | po-loc | ctrl | addr;po    ic0 = 0
 * ii = ii0 | ci | ic;ci | ii;ii      ic = ic0 | ii | cc | ic;cc | ii;ic
 * ci = ci0 | ci;ii | cc;ci           cc = cc0 | ci | ci;ic | cc;cc
 * ppo = RR(ii) | RW(ic)
 * fence = sync | lwsync \ W*R        hb = ppo | fence | rfe
 * acyclic hb                         (no thin air)
 * propbase = (fence | rfe;fence); hb*
 * prop = WW(propbase) | chapo?; propbase*; sync; hb*
 * acyclic co | prop                  (propagation)
 * irreflexive fre; prop; hb*         (observation)
 * acyclic co | po &amp; EX*EX            (scXX)
 * </pre>
 * herd's {@code ppo.cat}, which holds the fixpoint, was not readable when this was written: the
 * fixpoint is the paper's (UNCONFIRMED against the file).
 *
 * <p>The lowering is arch/powerpc's for 64-bit book3s: {@code smp_mb()} {@code sync},
 * {@code smp_rmb()} and {@code smp_wmb()} {@code lwsync}, {@code smp_load_acquire()} a load then
 * {@code lwsync}, {@code smp_store_release()} {@code lwsync} then a store; fully ordered atomics are
 * {@code sync; lwarx/stwcx. loop; sync} (PPC_ATOMIC_ENTRY/EXIT_BARRIER), so a failing
 * {@code cmpxchg()} still executes the entry {@code sync}; {@code _acquire} forms end in
 * {@code isync} after the loop's branch ({@code ctrl+isync}), {@code _release} forms start with
 * {@code lwsync}; {@code cmpxchg} branches on the value it loaded; {@code smp_mb__before/after_atomic()}
 * and {@code smp_mb__after_spinlock()} are {@code sync}; {@code spin_lock()} is a
 * {@code lwarx/stwcx.} loop ending in {@code isync}, {@code spin_unlock()} {@code lwsync} then a store.
 */
public final class Power extends AxiomaticModel {

    private static final int EX = Execution.EXCLUSIVE;

    private static final Lowering LOWERING = (p, order) -> switch (p) {
        case LOAD -> order == Order.ACQUIRE
                ? Lowered.of(Instr.read(0), Instr.fence(Barrier.LWSYNC))
                : Lowered.of(Instr.read(0));
        case STORE -> order == Order.RELEASE
                ? Lowered.of(Instr.fence(Barrier.LWSYNC), Instr.write(0))
                : Lowered.of(Instr.write(0));
        case STORE_MB -> Lowered.of(Instr.write(0), Instr.fence(Barrier.SYNC));
        case RMW, RMW_NO_RETURN -> rmw(p == Primitive.RMW ? order : Order.RELAXED);
        case CMPXCHG_FAILED -> order == Order.FULL
                ? new Lowered(java.util.List.of(Instr.fence(Barrier.SYNC), Instr.read(EX)), true)
                : new Lowered(java.util.List.of(Instr.read(EX)), true);
        case SPIN_LOCK -> new Lowered(java.util.List.of(Instr.read(EX), Instr.write(EX), Instr.fence(Barrier.ISYNC)), true);
        case SPIN_UNLOCK -> Lowered.of(Instr.fence(Barrier.LWSYNC), Instr.write(0));
        case MB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> Lowered.of(Instr.fence(Barrier.SYNC));
        case RMB, WMB -> Lowered.of(Instr.fence(Barrier.LWSYNC));
    };

    private static Lowered rmw(Order order) {
        Instr r = Instr.read(EX);
        Instr w = Instr.write(EX);
        return switch (order) {
            case RELAXED -> Lowered.of(r, w);
            // the loop's "bne- 1b" then isync: what follows waits for the lwarx (ctrl+isync)
            case ACQUIRE -> new Lowered(java.util.List.of(r, w, Instr.fence(Barrier.ISYNC)), true);
            case RELEASE -> Lowered.of(Instr.fence(Barrier.LWSYNC), r, w);
            case FULL -> Lowered.of(Instr.fence(Barrier.SYNC), r, w, Instr.fence(Barrier.SYNC));
        };
    }

    public Power() {
        super("power", "IBM Power, not multi-copy-atomic (Alglave et al., Herding cats, TOPLAS 2014; herd7 ppc.cat)",
                LOWERING, "uniproc");
    }

    @Override
    protected String violatedOwnAxiom(Execution x) {
        int n = x.size();
        Relation ext = x.ext();
        Relation in = x.internal();
        BitSet r = x.reads();
        BitSet w = x.writes();
        BitSet m = x.memory();
        Relation po = x.po();
        Relation rfe = x.rf().inter(ext);
        Relation rfi = x.rf().inter(in);
        Relation fre = x.fr().inter(ext);
        Relation coe = x.co().inter(ext);
        Relation dd = x.addr().union(x.data());
        Relation rdw = x.poLoc().inter(fre.seq(rfe));
        Relation detour = x.poLoc().inter(coe.seq(rfe));
        Relation ctrlIsync = x.ctrl().seq(Relation.identity(n, x.fences(Barrier.ISYNC))).seq(po).restrict(m, m);

        Relation ii = Relation.union(n, dd, rdw, rfi);
        Relation ci = Relation.union(n, ctrlIsync, detour);
        Relation cc = Relation.union(n, dd, x.poLoc(), x.ctrl().restrict(m, m), x.addr().seq(po).restrict(m, m));
        Relation ic = Relation.empty(n);
        while (true) {
            Relation ii2 = Relation.union(n, ii, ci, ic.seq(ci), ii.seq(ii));
            Relation ic2 = Relation.union(n, ic, ii2, cc, ic.seq(cc), ii2.seq(ic));
            Relation ci2 = Relation.union(n, ci, ci.seq(ii2), cc.seq(ci));
            Relation cc2 = Relation.union(n, cc, ci2, ci2.seq(ic2), cc.seq(cc));
            if (ii2.equals(ii) && ic2.equals(ic) && ci2.equals(ci) && cc2.equals(cc)) {
                break;
            }
            ii = ii2;
            ic = ic2;
            ci = ci2;
            cc = cc2;
        }
        Relation ppo = ii.restrict(r, r).union(ic.restrict(r, w));

        Relation sync = x.fenced(Barrier.SYNC);
        Relation lwsync = x.fenced(Barrier.LWSYNC).minus(Relation.cross(n, w, r));
        Relation fence = sync.union(lwsync);
        Relation hb = Relation.union(n, ppo, fence, rfe);
        if (!hb.acyclic()) {
            return "thinair";
        }
        Relation hbStar = hb.star();
        Relation propBase = fence.union(rfe.seq(fence)).seq(hbStar);
        Relation chapo = Relation.union(n, rfe, fre, coe, fre.seq(rfe), coe.seq(rfe));
        Relation prop = propBase.restrict(w, w)
                .union(Relation.seq(chapo.opt(), propBase.star(), sync, hbStar));
        if (!x.co().union(prop).acyclic()) {
            return "propagation";
        }
        if (!Relation.seq(fre, prop, hbStar).irreflexive()) {
            return "observation";
        }
        BitSet ex = x.withFlag(EX);
        if (!x.co().union(po.restrict(ex, ex)).acyclic()) {
            return "scXX";
        }
        return null;
    }
}
