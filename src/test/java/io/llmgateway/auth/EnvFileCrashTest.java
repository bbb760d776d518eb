package io.llmgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.DotEnvFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while it rewrites {@code .env} leaves either the old or the new complete file,
 * never a truncated or merged one: a child JVM saves tokens in a loop and is killed at random moments.
 */
class EnvFileCrashTest {
    private static final String HEADER = "# operator's comment\nLLM_MODEL_NAME=gpt-4.1\n";

    @TempDir
    Path dir;

    /** The child: saves rt-N/at-N pairs as fast as it can until killed; says so after the first save. */
    public static void main(String[] args) {
        EnvFileTokenStore store = new EnvFileTokenStore(Path.of(args[0]));
        for (long n = 1; ; n++) {
            store.save("rt-" + n, "at-" + n, Instant.parse("2026-11-24T10:00:00Z").plusSeconds(n));
            if (n == 1) {
                System.out.println("saving");
                System.out.flush();
            }
        }
    }

    @Test
    void aWriterKilledAtRandomMomentsAlwaysLeavesACompleteConsistentFile() throws Exception {
        // given
        Path env = dir.resolve(".env");
        Files.writeString(env, HEADER);
        Random random = new Random(20261124);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        for (int round = 0; round < 12; round++) {
            // when a writer runs for a random moment and is killed without warning
            Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    EnvFileCrashTest.class.getName(), env.toString()).redirectErrorStream(true).start();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(writer.getInputStream()))) {
                assertThat(output.readLine()).as("the writer started saving").isEqualTo("saving");
                Thread.sleep(random.nextInt(40)); // how far into its stream of saves the kill lands
                writer.destroyForcibly();
            }
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // then the file is one complete version
            String text = Files.readString(env);
            Map<String, String> values = DotEnvFile.read(env);
            assertThat(text).as("round %d", round).startsWith(HEADER);
            assertThat(values.get("LLM_MODEL_NAME")).isEqualTo("gpt-4.1");
            String refresh = values.get("OAUTH_REFRESH_TOKEN");
            if (refresh != null) {
                String n = refresh.substring(3);
                assertThat(values).as("round %d: %s", round, text)
                        .containsEntry("OAUTH_ACCESS_TOKEN", "at-" + n)
                        .containsKey("OAUTH_ACCESS_TOKEN_EXPIRES_AT");
                assertThat(text.split("OAUTH_REFRESH_TOKEN=", -1)).hasSize(2);
            }
        }
        assertThat(DotEnvFile.read(env)).containsKey("OAUTH_REFRESH_TOKEN");
    }
}
