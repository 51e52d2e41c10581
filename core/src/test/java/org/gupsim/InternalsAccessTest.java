package org.gupsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gupsim.fs.internal.FsInternals;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.junit.jupiter.api.Test;

/**
 * The accessors of docs/architecture.md "API and internals" take their package's access once:
 * a second {@code install}, a user's own implementation included, is refused, so nobody swaps the
 * model's stores for others. Each call loads its API class first, so the access is installed
 * before any machine exists.
 */
class InternalsAccessTest {

    @Test
    void aSecondInstallIsRefused() {
        assertEquals("refused", refused(() -> MmInternals.ACCESS.install(
                (MmInternals.Access) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {MmInternals.Access.class}, (p, m, a) -> null))));
        assertEquals("refused", refused(() -> PgtableInternals.ACCESS.install(
                (PgtableInternals.Access) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {PgtableInternals.Access.class}, (p, m, a) -> null))));
        assertEquals("refused", refused(() -> FsInternals.ACCESS.install(
                (FsInternals.Access) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {FsInternals.Access.class}, (p, m, a) -> null))));
    }

    private static String refused(Runnable install) {
        // The API classes install their access when they are loaded; load them as a machine would.
        load("org.gupsim.mm.Page");
        load("org.gupsim.pgtable.PageTables");
        load("org.gupsim.fs.Vfs");
        IllegalStateException e = assertThrows(IllegalStateException.class, install::run);
        return e.getMessage().contains("installed already") ? "refused" : e.getMessage();
    }

    private static void load(String name) {
        try {
            Class.forName(name, true, InternalsAccessTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
