package org.gupsim.fs;

import org.gupsim.fs.internal.FsInternals;
import org.gupsim.mm.Folio;

/** The package-private operations of {@link Vfs} and {@link AddressSpace}, handed to {@link FsInternals} once. */
final class FsAccess implements FsInternals.Access {

    @Override
    public void setRmapHooks(Vfs vfs, RmapHooks hooks) {
        vfs.setRmapHooks(hooks);
    }

    @Override
    public void replaceFolio(AddressSpace mapping, Folio oldFolio, Folio newFolio) {
        mapping.replaceFolio(oldFolio, newFolio);
    }

    @Override
    public void storeRange(AddressSpace mapping, long first, int n, Folio folio) {
        mapping.storeRange(first, n, folio);
    }
}
