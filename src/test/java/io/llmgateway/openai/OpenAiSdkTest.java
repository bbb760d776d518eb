package io.llmgateway.openai;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static io.llmgateway.testing.ScriptedUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.llmgateway.testing.DroppingUpstream;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK against the real WAR, with a scripted upstream observing what arrives. */
class OpenAiSdkTest {
    @TempDir
    Path dir;

    private ScriptedUpstream upstream;
    private GatewayServer gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream();
        Map<String, String> config = upstream.gatewayConfig(dir.resolve(".env").toString());
        config.put("OAUTH_REFRESH_TOKEN", "seed-refresh");
        config.put("LLM_MODELS_API_URL", upstream.uri("/v1/models").toString());
        upstream.onModels(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\",\"object\":\"model\","
                + "\"created\":1,\"owned_by\":\"acme\"},{\"id\":\"other-model\",\"object\":\"model\",\"created\":2,"
                + "\"owned_by\":\"acme\"}]}"));
        gateway = GatewayServer.start(config);
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("v1").toString()).apiKey("client-key")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        upstream.close();
    }

    @Test
    void modelsListComesFromTheUpstreamCatalog() {
        // when
        List<Model> models = client.models().list().data();

        // then
        assertThat(models).extracting(Model::id).containsExactly("test-model", "other-model");
        assertThat(upstream.received("/v1/models").get(0).headers().get("authorization")).isEqualTo("Bearer at-1");
    }

    @Test
    void oneModelIsRetrievedByIdAndTheCatalogIsCachedUntilARefreshIsAsked() throws Exception {
        // given the catalog was read once, then the upstream's catalog changes
        client.models().list();
        upstream.onModels(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"oca/new-model\"}]}"));

        // when
        Model cached = client.models().retrieve("other-model");
        HttpResponse<String> refreshed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/models?refresh=true")).build(), HttpResponse.BodyHandlers.ofString());
        // servlet containers reject an encoded slash (%2F) by default, so such ids are sent with a plain slash
        HttpResponse<String> slashed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/models/oca/new-model")).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(cached.ownedBy()).isEqualTo("acme");
        assertThat(refreshed.body()).contains("\"id\":\"oca/new-model\"").doesNotContain("other-model");
        assertThat(slashed.body()).startsWith("{\"id\":\"oca/new-model\",\"object\":\"model\"");
        assertThat(upstream.received("/v1/models")).hasSize(2);
    }

    @Test
    void chatCompletionIsRelayedWithTheOAuthTokenAndNeverTheClientKey() {
        // given
        upstream.onChat(json(200, completion("Hello from upstream")));

        // when
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test-model").addUserMessage("Hi").build());

        // then
        assertThat(completion.choices().get(0).message().content()).hasValue("Hello from upstream");
        ScriptedUpstream.Received sent = upstream.lastChat();
        assertThat(sent.headers().get("authorization")).isEqualTo("Bearer at-1");
        assertThat(sent.body()).doesNotContain("client-key");
        assertThat(sent.json().path("messages").get(0).path("content").asText()).isEqualTo("Hi");
    }

    @Test
    void unknownRequestFieldsReachTheUpstreamUntouched() {
        // given
        upstream.onChat(json(200, completion("ok")));

        // when
        client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test-model").addUserMessage("Hi")
                .putAdditionalBodyProperty("x_vendor_option", JsonValue.from(Map.of("depth", 3, "mode", "exact")))
                .putAdditionalBodyProperty("top_k", JsonValue.from(0.125))
                .build());

        // then
        assertThat(upstream.lastChat().json().path("x_vendor_option").toString())
                .isIn("{\"depth\":3,\"mode\":\"exact\"}", "{\"mode\":\"exact\",\"depth\":3}");
        assertThat(upstream.lastChat().body()).contains("\"top_k\":0.125");
    }

    @Test
    void streamingChunksReachTheClientBeforeTheUpstreamHasFinished() throws Exception {
        // given the upstream waits after its first chunk until the client has seen it
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        List<Boolean> upstreamWaitedForClient = new ArrayList<>();
        upstream.onChat(sse(List.of(chunk("Hel"), chunk("lo"), "data: [DONE]\n\n"), frame -> {
            if (frame == 0) {
                try {
                    upstreamWaitedForClient.add(clientSawFirst.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));

        // when
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test-model").addUserMessage("Hi").build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            pieces.add(chunks.next().choices().get(0).delta().content().orElse(""));
            clientSawFirst.countDown();
            chunks.forEachRemaining(c -> pieces.add(c.choices().get(0).delta().content().orElse("")));
        }

        // then
        assertThat(upstreamWaitedForClient).containsExactly(true);
        assertThat(pieces).containsExactly("Hel", "lo");
    }

    @Test
    void streamingToolCallsAreReassembledByTheSdk() {
        // given
        upstream.onChat(sse(List.of(
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
                toolArgs("{\\\"city\\\":"), toolArgs("\\\"Paris\\\"}"),
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: [DONE]\n\n")));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test-model").addUserMessage("Weather?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        // then
        ChatCompletion completion = accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertThat(call.id()).isEqualTo("call_1");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    }

    @Test
    void includeUsageDeliversTheUsageChunkAndTheRequestAsksForIt() {
        // given
        upstream.onChat(sse(List.of(chunk("Hi"),
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\n",
                "data: [DONE]\n\n")));

        // when
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test-model").addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        // then
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().totalTokens()).isEqualTo(9);
        assertThat(upstream.lastChat().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void upstreamRateLimitReachesTheSdkAsRateLimitExceptionWithRetryAfter() {
        // given
        upstream.onChat(json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}", Map.of("Retry-After", "7")));

        // when / then
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test-model").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.getMessage()).contains("slow down");
                    assertThat(e.headers().values("retry-after")).containsExactly("7");
                });
    }

    @Test
    void upstreamServerErrorReachesTheSdkAsInternalServerException() {
        // given
        upstream.onChat(json(500, "upstream exploded"));

        // when / then
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test-model").addUserMessage("Hi").build()))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("upstream exploded");
    }

    @Test
    void unknownModelIdIsNotFound() {
        // when / then
        assertThatThrownBy(() -> client.models().retrieve("no-such-model"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-model");
    }

    @Test
    void anUpstreamBreakingMidStreamEndsTheStreamWithAnInStreamError() throws Exception {
        // given an upstream that sends one chunk and then drops the connection without ending the body
        try (DroppingUpstream dropping = new DroppingUpstream(chunk("partial"))) {
            Map<String, String> config = upstream.gatewayConfig(dir.resolve("drop.env").toString());
            config.put("OAUTH_REFRESH_TOKEN", "seed-refresh");
            config.put("LLM_API_URL", dropping.chatUrl());

            // when
            HttpResponse<String> response;
            try (GatewayServer dropGateway = GatewayServer.start(config)) {
                response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        dropGateway.uri("v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"test-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }

            // then the status was already committed, so the failure travels in the stream
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith(chunk("partial"))
                    .contains("data: {\"error\":{\"message\":\"The upstream connection failed mid-stream");
        }
    }

    @Test
    void aClientDisconnectMidStreamClosesTheUpstreamConnection() throws Exception {
        // given an upstream that keeps streaming until its writes fail
        CountDownLatch upstreamSawClose = endlessStreamUntilClosed();

        // when the client reads one chunk and hangs up
        readOneChunkAndHangUp();

        // then
        assertThat(upstreamSawClose.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClientDisconnectClosesTheUpstreamConnectionEvenWhenItWasReusedFromThePool() throws Exception {
        // given a pooled upstream connection left by a finished stream, then an endless one on it
        upstream.onChat(sse(List.of(chunk("done"), "data: [DONE]\n\n"), frame -> { }));
        try (StreamResponse<ChatCompletionChunk> finished = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test-model").addUserMessage("Hi").build())) {
            finished.stream().forEach(chunk -> { });
        }
        CountDownLatch upstreamSawClose = endlessStreamUntilClosed();

        // when
        readOneChunkAndHangUp();

        // then the connection is closed, not drained in the background until the model finishes
        assertThat(upstreamSawClose.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private CountDownLatch endlessStreamUntilClosed() {
        CountDownLatch closed = new CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 5_000; i++) {
                    exchange.getResponseBody().write(chunk("tick").getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                closed.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return closed;
    }

    private void readOneChunkAndHangUp() {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test-model").addUserMessage("Hi").build())) {
            stream.stream().iterator().next();
        }
    }

    @Test
    void anInterruptedToolCallIsHealedBeforeTheUpstreamSeesIt() throws Exception {
        // given a history where the user interrupted a tool call, and the client's own unknown fields
        upstream.onChat(json(200, completion("ok").replace("\"usage\"", "\"x_upstream_extra\":{\"kept\":true},\"usage\"")));
        String body = "{\"model\":\"test-model\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"user\",\"content\":\"Never mind\"}]}";

        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(upstream.lastChat().json().path("messages").get(1).toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"Let me look.\"}");
        assertThat(response.body()).contains("\"x_upstream_extra\":{\"kept\":true}");
    }

    static String completion(String text) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
    }

    static String chunk(String text) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static String toolArgs(String fragment) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                + fragment + "\"}}]},\"finish_reason\":null}]}\n\n";
    }
}
