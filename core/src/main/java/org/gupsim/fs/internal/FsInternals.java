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
 * hands this class an {@link Access} once; this class's own initialiser makes sure that has run.
 */
public final class FsInternals {

    /** What {@code org.gupsim.fs} hands over; implemented there, once. Not API. */
    public interface Access {
        void setRmapHooks(Vfs vfs, RmapHooks hooks);

        void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio);
    }

    private static Access access;

    static {
        // Vfs installs the access from its class initialiser: make sure it has run, whoever comes first.
        try {
            Class.forName(Vfs.class.getName(), true, Vfs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    /** Plugs in the reverse-map operations truncate and writeback need, when the machine is assembled. */
    public static void setRmapHooks(Vfs vfs, RmapHooks hooks) {
        access.setRmapHooks(vfs, hooks);
    }

    /** Mirrors the page-cache replacement in {@code folio_migrate_mapping()}: {@code newFolio} takes {@code oldFolio}'s slot. */
    public static void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio) {
        access.replaceFolio(mapping, oldFolio, newFolio);
    }
}
