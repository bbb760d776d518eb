package io.llmgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvFileTokenStoreTest {
    private static final Instant EXPIRY = Instant.parse("2026-03-01T11:00:00Z");

    @TempDir
    Path dir;

    @Test
    void saveReplacesTokenLinesWhereTheyStandAndKeepsEveryOtherByte() throws IOException {
        // given
        Path env = write(".env", """
                # Gateway settings
                OAUTH_HOST=auth.example.com   # the bare host

                OAUTH_REFRESH_TOKEN='old-refresh'
                   # indented comment with 'quotes' and ünïcödé
                OAUTH_ACCESS_TOKEN="old-access"
                LLM_API_URL=https://llm.example.com/v1/chat/completions
                OAUTH_ACCESS_TOKEN_EXPIRES_AT=2026-01-01T00:00:00+00:00

                # trailing comment
                """);

        // when
        new EnvFileTokenStore(env).save("new-refresh", "new-access", EXPIRY);

        // then
        assertThat(Files.readString(env)).isEqualTo("""
                # Gateway settings
                OAUTH_HOST=auth.example.com   # the bare host

                OAUTH_REFRESH_TOKEN='new-refresh'
                   # indented comment with 'quotes' and ünïcödé
                OAUTH_ACCESS_TOKEN='new-access'
                LLM_API_URL=https://llm.example.com/v1/chat/completions
                OAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-03-01T11:00:00+00:00'

                # trailing comment
                """);
    }

    @Test
    void exportPrefixAndIndentationAreKept() throws IOException {
        // given
        Path env = write(".env", """
                export OAUTH_REFRESH_TOKEN=old-refresh
                  export   OAUTH_ACCESS_TOKEN = 'old-access'
                """);

        // when
        new EnvFileTokenStore(env).save("new-refresh", "new-access", EXPIRY);

        // then
        assertThat(Files.readString(env)).isEqualTo("""
                export OAUTH_REFRESH_TOKEN='new-refresh'
                  export   OAUTH_ACCESS_TOKEN='new-access'
                OAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-03-01T11:00:00+00:00'
                """);
    }

    @Test
    void crLfLineEndingsAndNonUtf8BytesAreKept() throws IOException {
        // given: a Latin-1 comment, and a value whose UTF-8 'Å' holds byte 0x85 (NEL to a regex)
        byte[] latin1Comment = "# caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] rest = "OAUTH_ACCESS_TOKEN=\u00c5\r\nOTHER=1".getBytes(StandardCharsets.UTF_8);
        Path env = dir.resolve(".env");
        Files.write(env, concat(latin1Comment, rest));

        // when
        new EnvFileTokenStore(env).save("r", "a", EXPIRY);

        // then
        byte[] expectedRest = ("OAUTH_ACCESS_TOKEN='a'\r\nOTHER=1\r\nOAUTH_REFRESH_TOKEN='r'\r\n"
                + "OAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-03-01T11:00:00+00:00'\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Files.readAllBytes(env)).isEqualTo(concat(latin1Comment, expectedRest));
    }

    @Test
    void missingKeysAreAppendedAfterALastLineWithoutNewline() throws IOException {
        // given
        Path env = write(".env", "OAUTH_HOST=auth.example.com");

        // when
        new EnvFileTokenStore(env).save("r", "a", EXPIRY);

        // then
        assertThat(Files.readString(env)).isEqualTo("""
                OAUTH_HOST=auth.example.com
                OAUTH_REFRESH_TOKEN='r'
                OAUTH_ACCESS_TOKEN='a'
                OAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-03-01T11:00:00+00:00'
                """);
    }

    @Test
    void everyAssignmentOfATokenKeyIsReplaced() throws IOException {
        // given
        Path env = write(".env", """
                OAUTH_REFRESH_TOKEN=first
                OAUTH_REFRESH_TOKEN=second
                """);

        // when
        new EnvFileTokenStore(env).save("r", "a", EXPIRY);

        // then
        assertThat(Files.readAllLines(env)).startsWith("OAUTH_REFRESH_TOKEN='r'", "OAUTH_REFRESH_TOKEN='r'");
    }

    @Test
    void quotingStylesAreReadCorrectly() throws IOException {
        // given
        Path env = write(".env", """
                OAUTH_REFRESH_TOKEN="double-quoted"
                OAUTH_ACCESS_TOKEN=unquoted # a comment
                export OAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-03-01T11:00:00+00:00'
                OAUTH_LAST_FORCED_REFRESH=
                """);

        // when
        StoredTokens tokens = new EnvFileTokenStore(env).load();

        // then
        assertThat(tokens).isEqualTo(new StoredTokens("double-quoted", "unquoted", EXPIRY, null));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-24T21:00:00Z, 2026-11-24T21:00:00Z",
            "2026-11-24T22:00:00+01:00, 2026-11-24T21:00:00Z",
            "2026-11-24T21:00:00.123456+00:00, 2026-11-24T21:00:00.123456Z"})
    void timestampsInTheSeedsFormatsAreRead(String written, String expected) throws IOException {
        // given
        Path env = write(".env", "OAUTH_ACCESS_TOKEN_EXPIRES_AT=" + written + "\nOAUTH_LAST_FORCED_REFRESH='"
                + written + "'\n");

        // when
        StoredTokens tokens = new EnvFileTokenStore(env).load();

        // then
        assertThat(tokens.accessTokenExpiresAt()).isEqualTo(Instant.parse(expected));
        assertThat(tokens.lastForcedRefresh()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void unparseableTimestampReadsAsAbsent() throws IOException {
        // given
        Path env = write(".env", "OAUTH_ACCESS_TOKEN=a\nOAUTH_ACCESS_TOKEN_EXPIRES_AT=tomorrow\n");

        // when
        StoredTokens tokens = new EnvFileTokenStore(env).load();

        // then
        assertThat(tokens).isEqualTo(new StoredTokens(null, "a", null, null));
    }

    @Test
    void loadRereadsTheFileEveryTime() throws IOException {
        // given
        Path env = write(".env", "OAUTH_REFRESH_TOKEN=first\n");
        EnvFileTokenStore store = new EnvFileTokenStore(env);
        store.load();

        // when
        Files.writeString(env, "OAUTH_REFRESH_TOKEN=rotated-elsewhere\n");

        // then
        assertThat(store.load().refreshToken()).isEqualTo("rotated-elsewhere");
    }

    @Test
    void valuesThatCannotBeSingleQuotedRoundTrip() {
        // given
        EnvFileTokenStore store = new EnvFileTokenStore(dir.resolve(".env"));

        // when
        store.save("it's", "back\\slash \"quoted\"", EXPIRY);

        // then
        assertThat(store.load()).isEqualTo(new StoredTokens("it's", "back\\slash \"quoted\"", EXPIRY, null));
    }

    @Test
    void saveCreatesAMissingFileReadableByTheOwnerOnly() throws IOException {
        // given
        Path env = dir.resolve(".env");

        // when
        new EnvFileTokenStore(env).save("r", "a", EXPIRY);

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        assertThat(new EnvFileTokenStore(env).load()).isEqualTo(new StoredTokens("r", "a", EXPIRY, null));
    }

    @Test
    void saveTightensAWorldReadableFileToOwnerOnly() throws IOException {
        // given
        Path env = write(".env", "OAUTH_HOST=auth.example.com\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));

        // when
        new EnvFileTokenStore(env).save("r", "a", EXPIRY);

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
    }

    @Test
    void recordForcedRefreshWritesOnlyItsKey() throws IOException {
        // given
        Path env = write(".env", "OAUTH_REFRESH_TOKEN='r'\n");

        // when
        new EnvFileTokenStore(env).recordForcedRefresh(EXPIRY);

        // then
        assertThat(Files.readString(env))
                .isEqualTo("OAUTH_REFRESH_TOKEN='r'\nOAUTH_LAST_FORCED_REFRESH='2026-03-01T11:00:00+00:00'\n");
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws IOException {
        // given
        EnvFileTokenStore store = new EnvFileTokenStore(write(".env", "OAUTH_HOST=auth.example.com\n"));

        // when
        store.save("r1", "a1", EXPIRY);
        store.recordForcedRefresh(EXPIRY);
        store.save("r2", "a2", EXPIRY);

        // then
        assertThat(fileNames(dir)).containsExactlyInAnyOrder(".env", ".env.lock");
    }

    @Test
    void symlinkedEnvFileHasItsTargetWritten() throws IOException {
        // given
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Path app = Files.createDirectory(dir.resolve("app"));
        Path target = Files.writeString(secrets.resolve(".env"), "OAUTH_HOST=auth.example.com\n");
        Path link = Files.createSymbolicLink(app.resolve(".env"), Path.of("../secrets/.env"));

        // when
        new EnvFileTokenStore(link).save("r", "a", EXPIRY);

        // then
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).startsWith("OAUTH_HOST=auth.example.com\nOAUTH_REFRESH_TOKEN='r'\n");
        assertThat(fileNames(app)).containsExactly(".env");
        assertThat(fileNames(secrets)).containsExactlyInAnyOrder(".env", ".env.lock");
    }

    @Test
    void concurrentSavesFromManyThreadsLeaveAWellFormedFile() throws Exception {
        // given: two stores on one file, as when two components of one JVM share it
        Path env = write(".env", "# keep me\nOAUTH_HOST=auth.example.com\n");
        List<EnvFileTokenStore> stores = List.of(new EnvFileTokenStore(env), new EnvFileTokenStore(env));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> writers = new ArrayList<>();

        // when
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    EnvFileTokenStore store = stores.get(thread % 2);
                    for (int i = 0; i < 8; i++) {
                        store.save("refresh-" + thread + "-" + i, "access-" + thread + "-" + i, EXPIRY);
                        store.recordForcedRefresh(EXPIRY.plusSeconds(i));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // then
        List<String> lines = Files.readAllLines(env);
        assertThat(lines).hasSize(6).startsWith("# keep me", "OAUTH_HOST=auth.example.com");
        StoredTokens tokens = stores.get(0).load();
        assertThat(tokens.accessToken()).isEqualTo(tokens.refreshToken().replace("refresh-", "access-"));
        assertThat(tokens.accessTokenExpiresAt()).isEqualTo(EXPIRY);
        assertThat(fileNames(dir)).containsExactlyInAnyOrder(".env", ".env.lock");
    }

    @Test
    void saveFailsAndLeavesTheFileUntouchedWhenTheLockCannotBeTaken() throws IOException {
        // given: a directory where the lock file belongs (permission bits would not stop root)
        Path env = write(".env", "OAUTH_REFRESH_TOKEN='r'\n");
        Files.createDirectory(dir.resolve(".env.lock"));
        EnvFileTokenStore store = new EnvFileTokenStore(env);

        // when / then
        assertThatThrownBy(() -> store.save("new", "a", EXPIRY)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(env.toString());
        assertThat(Files.readString(env)).isEqualTo("OAUTH_REFRESH_TOKEN='r'\n");
        assertThat(fileNames(dir)).containsExactlyInAnyOrder(".env", ".env.lock");
    }

    @Test
    void saveFailsWhenTheDirectoryCannotBeWritten() throws IOException {
        // given: the .env's "directory" is a regular file
        Path notADirectory = write("not-a-directory", "");
        EnvFileTokenStore store = new EnvFileTokenStore(notADirectory.resolve(".env"));

        // when / then
        assertThatThrownBy(() -> store.save("r", "a", EXPIRY)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(notADirectory.toString());
        assertThat(fileNames(dir)).containsExactly("not-a-directory");
    }

    @Test
    void describeNamesTheAbsolutePath() {
        // given
        EnvFileTokenStore store = new EnvFileTokenStore(Path.of("config", ".env"));

        // when
        String description = store.describe();

        // then
        assertThat(description).isEqualTo(Path.of("config", ".env").toAbsolutePath().toString());
        assertThat(store.refreshTokenLocation()).isEqualTo(description);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
