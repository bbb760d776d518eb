package io.llmgateway;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.LogCapture;
import io.llmgateway.testing.MutableClock;
import io.llmgateway.testing.ScriptedUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OAuth2 token lifecycle through the real WAR, a real .env file and a scripted token server. */
class TokenFlowTest {
    private static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"test-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}";
    private static final String CHAT = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedUpstream upstream;
    private Path envFile;
    private final List<GatewayServer> gateways = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedUpstream().onChat(json(200, COMPLETION));
        envFile = dir.resolve(".env");
        Files.writeString(envFile, "# my settings\nOAUTH_REFRESH_TOKEN='rt-0'\n\nLLM_TEMPERATURE=0.5 # warm\n");
    }

    @AfterEach
    void stop() {
        gateways.forEach(GatewayServer::close);
        upstream.close();
    }

    private GatewayServer gateway(MutableClock clock) {
        GatewayServer server = GatewayServer.start(upstream.gatewayConfig(envFile.toString()), clock);
        gateways.add(server);
        return server;
    }

    private HttpResponse<String> chat(GatewayServer gateway) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hundredConcurrentRequestsOnAColdStartCauseExactlyOneTokenCall() throws Exception {
        // given a slow token server, so every request arrives while the one refresh is in flight
        CountDownLatch release = new CountDownLatch(1);
        upstream.onToken((exchange, request) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            json(200, "{\"access_token\":\"at-shared\",\"expires_in\":3600}").write(exchange, request);
        });
        GatewayServer gateway = gateway(null);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        AtomicInteger ok = new AtomicInteger();

        // when
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(CompletableFuture.runAsync(() -> {
                try {
                    if (chat(gateway).statusCode() == 200) {
                        ok.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        while (upstream.tokenCalls() == 0) {
            Thread.onSpinWait();
        }
        release.countDown();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();

        // then
        assertThat(ok).hasValue(100);
        assertThat(upstream.tokenCalls()).isEqualTo(1);
        assertThat(upstream.received("/chat/completions")).allSatisfy(r ->
                assertThat(r.headers().get("authorization")).isEqualTo("Bearer at-shared"));
    }

    @Test
    void rotatedRefreshTokenIsPersistedWithCommentsKeptAndUsedNextTime() throws Exception {
        // given
        AtomicInteger serial = new AtomicInteger();
        upstream.onToken((exchange, request) -> {
            int n = serial.incrementAndGet();
            json(200, "{\"access_token\":\"at-" + n + "\",\"expires_in\":3600,\"refresh_token\":\"rt-" + n + "\"}")
                    .write(exchange, request);
        });
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        GatewayServer gateway = gateway(clock);

        // when
        chat(gateway);
        clock.advance(Duration.ofHours(2));
        chat(gateway);

        // then
        List<ScriptedUpstream.Received> refreshes = upstream.received("/oauth2/v1/token");
        assertThat(refreshes).extracting(r -> r.form().get("refresh_token")).containsExactly("rt-0", "rt-1");
        assertThat(refreshes.get(0).form()).containsEntry("grant_type", "refresh_token")
                .containsEntry("client_id", "test-client");
        String env = Files.readString(envFile);
        assertThat(env).startsWith("# my settings\n").contains("\n\nLLM_TEMPERATURE=0.5 # warm\n")
                .contains("OAUTH_REFRESH_TOKEN='rt-2'").contains("OAUTH_ACCESS_TOKEN='at-2'")
                .contains("OAUTH_ACCESS_TOKEN_EXPIRES_AT=");
        assertThat(upstream.lastChat().headers().get("authorization")).isEqualTo("Bearer at-2");
    }

    @Test
    void restartReusesTheCachedAccessTokenWithoutATokenCall() throws Exception {
        // given a first run that obtained and stored a token
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        GatewayServer first = gateway(clock);
        chat(first);
        first.close();
        gateways.remove(first);

        // when
        GatewayServer second = gateway(clock);
        chat(second);

        // then
        assertThat(upstream.tokenCalls()).isEqualTo(1);
        assertThat(upstream.lastChat().headers().get("authorization")).isEqualTo("Bearer at-1");
    }

    @Test
    void outsideEditOfTheRefreshTokenIsUsedByTheNextRefresh() throws Exception {
        // given a running gateway holding a token
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        GatewayServer gateway = gateway(clock);
        chat(gateway);
        String env = Files.readString(envFile);
        Files.writeString(envFile, env.replaceAll("OAUTH_REFRESH_TOKEN=.*", "OAUTH_REFRESH_TOKEN='rt-from-outside'"));

        // when the token expires
        clock.advance(Duration.ofHours(2));
        chat(gateway);

        // then
        assertThat(upstream.received("/oauth2/v1/token").get(1).form().get("refresh_token"))
                .isEqualTo("rt-from-outside");
    }

    @Test
    void upstream401ForcesOneRefreshAndOneRetry() throws Exception {
        // given an upstream that rejects the first token
        AtomicInteger chats = new AtomicInteger();
        upstream.onChat((exchange, request) -> (chats.incrementAndGet() == 1
                ? json(401, "{\"error\":{\"message\":\"token revoked\"}}") : json(200, COMPLETION))
                .write(exchange, request));
        GatewayServer gateway = gateway(null);

        // when
        HttpResponse<String> response = chat(gateway);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.tokenCalls()).isEqualTo(2);
        assertThat(upstream.received("/chat/completions")).extracting(r -> r.headers().get("authorization"))
                .containsExactly("Bearer at-1", "Bearer at-2");
    }

    @Test
    void givenAStreamWhoseFirstTokenIsRejectedWhenRetriedThenTheSameBodyGoesUpstreamAndTheStreamArrives()
            throws Exception {
        // given an upstream that rejects the first token, then streams
        AtomicInteger chats = new AtomicInteger();
        upstream.onChat((exchange, request) -> (chats.incrementAndGet() == 1
                ? json(401, "{\"error\":{\"message\":\"token revoked\"}}")
                : ScriptedUpstream.sse(List.of("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n",
                        "data: [DONE]\n\n"))).write(exchange, request));
        GatewayServer gateway = gateway(null);
        String streamed = CHAT.replaceFirst("\\{", "{\"stream\":true,");

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(streamed)).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"hi\"").contains("data: [DONE]");
        assertThat(upstream.received("/chat/completions")).extracting(r -> r.headers().get("authorization"))
                .containsExactly("Bearer at-1", "Bearer at-2");
        assertThat(upstream.received("/chat/completions")).extracting(ScriptedUpstream.Received::body)
                .containsExactly(streamed, streamed);
    }

    @Test
    void invalidGrantSurfacesTheServerErrorAndTheFixAndReadinessTurnsFalse() throws Exception {
        // given
        upstream.onToken(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token expired\"}"));
        GatewayServer gateway = gateway(null);

        // when
        HttpResponse<String> response = chat(gateway);
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(gateway.uri("health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("invalid_grant").contains("Refresh token expired")
                .contains("OAUTH_REFRESH_TOKEN").contains("\"error\"");
        assertThat(ready.statusCode()).isEqualTo(503);
    }

    @Test
    void aTokenServerDownAtStartupDoesNotBrickTheGatewayWhichRecoversByItself() throws Exception {
        // given
        upstream.onToken(json(503, "{\"error\":\"temporarily_unavailable\"}"));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        GatewayServer gateway = gateway(clock);

        // when
        HttpResponse<String> whileDown = chat(gateway);
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(gateway.uri("health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readyWhileDown = http.send(HttpRequest.newBuilder(gateway.uri("health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        upstream.onToken(json(200, "{\"access_token\":\"at-back\",\"expires_in\":3600}"));
        clock.advance(Duration.ofMinutes(2));
        HttpResponse<String> afterRecovery = chat(gateway);
        HttpResponse<String> readyAfter = http.send(HttpRequest.newBuilder(gateway.uri("health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.body()).contains("\"code\":\"upstream_token_unavailable\"");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(readyWhileDown.statusCode()).isEqualTo(503);
        assertThat(readyWhileDown.body()).contains("\"status\":\"not_ready\"");
        assertThat(afterRecovery.statusCode()).isEqualTo(200);
        assertThat(readyAfter.statusCode()).isEqualTo(200);
        assertThat(upstream.lastChat().headers().get("authorization")).isEqualTo("Bearer at-back");
    }

    @Test
    void noTokenRefreshTokenOrKeyEverAppearsInTheLogsOrErrorBodiesEvenAtTraceLevel() throws Exception {
        // given distinctive secrets on every path: rotation, a 401 retry, a static key elsewhere, inbound keys
        Level level = Logger.getLogger("io.llmgateway").getLevel();
        LogCapture capture = LogCapture.on(Logger.getLogger(""), new SimpleFormatter()::format);
        List<String> logged = capture.lines();
        Files.writeString(envFile, "OAUTH_REFRESH_TOKEN='SEEDSECRET0'\nLOG_LEVEL=TRACE\n");
        AtomicInteger serial = new AtomicInteger();
        upstream.onToken((exchange, request) -> {
            int n = serial.incrementAndGet();
            json(200, "{\"access_token\":\"ACCESSSECRET" + n + "\",\"expires_in\":3600,"
                    + "\"refresh_token\":\"REFRESHSECRET" + n + "\"}").write(exchange, request);
        });
        AtomicInteger chats = new AtomicInteger();
        upstream.onChat((exchange, request) -> (chats.incrementAndGet() == 1
                ? json(401, "{\"error\":{\"message\":\"expired\"}}") : json(200, COMPLETION)).write(exchange, request));
        Map<String, String> config = upstream.gatewayConfig(envFile.toString());
        config.put("GATEWAY_API_KEYS", "INBOUNDSECRET");
        List<String> bodies = new ArrayList<>();
        try {
            GatewayServer gateway = GatewayServer.start(config);
            gateways.add(gateway);

            // when
            bodies.add(http.send(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Authorization", "Bearer INBOUNDSECRET").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            bodies.add(http.send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("x-api-key", "WRONGSECRET").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            bodies.add(http.send(HttpRequest.newBuilder(gateway.uri("health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            capture.close();
            Logger.getLogger("io.llmgateway").setLevel(level);
        }

        // then
        assertThat(serial).hasValue(2);
        assertThat(logged).isNotEmpty().noneMatch(line -> line.contains("SECRET"));
        assertThat(logged).anySatisfy(line -> assertThat(line).containsPattern("\\n(FINE|FINER|FINEST): "));
        assertThat(bodies).hasSize(3).noneMatch(body -> body.contains("SECRET"));
        assertThat(logged).anySatisfy(line -> assertThat(line).containsPattern(
                "id=req_[0-9a-f]{16} POST /v1/chat/completions status=200 model=test-model stream=false "
                        + "latency_ms=\\d+ upstream_ms=\\d+ key=[0-9a-f]{8}"));
    }

    @Test
    void staticApiKeyReplacesOAuthForInference() throws Exception {
        // given
        Map<String, String> config = upstream.gatewayConfig(envFile.toString());
        config.put("LLM_API_KEY", "static-key");
        GatewayServer gateway = GatewayServer.start(config);
        gateways.add(gateway);

        // when
        HttpResponse<String> response = chat(gateway);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.tokenCalls()).isZero();
        assertThat(upstream.lastChat().headers().get("authorization")).isEqualTo("Bearer static-key");
    }

}
