package io.llmgateway;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import io.llmgateway.testing.AnthropicStreamGrammar;
import io.llmgateway.testing.DroppingUpstream;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.MutableClock;
import io.llmgateway.testing.ScriptedUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults the gateway must survive: what the client sees, and that nothing is left behind afterwards. */
class FaultsTest {
    private static final String CHAT = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String OPENAI_STREAM =
            "{\"model\":\"test-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String ANTHROPIC_STREAM = "{\"model\":\"test-model\",\"max_tokens\":50,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"test-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedUpstream upstream;
    private final List<GatewayServer> gateways = new ArrayList<>();

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream().onChat(json(200, COMPLETION));
    }

    @AfterEach
    void stop() {
        gateways.forEach(GatewayServer::close);
        upstream.close();
    }

    private GatewayServer gateway(Map<String, String> extra, MutableClock clock) {
        Map<String, String> config = upstream.gatewayConfig(dir.resolve(".env").toString());
        config.put("OAUTH_REFRESH_TOKEN", "rt");
        config.putAll(extra);
        GatewayServer server = GatewayServer.start(config, clock);
        gateways.add(server);
        return server;
    }

    private HttpResponse<String> post(GatewayServer gateway, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The health page's load section, polled until the gateway has finished its last request. */
    private JsonNode loadAtRest(GatewayServer gateway) throws Exception {
        JsonNode load = null;
        for (int i = 0; i < 100; i++) {
            load = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(gateway.uri("health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("load");
            if (load.path("requests_in_flight").asInt() == 0 && load.path("upstream_connections_in_use").asInt() == 0) {
                return load;
            }
            Thread.sleep(50);
        }
        return load;
    }

    @Test
    void anUpstreamResetMidStreamEndsBothDialectsWellFormedAndLeavesNothingInUse() throws Exception {
        // given
        try (DroppingUpstream dropping = new DroppingUpstream(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n\n")) {
            GatewayServer gateway = gateway(Map.of("LLM_API_URL", dropping.chatUrl(), "GATEWAY_KEY_LIMITS", "*=4/0"), null);

            // when
            HttpResponse<String> openAi = post(gateway, "v1/chat/completions", OPENAI_STREAM);
            HttpResponse<String> anthropic = post(gateway, "v1/messages", ANTHROPIC_STREAM);

            // then
            assertThat(openAi.body()).contains("\"content\":\"Hal\"").contains("\"code\":\"upstream_stream_error\"");
            List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(anthropic.body());
            assertThat(frames.get(frames.size() - 1).event()).isEqualTo("error");
            JsonNode load = loadAtRest(gateway);
            assertThat(load.path("requests_in_flight").asInt()).isZero();
            assertThat(load.path("upstream_connections_in_use").asInt()).isZero();
        }
    }

    @Test
    void aClientLeavingAnAnthropicStreamClosesTheUpstreamConnectionPromptly() throws Exception {
        // given an upstream that streams until its writes fail
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 400; i++) {
                    exchange.getResponseBody().write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick "
                            + i + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    Thread.sleep(25);
                }
            } catch (IOException e) {
                upstreamSawClose.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GatewayServer gateway = gateway(Map.of(), null);

        // when the client reads the first bytes and hangs up
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(ANTHROPIC_STREAM)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            body.readNBytes(200);
        }

        // then
        assertThat(upstreamSawClose.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loadAtRest(gateway).path("upstream_connections_in_use").asInt()).isZero();
    }

    @Test
    void aClientLeavingBeforeTheUpstreamAnswersLeavesNothingInFlightWhateverTheAnswer() throws Exception {
        // given an upstream that answers only after the client has gone: first an error, then a stream
        CountDownLatch clientGone = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        upstream.onChat((exchange, request) -> {
            try {
                clientGone.await(5, TimeUnit.SECONDS);
                Thread.sleep(200); // let the gateway notice
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (calls.incrementAndGet() == 1) {
                ScriptedUpstream.json(503, "{\"error\":{\"message\":\"busy\"}}").write(exchange, request);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 200; i++) {
                    exchange.getResponseBody().write(
                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    Thread.sleep(25);
                }
            } catch (IOException | InterruptedException e) {
                // the gateway closed it
            }
        });
        GatewayServer gateway = gateway(Map.of("GATEWAY_KEY_LIMITS", "*=1/0"), null);

        for (String path : List.of("v1/chat/completions", "v1/messages")) {
            // when a client sends a streaming request and hangs up before any answer
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.uri("").getPort())) {
                String body = path.endsWith("messages") ? ANTHROPIC_STREAM : OPENAI_STREAM;
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(("POST /" + path + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nanthropic-version: 2023-06-01\r\nContent-Length: "
                        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
                Thread.sleep(300); // the request reached the upstream
            }
            clientGone.countDown();

            // then the request ends at the edge: nothing in flight, and the key's one permit is free again
            JsonNode load = loadAtRest(gateway);
            assertThat(load.path("requests_in_flight").asInt()).isZero();
            assertThat(load.path("upstream_connections_in_use").asInt()).isZero();
        }
        assertThat(post(gateway, "v1/models", "").statusCode()).isNotEqualTo(429);
        assertThat(calls).hasValue(2);
    }

    @Test
    void upstream503WithRetryAfterIsPassedThroughInTheOpenAiDialect() throws Exception {
        // given
        upstream.onChat(json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}",
                Map.of("Retry-After", "9")));
        GatewayServer gateway = gateway(Map.of(), null);

        // when
        HttpResponse<String> response = post(gateway, "v1/chat/completions", CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("9");
        assertThat(response.body()).contains("overloaded");
    }

    @Test
    @Timeout(60)
    void anEndlessAnswerToAnAnthropicRequestIsCutAt64MegabytesAndTheUpstreamConnectionDropped() throws Exception {
        // given an upstream that never stops sending one answer
        upstream.onChat((exchange, request) -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"choices\":".getBytes(StandardCharsets.UTF_8));
            byte[] padding = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            try {
                while (true) {
                    out.write(padding);
                }
            } catch (IOException e) {
                // the gateway hung up: what it should do
            }
        });
        GatewayServer gateway = gateway(Map.of(), null);

        // when
        HttpResponse<String> message = post(gateway, "v1/messages",
                ANTHROPIC_STREAM.replace("\"stream\":true", "\"stream\":false"));

        // then
        assertThat(message.statusCode()).isEqualTo(502);
        assertThat(message.body()).contains("could not be read").doesNotContain("at io.");
        assertThat(loadAtRest(gateway).path("upstream_connections_in_use").asInt()).isZero();
    }

