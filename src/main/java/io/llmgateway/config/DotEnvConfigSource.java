package io.llmgateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The {@code .env} file as a MicroProfile config source, below the environment (300) and above defaults.
 * It re-reads the file when its modification time or size changes, so hot keys apply without a restart.
 */
final class DotEnvConfigSource implements ConfigSource {
    static final int ORDINAL = 295;

    private final Path file;
    private volatile Map<String, String> values = Map.of();
    private volatile Stamp stamp;

    /** What tells one version of the file from another: modification time, size and inode. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        static final Stamp ABSENT = new Stamp(null, -1, null);

        static Stamp unreadable(IOException e) {
            return new Stamp(null, -2, e.getMessage());
        }
    }

    DotEnvConfigSource(Path file) {
        this.file = file.toAbsolutePath().normalize();
        reloadIfChanged();
    }

    Path file() {
        return file;
    }

    /** Cheap check (one stat) whether the file differs from what was last read. */
    boolean changed() {
        return !stamp().equals(stamp);
    }

    /** Returns true when the file changed since the last read (and was re-read). */
    synchronized boolean reloadIfChanged() {
        Stamp now = stamp();
        if (now.equals(stamp)) {
            return false;
        }
        values = Map.copyOf(DotEnvFile.read(file));
        stamp = now;
        return true;
    }

    /** Called several times a request: one stat, and no exception thrown while the file stays absent. */
    private Stamp stamp() {
        if (stamp == Stamp.ABSENT && !file.toFile().exists()) {
            return Stamp.ABSENT;
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            return Stamp.unreadable(e);
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "dotenv[" + file + "]";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
