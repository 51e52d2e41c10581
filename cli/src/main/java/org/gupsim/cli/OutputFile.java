package org.gupsim.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file a command writes its report to ({@code --out FILE}), opened for writing before any work is
 * done, so that a file that cannot be written ({@code /proc/x}, a missing directory, a read-only
 * file) is refused at once rather than after a long run. Asking {@link Files#isWritable} is not
 * enough: it says yes to {@code /proc} and {@code /sys}, whose files refuse creation only when
 * opened. The file is opened without truncating it, so an existing report stays as it was until
 * the new one is written, and a file this command created is removed again if the command ends
 * without writing it.
 */
final class OutputFile implements AutoCloseable {
    /** What an {@code --out} value may be. */
    static final String ALLOWED = "a file name in an existing directory, where the file can be written";

    private final String flag;
    private final Path path;
    private final FileChannel channel;
    private final boolean created;
    private boolean written;

    private OutputFile(String flag, Path path, FileChannel channel, boolean created) {
        this.flag = flag;
        this.path = path;
        this.channel = channel;
        this.created = created;
    }

    /**
     * Opens {@code name} for writing, creating it if it does not exist.
     *
     * @throws UsageException naming the flag, the file and why it cannot be written
     */
    static OutputFile open(String flag, String name) {
        if (name == null || name.isEmpty()) {
            throw CliValues.needsValue(flag, ALLOWED);
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (InvalidPathException e) {
            throw refused(flag, name, "is not a file name: " + e.getReason());
        }
        if (Files.isDirectory(p)) {
            throw refused(flag, name, "is a directory");
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw refused(flag, name, "is in " + dir + ", which " + (Files.exists(dir) ? "is not a directory"
                    : "does not exist"));
        }
        boolean existed = Files.exists(p);
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new OutputFile(flag, p, ch, !existed);
        } catch (AccessDeniedException e) {
            throw refused(flag, name, "cannot be written: permission denied");
        } catch (NoSuchFileException e) {
            throw refused(flag, name, "cannot be created there");
        } catch (FileSystemException e) {
            throw refused(flag, name, "cannot be written: " + (e.getReason() != null ? e.getReason() : "refused"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw refused(flag, name, "cannot be written: " + e.getMessage());
        }
    }

    private static UsageException refused(String flag, String name, String why) {
        return new UsageException(flag + " " + name + " " + why + " (allowed: " + ALLOWED + ")");
    }

    /**
     * Replaces the file's contents with {@code text} (UTF-8) and closes it.
     *
     * @throws UsageException if writing fails after all (a full disk, {@code /dev/full})
     */
    void write(String text) {
        try (channel) {
            channel.truncate(0);
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            written = true;
        } catch (IOException e) {
            throw refused(flag, path.toString(), "could not be written: " + e.getMessage());
        }
    }

    /** Closes the file; if it was created here and nothing was written, removes it again. */
    @Override
    public void close() {
        try {
            channel.close();
            if (created && !written) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Nothing more to do: the command's own outcome is what the user needs to see.
        }
    }
}
