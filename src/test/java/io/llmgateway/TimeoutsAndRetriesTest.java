package io.llmgateway;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.BlackholeUpstream;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.ScriptedUpstream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two call policies through the WAR: quick calls retried with backoff (waits recorded, not slept), inference
 * never re-sent once it may have reached the model, and each timeout ending in the caller's dialect.
 */
class TimeoutsAndRetriesTest {
    private static final String CHAT = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String STREAM_CHAT =
            "{\"model\":\"test-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String MESSAGES = "{\"model\":\"test-model\",\"max_tokens\":50,\"stream\":%s,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private ScriptedUpstream upstream;
    private GatewayServer gateway;

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void startGateway(Map<String, String> extra) {
        Map<String, String> config = upstream.gatewayConfig(dir.resolve(".env").toString());
        config.put("OAUTH_REFRESH_TOKEN", "rt");
        config.putAll(extra);
        gateway = GatewayServer.start(config, null, waits::add);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ScriptedUpstream.Answer stalling(Duration stall, ScriptedUpstream.Answer then) {
        return (exchange, request) -> {
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            then.write(exchange, request);
        };
    }

    @Test
    void aQuickCallIsRetriedWithGrowingBackoffAndHonoursRetryAfter() throws Exception {
        // given a token server that fails twice, the second time asking for 2 seconds
        AtomicInteger calls = new AtomicInteger();
        upstream.onToken((exchange, request) -> (switch (calls.incrementAndGet()) {
            case 1 -> json(503, "{\"error\":\"temporarily_unavailable\"}");
            case 2 -> json(429, "{\"error\":\"slow_down\"}", Map.of("Retry-After", "2"));
            default -> json(200, "{\"access_token\":\"at-third\",\"expires_in\":3600}");
        }).write(exchange, request));
        upstream.onChat(json(200, "{\"choices\":[]}"));
        startGateway(Map.of());

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.tokenCalls()).isEqualTo(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(375), Duration.ofMillis(625));
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void inferenceIsNeverResentOnceTheUpstreamAnswered() throws Exception {
        // given
        upstream.onChat(json(503, "{\"error\":{\"message\":\"busy\"}}"));
        startGateway(Map.of());

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(upstream.received("/chat/completions")).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void inferenceIsRetriedOnlyWhileNoConnectionCanBeMade() throws Exception {
        // given an upstream address where nothing listens
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        startGateway(Map.of("LLM_API_URL", "http://127.0.0.1:" + closedPort + "/v1/chat/completions"));

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"code\":\"upstream_unreachable\"").contains("Cannot connect");
        assertThat(waits).hasSize(2);
    }

    @Test
    void aConnectionThatCannotBeEstablishedInTimeIsRetriedThenReportedAsUnreachable() throws Exception {
        // given an upstream address where connecting hangs
        try (BlackholeUpstream blackhole = new BlackholeUpstream()) {
            startGateway(Map.of("CONNECTION_TIMEOUT", "0.3", "LLM_API_KEY", "static",
                    "LLM_API_URL", blackhole.url("/v1/chat/completions")));

            // when
            HttpResponse<String> response = post("v1/chat/completions", CHAT);

            // then: nothing was sent, so all three attempts were allowed
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("Cannot connect").contains("\"code\":\"upstream_unreachable\"");
            assertThat(waits).hasSize(2);
        }
    }

    @Test
    void anUpstreamSilentPastTheRequestTimeoutIsA504InEachDialect() throws Exception {
        // given
        upstream.onChat(stalling(Duration.ofSeconds(3), json(200, "{\"choices\":[]}")));
        startGateway(Map.of("LLM_REQUEST_TIMEOUT", "0.3"));

        // when
        HttpResponse<String> openAi = post("v1/chat/completions", CHAT);
        HttpResponse<String> anthropic = post("v1/messages", MESSAGES.formatted("false"));

        // then
        assertThat(openAi.statusCode()).isEqualTo(504);
        assertThat(openAi.body()).contains("\"code\":\"upstream_timeout\"");
        assertThat(anthropic.statusCode()).isEqualTo(504);
        assertThat(anthropic.body()).contains("\"type\":\"timeout_error\"");
        assertThat(upstream.received("/chat/completions")).hasSize(2);
    }

    @Test
    void aStreamThatStallsBetweenEventsEndsWithAnInStreamTimeoutError() throws Exception {
        // given an upstream that sends one event and then goes silent for longer than LLM_REQUEST_TIMEOUT
        upstream.onChat(ScriptedUpstream.sse(List.of(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" late\"}}]}\n\n"), frame -> {
                    if (frame == 0) {
                        try {
                            Thread.sleep(3_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
        startGateway(Map.of("LLM_REQUEST_TIMEOUT", "0.5"));

        // when
        HttpResponse<String> openAi = post("v1/chat/completions", STREAM_CHAT);
        HttpResponse<String> anthropic = post("v1/messages", MESSAGES.formatted("true"));

        // then
        assertThat(openAi.statusCode()).isEqualTo(200);
        assertThat(openAi.body()).contains("\"content\":\"Hi\"").contains("\"code\":\"upstream_timeout\"")
                .doesNotContain(" late");
        assertThat(anthropic.statusCode()).isEqualTo(200);
        assertThat(anthropic.body()).contains("event: error").contains("\"type\":\"timeout_error\"");
    }

    @Test
    void aTokenServerSlowerThanTheConnectionTimeoutIsNotRetriedAndFailsClearly() throws Exception {
        // given
        upstream.onToken(stalling(Duration.ofSeconds(3), json(200, "{\"access_token\":\"late\",\"expires_in\":3600}")));
        startGateway(Map.of("CONNECTION_TIMEOUT", "0.3"));

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT);

        // then: a refresh token may be spent by a request whose answer was lost, so it is not sent again
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("upstream_token_unavailable").contains("in time");
        assertThat(upstream.tokenCalls()).isEqualTo(1);
    }

    @Test
    void aSlowCatalogIsRetriedThenTheConfiguredModelsAreServed() throws Exception {
        // given
        upstream.onModels(stalling(Duration.ofSeconds(3), json(200, "{\"data\":[{\"id\":\"never\"}]}")));
        startGateway(Map.of("CONNECTION_TIMEOUT", "0.3",
                "LLM_MODELS_API_URL", upstream.uri("/v1/models").toString()));

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.uri("v1/models")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"test-model\"");
        assertThat(upstream.received("/v1/models")).hasSize(3);
        assertThat(waits).hasSize(2);
    }

}
