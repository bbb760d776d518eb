package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveConfigTest {
    @TempDir
    Path dir;

    private LiveConfig load(String envContent, Map<String, String> params) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, envContent);
        Map<String, String> all = new HashMap<>(params);
        all.put("GATEWAY_ENV_FILE", env.toString());
        return LiveConfig.load(all);
    }

    /** Rewrites the file and moves its timestamp, as an editor's save a second later would. */
    private void edit(String content) throws Exception {
        Path env = dir.resolve(".env");
        FileTime before = Files.getLastModifiedTime(env);
        Files.writeString(env, content);
        Files.setLastModifiedTime(env, FileTime.from(before.toInstant().plusSeconds(1)));
    }

    @Test
    void quotedAndUnquotedValuesAreRead() throws Exception {
        // when
        GatewayConfig config = load("""
                # comment
                LLM_MODEL_NAME='gpt-4.1, gpt-4o'
                LLM_SYSTEM_PROMPT="Be brief.\\nAlways."
                export CONNECTION_TIMEOUT=2.5
                LLM_TEMPERATURE=1.2 # hot
                """, Map.of()).current();

        // then
        assertThat(config.modelNames()).containsExactly("gpt-4.1", "gpt-4o");
        assertThat(config.systemPrompt()).isEqualTo("Be brief.\nAlways.");
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.temperature()).isEqualTo(1.2);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() throws Exception {
        // when
        GatewayConfig config = load("", Map.of()).current();

        // then
        assertThat(config.demoMode()).isTrue();
        assertThat(config.temperature()).isEqualTo(0.7);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.oauthKeepAlive()).isEqualTo(Duration.ofHours(6));
        assertThat(config.systemPrompt()).isEqualTo("You are a helpful assistant.");
        assertThat(config.modelFallback()).isTrue();
    }

    @Test
    void higherLayersWinOverTheFile() throws Exception {
        // when
        GatewayConfig config = load("LLM_TEMPERATURE=0.1\n", Map.of("LLM_TEMPERATURE", "0.9")).current();

        // then
        assertThat(config.temperature()).isEqualTo(0.9);
    }

    @Test
    void aBlankValueInAHigherLayerCountsAsUnsetAndDoesNotHideTheFile() throws Exception {
        // when
        GatewayConfig config = load("LLM_MODEL_NAME=from-file\n", Map.of("LLM_MODEL_NAME", " ")).current();

        // then
        assertThat(config.modelNames()).containsExactly("from-file");
    }

    @Test
    void invalidValueAtStartupFailsNamingTheKey() {
        // when / then
        assertThatThrownBy(() -> load("LLM_TEMPERATURE=hot\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LLM_TEMPERATURE")
                .hasMessageContaining("expected a number");
    }

    @Test
    void tokenUrlDefaultsToTheSeedPathOnOAuthHostAndCanBeOverridden() throws Exception {
        // when
        GatewayConfig derived = load("OAUTH_HOST=login.example.com\n", Map.of()).current();
        GatewayConfig explicit = load("OAUTH_HOST=login.example.com\nOAUTH_TOKEN_URL=http://127.0.0.1:9/t\n", Map.of())
                .current();

        // then
        assertThat(derived.oauthTokenUrl()).hasToString("https://login.example.com/oauth2/v1/token");
        assertThat(explicit.oauthTokenUrl()).hasToString("http://127.0.0.1:9/t");
    }

    @Test
    void aChangedFileAppliesToTheNextRead() throws Exception {
        // given
        LiveConfig live = load("LLM_TEMPERATURE=0.2\nFORCE_PROXY=false\n", Map.of());

        // when
        edit("LLM_TEMPERATURE=0.4\nFORCE_PROXY=true\n");

        // then
        assertThat(live.current().temperature()).isEqualTo(0.4);
        assertThat(live.current().forceProxy()).isTrue();
    }

    @Test
    void givenAPinnedSnapshotWhenTheFileChangesThenThePinnedThreadKeepsItUntilUnpinned() throws Exception {
        // given
        LiveConfig live = load("LLM_TEMPERATURE=0.2\n", Map.of());
        GatewayConfig pinned = live.pin();

        // when
        edit("LLM_TEMPERATURE=0.4\n");
        GatewayConfig duringRequest = live.current();
        CompletableFuture<GatewayConfig> otherThread = CompletableFuture.supplyAsync(live::current);
        live.unpin();

        // then
        assertThat(duringRequest).isSameAs(pinned);
        assertThat(pinned.temperature()).isEqualTo(0.2);
        assertThat(otherThread.get().temperature()).isEqualTo(0.4);
        assertThat(live.current().temperature()).isEqualTo(0.4);
    }

    @Test
    void givenAnOldPinLeftOnTheThreadWhenPinnedAgainThenTheLatestFileApplies() throws Exception {
        // given
        LiveConfig live = load("LLM_TEMPERATURE=0.2\n", Map.of());
        live.pin();
        edit("LLM_TEMPERATURE=0.4\n");

        // when
        GatewayConfig repinned = live.pin();
        live.unpin();

        // then
        assertThat(repinned.temperature()).isEqualTo(0.4);
    }

    @Test
    void givenNoFileAtStartWhenOneIsCreatedThenItAppliesToTheNextRead() throws Exception {
        // given
        Path env = dir.resolve("later.env");
        LiveConfig live = LiveConfig.load(Map.of("GATEWAY_ENV_FILE", env.toString()));
        double before = live.current().temperature();

        // when
        Files.writeString(env, "LLM_TEMPERATURE=0.3\n");

        // then
        assertThat(before).isNotEqualTo(0.3);
        assertThat(live.current().temperature()).isEqualTo(0.3);
    }

    @Test
    void givenAFileWhenItIsDeletedThenItsValuesNoLongerApply() throws Exception {
        // given
        LiveConfig live = load("LLM_TEMPERATURE=0.3\n", Map.of());
        assertThat(live.current().temperature()).isEqualTo(0.3);

        // when
        Files.delete(dir.resolve(".env"));

        // then
        assertThat(live.current().temperature()).isNotEqualTo(0.3);
    }

    @Test
    void anInvalidHotEditKeepsTheLastGoodValueAndWarns() throws Exception {
        // given
        LiveConfig live = load("LLM_TEMPERATURE=0.2\nLLM_MODEL_NAME=a\n", Map.of());

        // when
        edit("LLM_TEMPERATURE=hot\nLLM_MODEL_NAME=b\n");

        // then
        assertThat(live.current().temperature()).isEqualTo(0.2);
        assertThat(live.current().modelNames()).containsExactly("b");
        assertThat(live.warnings()).singleElement().asString().contains("LLM_TEMPERATURE");
    }

    @Test
    void restartOnlyKeysKeepTheirStartupValueAndSaySo() throws Exception {
        // given
        LiveConfig live = load("", Map.of());

        // when
        edit("LLM_API_URL=https://llm.example.com/v1/chat/completions\n");

        // then
        assertThat(live.current().demoMode()).isTrue();
        assertThat(live.warnings()).anySatisfy(w -> assertThat(w).contains("LLM_API_URL").contains("restart"));
    }

    @Test
    void toStringRevealsNoSecret() throws Exception {
        // when
        String text = load("LLM_API_KEY=sk-secret\nHTTP_PROXY_URL=http://user:pw@proxy:3128\n"
                + "OAUTH_REFRESH_TOKEN=rt-secret\nGATEWAY_API_KEYS=k1\n", Map.of()).current().toString();

        // then
        assertThat(text).doesNotContain("sk-secret", "user:pw", "rt-secret", "k1").contains("****@proxy:3128");
    }
}
