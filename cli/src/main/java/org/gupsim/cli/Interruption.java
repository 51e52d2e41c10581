package org.gupsim.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gupsim.explore.ExploreControl;

/**
 * Ctrl-C (SIGINT, or SIGTERM) during explore or compare: ask the explorations to stop, let the
 * command print the partial result (and write {@code --out}), then let the JVM end with the
 * signal's status (130 for SIGINT).
 *
 * <p>The JVM runs shutdown hooks on those signals and halts once they return, so the hook asks
 * {@link ExploreControl#requestStop()} and waits until the command says it has printed
 * ({@link #done()}), at most {@value #GRACE_SECONDS} seconds. {@link Main#main} must then not call
 * {@link System#exit} (that would wait for the hooks forever): it asks {@link #shuttingDown()}.
 * Only the real process installs a hook; in-process runs (tests) stop through the control.
 */
final class Interruption implements AutoCloseable {
    private static final int GRACE_SECONDS = 10;
    private static volatile boolean shuttingDown;
    private final CountDownLatch printed = new CountDownLatch(1);
    private final Thread hook;

    private Interruption(ExploreControl control, boolean install) {
        if (install) {
            hook = new Thread(() -> {
                shuttingDown = true;
                control.requestStop();
                try {
                    printed.await(GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "gupsim-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
        } else {
            hook = null;
        }
    }

    /** Watches for Ctrl-C while the command runs; {@code install} false: only through {@code control}. */
    static Interruption on(ExploreControl control, boolean install) {
        return new Interruption(control, install);
    }

    /** Whether the JVM is shutting down because of a signal. */
    static boolean shuttingDown() {
        return shuttingDown;
    }

    /** The command has printed its result: the JVM may end. */
    void done() {
        printed.countDown();
    }

    @Override
    public void close() {
        done();
        if (hook != null && !shuttingDown) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running: it has what it waits for
            }
        }
    }
}
