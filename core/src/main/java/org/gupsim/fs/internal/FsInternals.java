package org.gupsim.fs.internal;

import org.apache.commons.lang3.Validate;
import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.RmapHooks;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Folio;

/**
 * Not API: may change in any release. The page-cache stores and VFS wiring only the model's own
 * kernel code makes; {@link Vfs} and {@link AddressSpace} keep them package-private.
 *
 * <p>How: the accessor pattern of the JDK's {@code SharedSecrets}. {@link Vfs}'s class initialiser
 * hands this class an {@link Access} once; if nothing has loaded that class yet, the first call here does.
 */
public final class FsInternals {

    /** What {@code org.gupsim.fs} hands over; implemented there, once. Not API. */
    public interface Access {
        void setRmapHooks(Vfs vfs, RmapHooks hooks);

        void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio);

        void storeRange(AddressSpace mapping, long first, int n, Folio folio);
    }

    private static Access access;

    private FsInternals() {
    }

    /**
     * Called once, by {@code org.gupsim.fs}'s class initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public static void install(Access fs) {
        Validate.notNull(fs, "fs must not be null");
        Validate.validState(access == null, "org.gupsim.fs's access is installed already");
        access = fs;
    }

    /**
     * The installed access. {@link Vfs}'s class initialiser installs it; if no code has made one
     * yet, loading the class here runs that initialiser first. Done in a method, not in this
     * class's own initialiser, so that two threads touching both classes first cannot deadlock on
     * their initialisation locks.
     */
    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(Vfs.class.getName(), true, Vfs.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /** Plugs in the reverse-map operations truncate and writeback need, when the machine is assembled. */
    public static void setRmapHooks(Vfs vfs, RmapHooks hooks) {
        access().setRmapHooks(vfs, hooks);
    }

    /** Mirrors the page-cache replacement in {@code folio_migrate_mapping()}: {@code newFolio} takes {@code oldFolio}'s slot. */
    public static void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio) {
        access().replaceFolio(mapping, oldFolio, newFolio);
    }

    /** khugepaged's {@code xas_store()} over a range of slots: {@code folio} takes {@code n} slots from {@code first}. */
    public static void storeRange(AddressSpace mapping, long first, int n, Folio folio) {
        access().storeRange(mapping, first, n, folio);
    }
}
