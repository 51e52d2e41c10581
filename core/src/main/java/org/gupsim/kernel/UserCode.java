package org.gupsim.kernel;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.Validate;

/**
 * Where gupsim looks for what users contribute (scenarios, patches, features, architectures,
 * variants): the calling thread's context class loader, which the command line points at the
 * jars of {@code --classpath} and {@code GUPSIM_CLASSPATH} ({@link #loader(List)}), else the
 * loader that loaded gupsim. Every registry asks here, so a user's jar is found the same way
 * gupsim's own modules are.
 */
public final class UserCode {
    private UserCode() {
    }

    /** A loader over users' jars that remembers the class path it was made from. */
    private static final class Jars extends URLClassLoader {
        private final String classpath;

        Jars(URL[] urls, ClassLoader parent, String classpath) {
            super("gupsim-user-code", urls, parent);
            this.classpath = classpath;
        }
    }

    /** The class loader registries load providers from. */
    public static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : UserCode.class.getClassLoader();
    }

    /**
     * A class loader over {@code entries} (jar files and directories, as given), in front of
     * gupsim's own: make it the thread's context class loader and every registry finds the
     * providers the jars register.
     *
     * @throws IllegalArgumentException if {@code entries} is empty or names a path that cannot be a URL
     */
    public static ClassLoader loader(List<String> entries) {
        Validate.isTrue(entries != null && !entries.isEmpty(), "entries must not be empty");
        List<URL> urls = new ArrayList<>();
        for (String e : entries) {
            // isTrue, not notBlank: commons-lang answers a null with a NullPointerException.
            Validate.isTrue(e != null && !e.isBlank(), "a class path entry must not be blank");
            try {
                urls.add(Path.of(e).toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException | RuntimeException x) {
                throw new IllegalArgumentException("class path entry '" + e + "' is not a path: " + x.getMessage(), x);
            }
        }
        return new Jars(urls.toArray(URL[]::new), UserCode.class.getClassLoader(),
                String.join(File.pathSeparator, entries));
    }

    /**
     * The class path users' code comes from, as it was given to {@link #loader(List)}, if the
     * current loader was made that way: what a command line must name to find the same code.
     */
    public static Optional<String> classpath() {
        return loader() instanceof Jars j ? Optional.of(j.classpath) : Optional.empty();
    }
}
