package org.gupsim.mm.internal;

import org.apache.commons.lang3.Validate;

/**
 * Not API: may change in any release. The one slot behind {@link MmInternals},
 * {@code PgtableInternals} and {@code FsInternals}: a package hands over the object that reaches its
 * package-private members once, from its class initialiser, and every later call finds it there.
 *
 * <p>A second install, a user's own included, is refused, so nobody swaps the model's stores for
 * others. Reading the slot before anything has loaded the installing class loads it first, which
 * runs its initialiser; this is done on the first read, not in the holder's own initialiser, so
 * that two threads touching both classes first cannot deadlock on their initialisation locks.
 *
 * @param <A> the access interface the package implements
 */
public final class InstalledAccess<A> {
    private final String owner;
    private final Class<?> installer;
    private A access;

    /**
     * @param owner     the package that installs, for messages: {@code org.gupsim.mm}
     * @param installer the class whose initialiser installs
     */
    public InstalledAccess(String owner, Class<?> installer) {
        this.owner = owner;
        this.installer = installer;
    }

    /**
     * Called once, by the owning package's class initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public void install(A a) {
        Validate.notNull(a, "access must not be null");
        Validate.validState(access == null, "%s's access is installed already", owner);
        access = a;
    }

    /** The installed access, loading the installing class first if nothing has yet. */
    public A get() {
        A a = access;
        if (a == null) {
            try {
                Class.forName(installer.getName(), true, installer.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
