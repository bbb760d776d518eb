package io.llmgateway;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.LogCapture;
import io.llmgateway.testing.ScriptedUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound keys, error envelopes for bad input, request ids: what every caller meets first. */
class EdgeTest {
    private static final String CHAT = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"test-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedUpstream upstream;
    private GatewayServer gateway;

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream().onChat(json(200, COMPLETION));
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
        gateway = GatewayServer.start(config);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withKeysConfiguredARequestWithoutAKeyIsRejectedInTheOpenAiEnvelope() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_API_KEYS", "key-one,key-two"));

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":{\"message\":\"Missing API key")
                .contains("\"type\":\"authentication_error\"");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void withKeysConfiguredBearerAndXApiKeyAreBothAcceptedAndNeverForwarded() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_API_KEYS", "key-one,key-two"));

        // when
        HttpResponse<String> bearer = post("v1/chat/completions", CHAT, "Authorization", "Bearer key-two");
        HttpResponse<String> xApiKey = post("v1/chat/completions", CHAT, "x-api-key", "key-one");
        HttpResponse<String> wrong = post("v1/chat/completions", CHAT, "x-api-key", "key-three");

        // then
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(xApiKey.statusCode()).isEqualTo(200);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(upstream.received("/chat/completions")).allSatisfy(r -> {
            assertThat(r.headers().get("authorization")).isEqualTo("Bearer at-1");
            assertThat(r.headers()).doesNotContainKey("x-api-key");
        });
    }

    @Test
    void anthropicPathsGetRejectionsInTheAnthropicEnvelope() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_API_KEYS", "key-one"));

        // when
        HttpResponse<String> response = post("v1/messages", "{}");

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":"
                        + "\"Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.\"}}");
    }

    @Test
    void withoutKeysLoopbackClientsAreServedWhateverKeyTheySend() throws Exception {
        // given
        startGateway(Map.of());

        // when
        HttpResponse<String> response = post("v1/chat/completions", CHAT, "Authorization", "Bearer anything");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    }

    @Test
    void keysAddedToTheEnvFileApplyToTheNextRequestWithoutARestart() throws Exception {
        // given
        startGateway(Map.of());
        Path env = dir.resolve(".env");
        Files.writeString(env, "GATEWAY_API_KEYS=fresh-key\n");
        Files.setLastModifiedTime(env, FileTime.from(Instant.now().plusSeconds(5)));

        // when
        HttpResponse<String> without = post("v1/chat/completions", CHAT);
        HttpResponse<String> with = post("v1/chat/completions", CHAT, "x-api-key", "fresh-key");

        // then
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
    }

    @Test
    void keysMayBeGivenAsSha256HashesWithNames() throws Exception {
        // given the hash of "team-secret" under the name "data-team"
        String hash = java.util.HexFormat.of().formatHex(io.llmgateway.config.InboundKey.sha256("team-secret"));
        startGateway(Map.of("GATEWAY_API_KEYS", "data-team=sha256:" + hash + ",plain-key"));

        // when
        HttpResponse<String> hashed = post("v1/chat/completions", CHAT, "x-api-key", "team-secret");
        HttpResponse<String> plain = post("v1/chat/completions", CHAT, "Authorization", "Bearer plain-key");
        HttpResponse<String> hashItself = post("v1/chat/completions", CHAT, "x-api-key", hash);

        // then
        assertThat(hashed.statusCode()).isEqualTo(200);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(hashItself.statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyOverItsConcurrencyLimitGets429WithRetryAfterAndThePermitComesBackAfterwards() throws Exception {
        // given an upstream that holds the first answer until released
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            arrived.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            json(200, COMPLETION).write(exchange, request);
        });
        startGateway(Map.of("GATEWAY_API_KEYS", "ci=ci-key", "GATEWAY_KEY_LIMITS", "ci=1/0"));
        var first = http.sendAsync(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                .header("x-api-key", "ci-key").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                HttpResponse.BodyHandlers.ofString());
        arrived.await(10, java.util.concurrent.TimeUnit.SECONDS);

        // when
        HttpResponse<String> openAi = post("v1/chat/completions", CHAT, "x-api-key", "ci-key");
        HttpResponse<String> anthropic = post("v1/messages", "{}", "x-api-key", "ci-key");
        release.countDown();
        first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        upstream.onChat(json(200, COMPLETION));
        HttpResponse<String> after = post("v1/chat/completions", CHAT, "x-api-key", "ci-key");

        // then
        assertThat(openAi.statusCode()).isEqualTo(429);
        assertThat(openAi.headers().firstValue("retry-after")).hasValue("1");
        assertThat(openAi.body()).contains("\"type\":\"rate_limit_error\"").contains("concurrent");
        assertThat(anthropic.statusCode()).isEqualTo(429);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyOverItsRequestsPerMinuteGets429() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_KEY_LIMITS", "*=0/2"));

        // when
        int first = post("v1/chat/completions", CHAT).statusCode();
        int second = post("v1/chat/completions", CHAT).statusCode();
        HttpResponse<String> third = post("v1/chat/completions", CHAT);

        // then
        assertThat(first).isEqualTo(200);
        assertThat(second).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void bodiesOverTheSizeLimitAre413InTheCallersDialectWhetherDeclaredOrChunked() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_MAX_BODY_BYTES", "1000"));
        String big = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2000) + "\"}]}";

        // when
        HttpResponse<String> declared = post("v1/chat/completions", big);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("GATEWAY_MAX_BODY_BYTES").contains("\"error\":{");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"type\":\"request_too_large\"");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void aDeeplyNestedBodyIsA400NotAStackOverflow() throws Exception {
        // given
        startGateway(Map.of());
        String nested = "{\"messages\":[" + "[".repeat(50_000) + "]".repeat(50_000) + "]}";

        // when
        HttpResponse<String> openAi = post("v1/chat/completions", nested);
        HttpResponse<String> anthropic = post("v1/messages", nested);

        // then
        assertThat(openAi.statusCode()).isEqualTo(400);
        assertThat(openAi.body()).contains("nesting depth");
        assertThat(anthropic.statusCode()).isEqualTo(400);
        assertThat(anthropic.body()).contains("invalid_request_error");
    }

    @Test
    void corsIsClosedByDefaultAndOpenOnlyToListedOrigins() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_CORS_ORIGINS", "https://chat.example"));
        HttpRequest.Builder preflight = HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST");

        // when
        HttpResponse<String> listed = http.send(preflight.copy().header("Origin", "https://chat.example").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(preflight.copy().header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> actual = post("v1/chat/completions", CHAT, "Origin", "https://chat.example");
        HttpResponse<String> actualOther = post("v1/chat/completions", CHAT, "Origin", "https://evil.example");

        // then
        assertThat(listed.statusCode()).isEqualTo(204);
        assertThat(listed.headers().firstValue("access-control-allow-origin")).hasValue("https://chat.example");
        assertThat(listed.headers().firstValue("access-control-allow-headers").orElseThrow()).contains("x-api-key");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(actual.headers().firstValue("access-control-allow-origin")).hasValue("https://chat.example");
        assertThat(actualOther.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void onlyLoopbackAddressesCountAsLocal() {
        // then
        assertThat(EdgeFilter.isLoopback("127.0.0.1")).isTrue();
        assertThat(EdgeFilter.isLoopback("127.8.9.10")).isTrue();
        assertThat(EdgeFilter.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(EdgeFilter.isLoopback("10.1.2.3")).isFalse();
        assertThat(EdgeFilter.isLoopback("192.168.0.7")).isFalse();
        assertThat(EdgeFilter.isLoopback(null)).isFalse();
    }

    @Test
    void malformedJsonIsA400InTheOpenAiEnvelope() throws Exception {
        // given
        startGateway(Map.of());

        // when
        HttpResponse<String> response = post("v1/chat/completions", "{\"model\": \"x\", \"messages\": [");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":{\"message\":\"The request body is not valid JSON")
                .contains("\"type\":\"invalid_request_error\"").doesNotContain("at io.llmgateway");
    }

    @Test
    void missingMessagesAndWrongTypesAre400sNamingTheParameter() throws Exception {
        // given
        startGateway(Map.of());

        // when
        HttpResponse<String> missing = post("v1/chat/completions", "{\"model\":\"test-model\"}");
        HttpResponse<String> wrongType = post("v1/chat/completions", "{\"messages\":\"hello\"}");
        HttpResponse<String> badStream = post("v1/chat/completions", "{\"messages\":[],\"stream\":\"yes\"}");
        HttpResponse<String> notObject = post("v1/chat/completions", "[1,2]");
        HttpResponse<String> empty = post("v1/chat/completions", "");

        // then
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("Missing required parameter: 'messages'").contains("\"param\":\"messages\"");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(badStream.statusCode()).isEqualTo(400);
        assertThat(badStream.body()).contains("\"param\":\"stream\"");
        assertThat(notObject.statusCode()).isEqualTo(400);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void unknownModelIsA404ListingModelsWhenFallbackIsOff() throws Exception {
        // given
        upstream.onModels(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\"},{\"id\":\"big-model\"}]}"));
        startGateway(Map.of("LLM_MODELS_API_URL", upstream.uri("/v1/models").toString(), "LLM_MODEL_FALLBACK", "false"));

        // when
        HttpResponse<String> response = post("v1/chat/completions",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"model_not_found\"").contains("test-model, big-model");
    }

    @Test
    void aliasesAndAMissingModelResolveBeforeTheUpstreamSeesTheRequest() throws Exception {
        // given
        startGateway(Map.of("GATEWAY_MODEL_ALIASES", "claude-*=aliased-model"));

        // when
        post("v1/chat/completions", "{\"model\":\"claude-sonnet-4-5-20250929\",\"messages\":[]}");
        post("v1/chat/completions", "{\"messages\":[]}");

        // then
        assertThat(upstream.received("/chat/completions")).extracting(r -> r.json().path("model").asText())
                .containsExactly("aliased-model", "test-model");
    }

    @Test
    void aRequestTheGatewayNeedNotChangeReachesTheUpstreamByteForByteStreamedOrNot() throws Exception {
        // given a client whose JSON a parse-and-serialise round trip would reformat
        upstream.onChat((exchange, request) -> (request.body().contains("\"stream\" : true")
                ? ScriptedUpstream.sse(List.of("data: [DONE]\n\n")) : json(200, COMPLETION)).write(exchange, request));
        startGateway(Map.of("GATEWAY_MODEL_ALIASES", "claude-*=aliased-model"));
        String exact = "{ \"model\" : \"test-model\",\n  \"temperature\": 1.0E0, \"seed\": 12345678901234567890123,"
                + " \"messages\": [{\"role\":\"user\",\"content\":\"caf\\u00e9\"}] }";
        String streamed = exact.replace("\"seed\"", "\"stream\" : true, \"seed\"");

        // when
        post("v1/chat/completions", exact);
        post("v1/chat/completions", streamed);
        post("v1/chat/completions", exact.replace("test-model", "claude-haiku"));

        // then the first two arrive as sent; the aliased one is rewritten, its other values kept
        assertThat(upstream.received("/chat/completions")).extracting(ScriptedUpstream.Received::body)
                .hasSize(3).startsWith(exact, streamed);
        ScriptedUpstream.Received aliased = upstream.received("/chat/completions").get(2);
        assertThat(aliased.json().path("model").asText()).isEqualTo("aliased-model");
        assertThat(aliased.json().path("messages").get(0).path("content").asText()).isEqualTo("café");
    }

    @Test
    void aKeyGivenTwiceInOneObjectIsA400InEitherDialectAndNothingReachesTheUpstream() throws Exception {
        // given
        startGateway(Map.of());
        String twice = "{\"model\":\"unchecked-model\",\"model\":\"test-model\",\"max_tokens\":9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        // when
        HttpResponse<String> openAi = post("v1/chat/completions", twice);
        HttpResponse<String> anthropic = post("v1/messages", twice);

        // then
        assertThat(openAi.statusCode()).isEqualTo(400);
        assertThat(openAi.body()).startsWith("{\"error\":{\"message\":\"The request body has the key 'model' twice");
        assertThat(anthropic.statusCode()).isEqualTo(400);
        assertThat(anthropic.body()).contains("invalid_request_error", "the key 'model' twice");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void unknownEndpointAndWrongMethodAreErrorsInTheEnvelope() throws Exception {
        // given
        startGateway(Map.of());

        // when
        HttpResponse<String> unknown = post("v1/completely/unknown", "{}");
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(gateway.uri("v1/chat/completions")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).contains("\"error\"");
    }

    @Test
    void wrongMethodsOnTheAnthropicEndpointsAre405sInTheAnthropicEnvelopeNamingTheAllowedMethod() throws Exception {
        // given
        startGateway(Map.of());

        // when
        HttpResponse<String> messages = http.send(HttpRequest.newBuilder(gateway.uri("v1/messages")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> countTokens = http.send(HttpRequest.newBuilder(gateway.uri("v1/messages/count_tokens"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        // then
        for (HttpResponse<String> response : List.of(messages, countTokens)) {
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).hasValue("POST");
            assertThat(response.headers().firstValue("request-id")).isPresent();
            assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"")
                    .contains("Method " + response.request().method() + " is not allowed on /v1/messages");
        }
    }

    @Test
    void eachRequestGetsOneAccessLogLineOnceItsResponseIsOverStreamsAndRefusalsIncluded() throws Exception {
        // given
        upstream.onChat((exchange, request) -> (request.body().contains("\"stream\":true")
                ? ScriptedUpstream.sse(List.of("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n",
                        "data: [DONE]\n\n"))
                : json(200, COMPLETION)).write(exchange, request));
        startGateway(Map.of("GATEWAY_API_KEYS", "ci=ci-key"));
        LogCapture capture = LogCapture.on(Logger.getLogger("io.llmgateway.access"), LogRecord::getMessage);
        List<String> lines = capture.lines();
        try {
            // when
            post("v1/chat/completions", CHAT, "x-api-key", "ci-key");
            post("v1/messages", "{\"model\":\"test-model\",\"max_tokens\":9,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "x-api-key", "ci-key");
            http.send(HttpRequest.newBuilder(gateway.uri("v1/models")).header("x-api-key", "ci-key").build(),
                    HttpResponse.BodyHandlers.ofString());
            post("v1/chat/completions", CHAT);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lines.size() < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        } finally {
            capture.close();
        }

        // then
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("id=req_[0-9a-f]{16} POST /v1/chat/completions "
                + "status=200 model=test-model stream=false latency_ms=\\d+ upstream_ms=\\d+ key=ci"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("id=req_[0-9a-f]{16} POST /v1/messages "
                + "status=200 model=test-model stream=true latency_ms=\\d+ upstream_ms=\\d+ key=ci"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("id=req_[0-9a-f]{16} GET /v1/models "
                + "status=200 model=- stream=false latency_ms=\\d+ upstream_ms=- key=ci"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("id=req_[0-9a-f]{16} POST /v1/chat/completions "
                + "status=401 model=- stream=false latency_ms=\\d+ upstream_ms=-"));
    }
}
