package io.llmgateway.anthropic;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static io.llmgateway.testing.ScriptedUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.ContentTooLargeException;
import com.anthropic.errors.GatewayTimeoutException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.testing.AnthropicStreamGrammar;
import io.llmgateway.testing.DroppingUpstream;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.ScriptedUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official anthropic-java SDK against the real WAR, with a scripted OpenAI-shaped upstream. */
class AnthropicSdkTest {
    private static final String MODEL = "claude-sonnet-4-5-20250929";

    @TempDir
    Path dir;

    private ScriptedUpstream upstream;
    private GatewayServer gateway;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream();
        Map<String, String> config = upstream.gatewayConfig(dir.resolve(".env").toString());
        config.put("OAUTH_REFRESH_TOKEN", "rt");
        config.put("GATEWAY_MODEL_ALIASES", "claude-*=test-model");
        gateway = GatewayServer.start(config);
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.base().toString().replaceAll("/$", ""))
                .apiKey("client-key").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        upstream.close();
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder().model(MODEL).maxTokens(1024);
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build())
                .build();
    }

    static String completion(String content, String finish, String toolCalls) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + (content == null ? "null" : "\"" + content + "\"")
                + (toolCalls == null ? "" : ",\"tool_calls\":" + toolCalls) + "},\"finish_reason\":\"" + finish + "\"}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}";
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    static final String USAGE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"test-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
            + "\"total_tokens\":18,\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n";

    @Test
    void createTranslatesBothWaysWithSystemPromptAndStopSequences() {
        // given
        upstream.onChat(json(200, completion("Bonjour", "stop", null)));

        // when
        Message message = client.messages().create(params().system("Answer in French.")
                .stopSequences(List.of("END")).putAdditionalBodyProperty("temperature", JsonValue.from(0.3))
                .addUserMessage("Hello").build());

        // then the SDK sees an Anthropic message
        assertThat(message.id()).startsWith("msg_");
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("Bonjour"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(11);
        assertThat(message.usage().outputTokens()).isEqualTo(7);
        assertThat(message.model().asString()).isEqualTo(MODEL);
        // and the upstream an OpenAI request
        JsonNode sent = upstream.lastChat().json();
        assertThat(sent.path("model").asText()).isEqualTo("test-model");
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).toString()).contains("Answer in French.");
        assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(sent.path("stop").toString()).isEqualTo("[\"END\"]");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(upstream.lastChat().headers()).doesNotContainKeys("anthropic-version", "anthropic-beta", "x-api-key");
    }

    @Test
    void maxTokensStopIsReported() {
        // given
        upstream.onChat(json(200, completion("Once upon", "length", null)));

        // when
        Message message = client.messages().create(params().addUserMessage("Tell a story").build());

        // then
        assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
    }

    @Test
    void toolUseRoundTripWithoutStreaming() {
        // given
        AtomicInteger turn = new AtomicInteger();
        upstream.onChat((exchange, request) -> (turn.incrementAndGet() == 1
                ? json(200, completion(null, "tool_calls", "[{\"id\":\"call_7\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]"))
                : json(200, completion("It is sunny in Paris.", "stop", null))).write(exchange, request));
        MessageCreateParams first = params().addTool(weatherTool()).addUserMessage("Weather in Paris?").build();

        // when
        Message toolUse = client.messages().create(first);
        ContentBlock call = toolUse.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
        Message answer = client.messages().create(first.toBuilder().addMessage(toolUse)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(call.asToolUse().id()).content("22°C, sunny").build())))
                .build());

        // then
        assertThat(toolUse.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(call.asToolUse().name()).isEqualTo("get_weather");
        assertThat(call.asToolUse().id()).isEqualTo("call_7");
        assertThat(call.asToolUse()._input().toString()).contains("Paris");
        assertThat(answer.content().get(0).asText().text()).isEqualTo("It is sunny in Paris.");
        JsonNode secondRequest = upstream.lastChat().json().path("messages");
        assertThat(secondRequest.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_7");
        assertThat(secondRequest.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(secondRequest.get(2).path("tool_call_id").asText()).isEqualTo("call_7");
        assertThat(secondRequest.get(2).toString()).contains("22°C, sunny");
        assertThat(upstream.lastChat().json().path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
    }

    @Test
    void streamingTextIsAccumulatedBySdkAndFollowsTheGrammar() throws Exception {
        // given
        upstream.onChat(sse(List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hel\"}", null), chunk("{\"content\":\"lo\"}", null),
                chunk("{}", "stop"), USAGE, "data: [DONE]\n\n")));

        // when
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                params().addUserMessage("Hi").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        String raw = rawStream("{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        // then
        Message message = accumulator.message();
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("Hello"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(7);
        AnthropicStreamGrammar.check(raw);
        assertThat(upstream.lastChat().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamingParallelToolCallsBecomeSeparateBlocksAndRoundTrip() throws Exception {
        // given two interleaved tool calls
        List<String> frames = List.of(
                chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}},{\"index\":1,\"id\":\"call_b\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}", null),
                chunk("{}", "tool_calls"), USAGE, "data: [DONE]\n\n");
        upstream.onChat(sse(frames));

        // when
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                params().addTool(weatherTool()).addUserMessage("Weather in Oslo and Rome?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        String raw = rawStream("{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"stream\":true,\"tools\":[{\"name\":"
                + "\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        // then
        List<ContentBlock> blocks = accumulator.message().content();
        assertThat(blocks).hasSize(2).allSatisfy(b -> assertThat(b.isToolUse()).isTrue());
        assertThat(blocks.get(0).asToolUse().id()).isEqualTo("call_a");
        assertThat(blocks.get(0).asToolUse()._input().toString()).contains("Oslo");
        assertThat(blocks.get(1).asToolUse().id()).isEqualTo("call_b");
        assertThat(blocks.get(1).asToolUse()._input().toString()).contains("Rome");
        assertThat(accumulator.message().stopReason()).contains(StopReason.TOOL_USE);
        AnthropicStreamGrammar.check(raw);
    }

    @Test
    void imagesBecomeImageUrlParts() {
        // given
        upstream.onChat(json(200, completion("A red dot", "stop", null)));

        // when
        client.messages().create(params().addUserMessageOfContentBlockParams(List.of(
                ContentBlockParam.ofImage(Base64ImageSource.builder().data("iVBORw0KGgo=")
                        .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).build()),
                ContentBlockParam.ofText("What is this?"))).build());

        // then
        JsonNode parts = upstream.lastChat().json().path("messages").get(0).path("content");
        assertThat(parts.get(0).path("type").asText()).isEqualTo("image_url");
        assertThat(parts.get(0).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(parts.get(1).path("text").asText()).isEqualTo("What is this?");
    }

    @Test
    void countTokensAnswersWithARealCountAndNeverCallsTheUpstream() {
        // when
        long small = client.messages().countTokens(MessageCountTokensParams.builder().model(MODEL)
                .addUserMessage("Hello").build()).inputTokens();
        long large = client.messages().countTokens(MessageCountTokensParams.builder().model(MODEL)
                .addUserMessage("Hello ".repeat(500)).build()).inputTokens();

        // then
        assertThat(small).isPositive();
        assertThat(large).isGreaterThan(small + 400);
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void missingMaxTokensIsAnInvalidRequestError() throws Exception {
        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/messages?beta=true")).header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"")
                .contains("max_tokens");
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void everyUpstreamErrorStatusReachesTheSdkWithAnthropicsErrorType() {
        // given
        Map<Integer, Class<? extends AnthropicServiceException>> expected = Map.of(
                400, BadRequestException.class, 401, UnauthorizedException.class,
                403, PermissionDeniedException.class, 404, NotFoundException.class,
                413, ContentTooLargeException.class, 429, RateLimitException.class,
                500, InternalServerException.class, 504, GatewayTimeoutException.class,
                529, OverloadedException.class);
        Map<Integer, String> types = Map.of(400, "invalid_request_error", 401, "authentication_error",
                403, "permission_error", 404, "not_found_error", 413, "request_too_large",
                429, "rate_limit_error", 500, "api_error", 504, "timeout_error", 529, "overloaded_error");

        expected.forEach((status, type) -> {
            upstream.onChat(json(status, "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"x\"}}",
                    Map.of("Retry-After", "3")));

            // when / then
            assertThatThrownBy(() -> client.messages().create(params().addUserMessage("Hi").build()))
                    .isInstanceOfSatisfying(type, e -> {
                        assertThat(e.statusCode()).isEqualTo(status);
                        assertThat(e.type()).hasValueSatisfying(t -> assertThat(t.asString()).isEqualTo(types.get(status)));
                        assertThat(e.getMessage()).contains("scripted " + status);
                        assertThat(e.requestId()).isPresent();
                        assertThat(e.headers().values("retry-after")).containsExactly("3");
                        assertThat(e.headers().values("x-should-retry"))
                                .containsExactly(String.valueOf(status == 429 || status >= 500));
                    });
        });
    }

    @Test
    void modelsAreListedInAnthropicsShapeWhenTheClientSpeaksAnthropic() throws Exception {
        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/models?limit=1000")).header("anthropic-version", "2023-06-01").build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.body()).contains("\"type\":\"model\"").contains("\"id\":\"test-model\"")
                .contains("\"display_name\"").contains("\"has_more\":false").contains("\"first_id\":\"test-model\"");
    }

    @Test
    void toolUseRoundTripWhileStreaming() {
        // given a first turn that calls a tool and a second that answers with its result
        AtomicInteger turn = new AtomicInteger();
        upstream.onChat((exchange, request) -> (turn.incrementAndGet() == 1
                ? sse(List.of(chunk("{\"role\":\"assistant\",\"content\":\"Checking.\"}", null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":"
                                + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Lima\\\"}\"}}]}", "tool_calls"),
                        USAGE, "data: [DONE]\n\n"))
                : sse(List.of(chunk("{\"content\":\"Lima: 18°C.\"}", null), chunk("{}", "stop"), USAGE,
                        "data: [DONE]\n\n"))).write(exchange, request));
        MessageCreateParams first = params().addTool(weatherTool()).addUserMessage("Weather in Lima?").build();

        // when
        MessageAccumulator one = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first)) {
            stream.stream().forEach(one::accumulate);
        }
        Message toolUse = one.message();
        MessageAccumulator two = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first.toBuilder()
                .addMessage(toolUse).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId("call_9").content("18°C").build()))).build())) {
            stream.stream().forEach(two::accumulate);
        }

        // then
        assertThat(toolUse.content()).hasSize(2);
        assertThat(toolUse.content().get(0).asText().text()).isEqualTo("Checking.");
        assertThat(toolUse.content().get(1).asToolUse()._input().toString()).contains("Lima");
        assertThat(two.message().content().get(0).asText().text()).isEqualTo("Lima: 18°C.");
        JsonNode history = upstream.lastChat().json().path("messages");
        assertThat(history.get(1).path("content").asText()).isEqualTo("Checking.");
        assertThat(history.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
                .contains("Lima");
        assertThat(history.get(2).path("tool_call_id").asText()).isEqualTo("call_9");
    }

    @Test
    void anUpstreamDropAfterTheFirstByteBecomesAnErrorEventAfterTheStatusWasCommitted() throws Exception {
        // given
        try (DroppingUpstream dropping = new DroppingUpstream(chunk("{\"content\":\"Hal\"}", null))) {
            Map<String, String> config = upstream.gatewayConfig(dir.resolve("drop.env").toString());
            config.put("OAUTH_REFRESH_TOKEN", "rt");
            config.put("LLM_API_URL", dropping.chatUrl());
            HttpResponse<String> response;
            try (GatewayServer dropGateway = GatewayServer.start(config)) {

                // when
                response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(dropGateway.uri("v1/messages"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"test-model\",\"max_tokens\":50,"
                                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(response.body());
            assertThat(frames.get(frames.size() - 1).event()).isEqualTo("error");
            assertThat(frames.get(frames.size() - 1).data().path("error").path("type").asText()).isEqualTo("api_error");
            assertThat(response.body()).contains("\"text\":\"Hal\"");
        }
    }

    @Test
    void pingsKeepASilentStreamAliveAtTheConfiguredInterval() throws Exception {
        // given an upstream that is silent for a second before it answers, and pings every 0.2 s
        upstream.onChat(sse(List.of(chunk("{\"role\":\"assistant\"}", null), chunk("{\"content\":\"late\"}", "stop"),
                USAGE, "data: [DONE]\n\n"), frame -> {
                    if (frame == 0) {
                        try {
                            Thread.sleep(1_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
        Map<String, String> config = upstream.gatewayConfig(dir.resolve("ping.env").toString());
        config.put("OAUTH_REFRESH_TOKEN", "rt");
        config.put("GATEWAY_PING_SECONDS", "0.2");
        String body;
        try (GatewayServer pinging = GatewayServer.start(config)) {

            // when
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(pinging.uri("v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"test-model\",\"max_tokens\":50,"
                            + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        // then: the ping right after message_start, and more during the silence
        List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(body);
        assertThat(frames.get(1).event()).isEqualTo("ping");
        assertThat(frames.stream().filter(f -> f.event().equals("ping")).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aClaudeCodeShapedSessionRoundTripsCleanly() throws Exception {
        // given Claude Code's request (billing header, 25 tools with long MCP names, thinking, cache_control,
        // a mid-conversation system entry, an interrupted tool call), and an upstream calling a shortened tool
        String fixture = new String(getClass().getResourceAsStream("/anthropic/request-claude-code.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String longName = "mcp__claude_in_chrome_extension_server__read_accessibility_tree_of_the_current_tab";
        String shortName = ToolNames.shorten(longName);
        upstream.onChat(sse(List.of(chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Let me look.\"}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_cc\",\"type\":\"function\",\"function\":{\"name\":\""
                        + shortName + "\",\"arguments\":\"{}\"}}]}", "tool_calls"), USAGE, "data: [DONE]\n\n")));

        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("v1/messages?beta=true")).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
                .header("x-api-key", "sk-ant-client").header("x-claude-code-session-id", "s-1")
                .POST(HttpRequest.BodyPublishers.ofString(fixture)).build(), HttpResponse.BodyHandlers.ofString());

        // then the client gets a well-formed stream naming its own tool
        assertThat(response.statusCode()).isEqualTo(200);
        List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(response.body());
        assertThat(frames).anySatisfy(f -> assertThat(f.data().path("content_block").path("name").asText())
                .isEqualTo(longName));
        // and the upstream a clean OpenAI request
        ScriptedUpstream.Received sent = upstream.lastChat();
        assertThat(sent.body()).doesNotContain("cache_control", "x-anthropic-billing-header", "web_search_20250305",
                "context_management", "output_config");
        assertThat(sent.json().path("tools")).allSatisfy(tool ->
                assertThat(tool.path("function").path("name").asText().length()).isLessThanOrEqualTo(64));
        assertThat(sent.json().path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(sent.headers()).doesNotContainKeys("anthropic-version", "anthropic-beta", "x-api-key",
                "x-claude-code-session-id");
    }

    @Test
    void headRequestsClaudeCodeSendsFirstAnswer200() throws Exception {
        // when
        HttpResponse<Void> root = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.base())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> hello = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("api/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        // then
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(hello.statusCode()).isEqualTo(200);
    }

    private String rawStream(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
