package org.gupsim.fs.internal;

import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.RmapHooks;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Folio;
import org.gupsim.mm.internal.InstalledAccess;

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

    /** Where the package's {@link Access} is: its API class installs it, once, when it is loaded. */
    public static final InstalledAccess<Access> ACCESS = new InstalledAccess<>("org.gupsim.fs", Vfs.class);

    private FsInternals() {
    }

    /** Plugs in the reverse-map operations truncate and writeback need, when the machine is assembled. */
    public static void setRmapHooks(Vfs vfs, RmapHooks hooks) {
        ACCESS.get().setRmapHooks(vfs, hooks);
    }

    /** Mirrors the page-cache replacement in {@code folio_migrate_mapping()}: {@code newFolio} takes {@code oldFolio}'s slot. */
    public static void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio) {
        ACCESS.get().replaceFolio(mapping, oldFolio, newFolio);
    }

    /** khugepaged's {@code xas_store()} over a range of slots: {@code folio} takes {@code n} slots from {@code first}. */
    public static void storeRange(AddressSpace mapping, long first, int n, Folio folio) {
        ACCESS.get().storeRange(mapping, first, n, folio);
    }
}
