package org.gupsim.testkit;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.smp.Cpu;
import org.gupsim.vm.Mm;

/**
 * One call into GUP to make over a whole {@link Mapped}: a reference ({@code FOLL_GET}) or a pin
 * ({@code FOLL_PIN}) with extra FOLL flags, run by the fast path alone or by the slow path alone.
 *
 * @param kind  get or pin
 * @param flags the caller's FOLL flags (never {@code FOLL_GET}/{@code FOLL_PIN}: {@link #kind} says which)
 */
public record GupCall(Kind kind, Set<Foll> flags) {

    /** Which reference the call takes. */
    public enum Kind {
        /** {@code FOLL_GET}: a plain reference, dropped with {@code put_page()}. */
        GET,
        /** {@code FOLL_PIN}: a pin, dropped with {@code unpin_user_page()}. */
        PIN
    }

    /** Validates the arguments and copies the flags. */
    public GupCall {
        Validate.isTrue(kind != null, "kind must not be null");
        Validate.isTrue(flags != null, "flags must not be null");
        Validate.isTrue(kind == Kind.PIN || !flags.contains(Foll.LONGTERM),
                "flags must not hold LONGTERM for a GET (only FOLL_PIN may be long-term), were %s", flags);
        EnumSet<Foll> copy = EnumSet.noneOf(Foll.class);
        copy.addAll(flags);
        flags = Collections.unmodifiableSet(copy); // declaration order, as toString() shows it
    }

    /**
     * The fast path alone over all of {@code m}: {@code get_user_pages_fast_only()} for a GET;
     * for a PIN, {@code pin_user_pages_fast()} (there is no fast-only pin), whose
     * {@link GupResult#fastPinned()} prefix is what the fast path took. See {@link #fastTaken}.
     */
    public GupResult runFast(Mapped m, Page[] pages) {
        Gup gup = new Gup(m);
        return kind == Kind.GET
                ? gup.world.gup().getUserPagesFastOnly(gup.mm, m.addr(), m.nrPages(), flags, pages)
                : gup.world.gup().pinUserPagesFast(gup.mm, m.addr(), m.nrPages(), flags, pages);
    }

    /** How many pages the fast path itself took in {@code r}, a result of {@link #runFast}. */
    public int fastTaken(GupResult r) {
        return kind == Kind.GET ? r.pages() : r.fastPinned();
    }

    /**
     * The slow path alone over all of {@code m}: {@code get_user_pages()} or {@code pin_user_pages()}
     * with the mmap lock held for read around it, as their callers must.
     */
    public GupResult runSlow(Mapped m, Page[] pages) {
        Gup gup = new Gup(m);
        Cpu cpu = gup.world.vm().cpu();
        gup.mm.mmapLock().downRead(cpu);
        try {
            return kind == Kind.GET
                    ? gup.world.gup().getUserPages(gup.mm, m.addr(), m.nrPages(), flags, pages)
                    : gup.world.gup().pinUserPages(gup.mm, m.addr(), m.nrPages(), flags, pages);
        } finally {
            gup.mm.mmapLock().upRead(cpu);
        }
    }

    /** Drops what the call took of the first {@code n} of {@code pages}: {@code put_page()} or unpin. */
    public void release(World w, Page[] pages, int n) {
        if (kind == Kind.PIN) {
            w.gup().unpinUserPages(pages, n);
        } else {
            w.gup().putPages(pages, n);
        }
    }

    /** The world and address space of a mapping. */
    private record Gup(World world, Mm mm) {
        Gup(Mapped m) {
            this(m.world(), m.task().mm());
        }
    }
}