    @Test
    void malformedUpstreamAnswersBecomeCleanErrorsNeverStackTraces() throws Exception {
        // given an upstream answering garbage
        upstream.onChat((exchange, request) -> {
            boolean stream = request.body().contains("\"stream\":true");
            (stream ? ScriptedUpstream.sse(List.of("data: {not json\n\n", ": comment\n\n", "data: [1,2\n\n",
                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"fine\"}}]}\n\n", "data: [DONE]\n\n"))
                    : json(200, "<html>502 Bad Gateway</html>")).write(exchange, request);
        });
        GatewayServer gateway = gateway(Map.of(), null);

        // when
        HttpResponse<String> message = post(gateway, "v1/messages",
                ANTHROPIC_STREAM.replace("\"stream\":true", "\"stream\":false"));
        HttpResponse<String> stream = post(gateway, "v1/messages", ANTHROPIC_STREAM);

        // then
        assertThat(message.statusCode()).isEqualTo(502);
        assertThat(message.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"")
                .doesNotContain("at io.", "Exception");
        AnthropicStreamGrammar.check(stream.body());
        assertThat(stream.body()).contains("\"text\":\"fine\"");
    }

    @Test
    void aThousandConcurrentRequestsAsTheTokenExpiresCauseExactlyOneRefreshAndAllAreServed() throws Exception {
        // given a warm gateway whose token is about to expire, and a slow token server
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        GatewayServer gateway = gateway(Map.of(), clock);
        assertThat(post(gateway, "v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        CountDownLatch release = new CountDownLatch(1);
        upstream.onToken((exchange, request) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            json(200, "{\"access_token\":\"at-renewed\",\"expires_in\":3600}").write(exchange, request);
        });
        clock.advance(Duration.ofMinutes(59).plusSeconds(30));

        // when (a client of their own: no connection left over from the warm-up request is reused)
        HttpClient burst = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(burst.sendAsync(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        while (upstream.tokenCalls() < 2) {
            Thread.onSpinWait();
        }
        release.countDown();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        // then
        assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        assertThat(upstream.tokenCalls()).isEqualTo(2);
        assertThat(upstream.lastChat().headers().get("authorization")).isEqualTo("Bearer at-renewed");
    }

    @Test
    void anUnwritableTokenFileKeepsTokensWorkingFromMemoryWithAHealthWarning() throws Exception {
        // given a .env whose lock file cannot be created (a directory is in its way)
        Files.createDirectories(dir.resolve(".env.lock"));
        Files.createDirectories(dir.resolve(".env.lock").resolve("occupied"));
        GatewayServer gateway = gateway(Map.of(), null);

        // when
        HttpResponse<String> first = post(gateway, "v1/chat/completions", CHAT);
        HttpResponse<String> second = post(gateway, "v1/chat/completions", CHAT);
        String health = http.send(HttpRequest.newBuilder(gateway.uri("health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(upstream.tokenCalls()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(health).path("warnings").toString()).contains(".env");
    }
}
