package io.llmgateway.auth;

import io.llmgateway.config.DotEnvFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the tokens in the user's {@code .env}, under the seed project's key names, so an existing file keeps
 * working and stays hand-editable. Only the token keys' lines change; every other byte is kept.
 */
public final class EnvFileTokenStore implements TokenStore {
    static final String REFRESH_TOKEN = "OAUTH_REFRESH_TOKEN";
    static final String ACCESS_TOKEN = "OAUTH_ACCESS_TOKEN";
    static final String EXPIRES_AT = "OAUTH_ACCESS_TOKEN_EXPIRES_AT";
    static final String LAST_FORCED_REFRESH = "OAUTH_LAST_FORCED_REFRESH";

    private static final Logger LOG = Logger.getLogger(EnvFileTokenStore.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** {@code +00:00} rather than {@code Z}: Python before 3.11 (the seed) cannot parse {@code Z}. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    /**
     * The reader's own assignment pattern. DOTALL because lines are decoded as ISO-8859-1 (so that offsets are
     * byte positions) and byte 0x85, frequent inside UTF-8 sequences, would otherwise end {@code .} as NEL.
     */
    private static final Pattern KEY_LINE = Pattern.compile(DotEnvFile.ASSIGNMENT.pattern(), Pattern.DOTALL);
    private static final int MAX_LINK_HOPS = 40;
    /** A FileLock is held per JVM, not per thread: threads (and stores sharing a file) queue here first. */
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path file;

    public EnvFileTokenStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public StoredTokens load() {
        Map<String, String> values = DotEnvFile.read(file);
        return new StoredTokens(blankToNull(values.get(REFRESH_TOKEN)), blankToNull(values.get(ACCESS_TOKEN)),
                instant(values, EXPIRES_AT), instant(values, LAST_FORCED_REFRESH));
    }

    @Override
    public void save(String refreshToken, String accessToken, Instant expiresAt) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(REFRESH_TOKEN, refreshToken);
        values.put(ACCESS_TOKEN, accessToken);
        values.put(EXPIRES_AT, expiresAt == null ? null : format(expiresAt));
        update(values);
    }

    @Override
    public void recordForcedRefresh(Instant at) {
        update(Map.of(LAST_FORCED_REFRESH, format(at)));
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public String refreshTokenLocation() {
        return file.toString();
    }

    @Override
    public String toString() {
        return "EnvFileTokenStore[" + file + "]";
    }

    private void update(Map<String, String> values) {
        Path target;
        try {
            target = resolveLinks(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + file, e);
        }
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock").normalize();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lockChannel.lock(); // released when the channel closes
            replace(target, rewrite(readIfExists(target), values));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokens to " + target + ": " + e, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Writes through symlinks (e.g. a .env kept in a secrets directory) instead of replacing the link. */
    private static Path resolveLinks(Path path) throws IOException {
        Path current = path;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops == MAX_LINK_HOPS) {
                throw new IOException("too many levels of symbolic links: " + path);
            }
            current = current.resolveSibling(Files.readSymbolicLink(current));
        }
        return current;
    }

    private static byte[] readIfExists(Path target) throws IOException {
        try {
            return Files.readAllBytes(target);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    /**
     * Replaces the value of each given key on the line(s) where it stands, keeping what precedes the key
     * ({@code export}, indentation) and the line's terminator; appends keys not present yet.
     */
    static byte[] rewrite(byte[] old, Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(old.length + 512);
        Set<String> written = new HashSet<>();
        String newline = null;
        int start = 0;
        while (start < old.length) {
            int contentEnd = start;
            while (contentEnd < old.length && old[contentEnd] != '\n' && old[contentEnd] != '\r') {
                contentEnd++;
            }
            int end = contentEnd; // past the terminator: CRLF, LF or a lone CR, as the reader splits lines
            if (end < old.length) {
                end += old[end] == '\r' && end + 1 < old.length && old[end + 1] == '\n' ? 2 : 1;
            }
            if (newline == null && end > contentEnd) {
                newline = new String(old, contentEnd, end - contentEnd, StandardCharsets.ISO_8859_1);
            }
            Matcher m = KEY_LINE.matcher(new String(old, start, contentEnd - start, StandardCharsets.ISO_8859_1));
            if (m.matches() && values.containsKey(m.group(1))) {
                out.write(old, start, m.start(1));
                out.writeBytes(assignment(m.group(1), values.get(m.group(1))));
                out.write(old, contentEnd, end - contentEnd);
                written.add(m.group(1));
            } else {
                out.write(old, start, end - start);
            }
            start = end;
        }
        String eol = newline == null ? "\n" : newline;
        boolean needsBreak = old.length > 0 && old[old.length - 1] != '\n' && old[old.length - 1] != '\r';
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!written.contains(entry.getKey())) {
                if (needsBreak) {
                    out.writeBytes(eol.getBytes(StandardCharsets.ISO_8859_1));
                    needsBreak = false;
                }
                out.writeBytes(assignment(entry.getKey(), entry.getValue()));
                out.writeBytes(eol.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    /** Single quotes like the seed (literal, no interpolation); double quotes with escapes only if needed. */
    private static byte[] assignment(String key, String value) {
        String v = value == null ? "" : value;
        String quoted;
        if (v.indexOf('\'') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            quoted = "'" + v + "'";
        } else {
            quoted = '"' + v.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n").replace("\r", "\\r") + '"';
        }
        return (key + "=" + quoted).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Temp file in the same directory (same file system, so the rename is atomic), owner-only from its
     * creation, flushed to disk before it replaces the file: a crash leaves the old or the new file, never half.
     */
    private static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        String prefix = "." + target.getFileName() + ".";
        Path temp = posix
                ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, OWNER_ONLY); // in case a umask narrowed or widened it
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static String format(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    private Instant instant(Map<String, String> values, String key) {
        String value = blankToNull(values.get(key));
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            LOG.warning(() -> "Ignoring " + key + " in " + file + ": not an ISO-8601 time with offset");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
