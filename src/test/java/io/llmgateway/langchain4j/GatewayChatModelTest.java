package io.llmgateway.langchain4j;

import static io.llmgateway.langchain4j.ScriptedConnection.completion;
import static io.llmgateway.testing.ScriptedUpstream.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.llmgateway.config.Json;
import io.llmgateway.testing.ScriptedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link GatewayChatModel} against a scripted upstream on loopback: what it sends, and what it makes of answers. */
class GatewayChatModelTest {
    @TempDir
    Path dir;

    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private GatewayUpstream connection;

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        upstream.close();
    }

    private GatewayChatModel model(Map<String, String> config) {
        connection = ScriptedConnection.to(upstream, dir.resolve(".env"), config);
        return GatewayChatModel.builder().upstream(connection).build();
    }

    private static ToolSpecification weather() {
        return ToolSpecification.builder().name("get_weather").description("Weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    }

    @Test
    void sendsTheConversationAndParametersUpstreamAndMapsTheAnswer() {
        // given
        upstream.onChat(json(200, completion("Bonjour", "stop")));
        GatewayChatModel model = model(Map.of());

        // when
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief"), UserMessage.from("Hi"), AiMessage.from("Hello!"),
                        UserMessage.from("Say hello in French"))
                .parameters(ChatRequestParameters.builder().temperature(0.2).topP(0.9).maxOutputTokens(50)
                        .stopSequences("END").frequencyPenalty(0.1).presencePenalty(0.3).build())
                .build());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("Bonjour");
        assertThat(response.aiMessage().toolExecutionRequests()).isEmpty();
        assertThat(response.metadata().id()).isEqualTo("chatcmpl-1");
        assertThat(response.metadata().modelName()).isEqualTo("test-model");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.metadata().tokenUsage().inputTokenCount()).isEqualTo(11);
        assertThat(response.metadata().tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(response.metadata().tokenUsage().totalTokenCount()).isEqualTo(18);
        ScriptedUpstream.Received sent = upstream.lastChat();
        assertThat(sent.headers().get("authorization")).isEqualTo("Bearer at-1");
        assertThat(sent.json()).isEqualTo(tree("""
                {"model":"test-model","messages":[{"role":"system","content":"Be brief"},
                  {"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                  {"role":"user","content":"Say hello in French"}],
                 "temperature":0.2,"top_p":0.9,"frequency_penalty":0.1,"presence_penalty":0.3,"max_tokens":50,
                 "stop":["END"]}"""));
        assertThat(upstream.received("/oauth2/v1/token")).singleElement()
                .satisfies(token -> assertThat(token.form()).containsEntry("refresh_token", "rt-seed"));
    }

    @Test
    void usesTheConfiguredTemperatureAndTheModelsOwnDefaultsUnlessTheRequestSaysOtherwise() {
        // given
        upstream.onChat(json(200, completion("ok", "stop")));
        connection = ScriptedConnection.to(upstream, dir.resolve(".env"), Map.of("LLM_TEMPERATURE", "0.3"));
        GatewayChatModel model = GatewayChatModel.builder().upstream(connection).maxOutputTokens(64)
                .modelName("other-model").build();

        // when
        model.chat("one");
        JsonNode defaults = upstream.lastChat().json();
        model.chat(ChatRequest.builder().messages(UserMessage.from("two"))
                .parameters(ChatRequestParameters.builder().temperature(1.0).build()).build());
        JsonNode overridden = upstream.lastChat().json();

        // then
        assertThat(model.defaultRequestParameters().modelName()).isEqualTo("other-model");
        assertThat(defaults.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(defaults.get("max_tokens").asInt()).isEqualTo(64);
        assertThat(defaults.get("model").asText()).isEqualTo("other-model");
        assertThat(overridden.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(overridden.get("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void runsAToolCallRoundTrip() {
        // given
        upstream.onChat((exchange, request) -> json(200, request.body().contains("\"role\":\"tool\"")
                ? completion("It is sunny in Oslo", "stop")
                : """
                {"id":"chatcmpl-t","object":"chat.completion","created":1,"model":"test-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                   "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}
                """).write(exchange, request));
        GatewayChatModel model = model(Map.of());
        UserMessage question = UserMessage.from("Weather in Oslo?");

        // when
        ChatResponse call = model.chat(ChatRequest.builder().messages(question)
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather())
                        .toolChoice(ToolChoice.REQUIRED).build()).build());
        JsonNode firstRequest = upstream.lastChat().json();
        ToolExecutionRequest request = call.aiMessage().toolExecutionRequests().get(0);
        ChatResponse answer = model.chat(ChatRequest.builder()
                .messages(question, call.aiMessage(), ToolExecutionResultMessage.from(request, "sunny, 21 °C"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).build()).build());
        JsonNode secondRequest = upstream.lastChat().json();

        // then
        assertThat(call.metadata().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(call.aiMessage().text()).isNull();
        assertThat(request).isEqualTo(ToolExecutionRequest.builder().id("call_1").name("get_weather")
                .arguments("{\"city\":\"Oslo\"}").build());
        assertThat(firstRequest.get("tools")).isEqualTo(tree("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
        assertThat(firstRequest.get("tool_choice").asText()).isEqualTo("required");
        assertThat(secondRequest.get("messages")).isEqualTo(tree("""
                [{"role":"user","content":"Weather in Oslo?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny, 21 °C"}]"""));
        assertThat(answer.aiMessage().text()).isEqualTo("It is sunny in Oslo");
    }

    @Test
    void imagesReachTheUpstreamAsImageUrlPartsWithTheirDetail() {
        // given
        upstream.onChat(json(200, completion("two images", "stop")));
        GatewayChatModel model = model(Map.of());

        // when
        model.chat(UserMessage.from(TextContent.from("What is this?"),
                ImageContent.from("https://example.com/cat.png", ImageContent.DetailLevel.HIGH),
                ImageContent.from("aGVsbG8=", "image/jpeg")));

        // then
        assertThat(upstream.lastChat().json().get("messages").get(0)).isEqualTo(tree("""
                {"role":"user","content":[{"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,aGVsbG8=","detail":"low"}}]}"""));
    }

    @Test
    void asksForJsonObjectsOrForASchemaAsTheResponseFormatSays() {
        // given
        upstream.onChat(json(200, completion("{}", "stop")));
        GatewayChatModel model = model(Map.of());
        JsonSchema schema = JsonSchema.builder().name("Answer")
                .rootElement(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("json"))
                .parameters(ChatRequestParameters.builder().responseFormat(ResponseFormat.JSON).build()).build());
        JsonNode jsonMode = upstream.lastChat().json().get("response_format");
        model.chat(ChatRequest.builder().messages(UserMessage.from("schema"))
                .parameters(ChatRequestParameters.builder().responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON).jsonSchema(schema).build()).build()).build());
        JsonNode schemaMode = upstream.lastChat().json().get("response_format");

        // then
        assertThat(jsonMode).isEqualTo(tree("{\"type\":\"json_object\"}"));
        assertThat(schemaMode).isEqualTo(tree("""
                {"type":"json_schema","json_schema":{"name":"Answer","schema":{"type":"object",
                  "properties":{"city":{"type":"string"}},"required":["city"]}}}"""));
    }

    @Test
    void tellsListenersAboutTheRequestTheResponseAndErrorsWithTheEffectiveParameters() {
        // given
        List<String> events = new CopyOnWriteArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request " + context.chatRequest().parameters().modelName());
                context.attributes().put("started", "yes");
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response " + context.chatResponse().aiMessage().text() + " " + context.attributes());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error " + context.error().getClass().getSimpleName() + " " + context.attributes());
            }
        };
        connection = ScriptedConnection.to(upstream, dir.resolve(".env"), Map.of());
        GatewayChatModel model = GatewayChatModel.builder().upstream(connection).listeners(listener).build();
        upstream.onChat(json(200, completion("fine", "stop")));
        model.chat("first");
        upstream.onChat(json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));

        // when
        assertThatThrownBy(() -> model.chat("second")).isInstanceOf(RateLimitException.class);

        // then
        assertThat(events).containsExactly("request test-model", "response fine {started=yes}",
                "request test-model", "error RateLimitException {started=yes}");
    }

    static Stream<Arguments> errorStatuses() {
        return Stream.of(
                Arguments.of(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}",
                        InvalidRequestException.class),
                Arguments.of(400, "{\"error\":{\"message\":\"blocked\",\"code\":\"content_filter\"}}",
                        ContentFilteredException.class),
                Arguments.of(403, "{\"error\":{\"message\":\"no access\"}}", AuthenticationException.class),
                Arguments.of(404, "{\"error\":{\"message\":\"no such model\"}}", ModelNotFoundException.class),
                Arguments.of(422, "not json at all", InvalidRequestException.class),
                Arguments.of(429, "{\"error\":{\"message\":\"slow down\"}}", RateLimitException.class),
                Arguments.of(500, "{\"error\":{\"message\":\"boom\"}}", InternalServerException.class),
                Arguments.of(503, "overloaded", InternalServerException.class),
                Arguments.of(504, "gateway timeout", TimeoutException.class));
    }

    @ParameterizedTest
    @MethodSource("errorStatuses")
    void mapsUpstreamErrorStatusesToLangChain4jExceptions(int status, String body,
            Class<? extends LangChain4jException> expected) {
        // given
        upstream.onChat(json(status, body, Map.of("Retry-After", "7")));
        GatewayChatModel model = model(Map.of());

        // when / then
        assertThatThrownBy(() -> model.chat("Hi"))
                .isExactlyInstanceOf(expected)
                .hasMessageContaining("HTTP " + status)
                .cause().isInstanceOfSatisfying(HttpException.class, http -> {
                    assertThat(http.statusCode()).isEqualTo(status);
                    assertThat(http.getMessage()).isEqualTo(body);
                });
    }

    @Test
    void anUpstream401RefreshesTheTokenOnceAndThenIsAnAuthenticationError() {
        // given
        upstream.onChat(json(401, "{\"error\":{\"message\":\"token rejected\"}}"));
        GatewayChatModel model = model(Map.of());

        // when / then
        assertThatThrownBy(() -> model.chat("Hi")).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("token rejected");
        assertThat(upstream.tokenCalls()).isEqualTo(2);
        assertThat(upstream.received("/chat/completions")).extracting(r -> r.headers().get("authorization"))
                .containsExactly("Bearer at-1", "Bearer at-2");
    }

    @Test
    void aDeadRefreshTokenIsAnAuthenticationErrorThatSaysWhatToReseed() {
        // given
        upstream.onToken(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}"));
        GatewayChatModel model = model(Map.of());

        // when / then
        assertThatThrownBy(() -> model.chat("Hi")).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid_grant").hasMessageContaining("OAUTH_REFRESH_TOKEN")
                .hasMessageNotContaining("rt-seed");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void anUpstreamSilentPastTheRequestTimeoutIsATimeout() throws Exception {
        // given an upstream that holds the answer back until the test ends
        CountDownLatch release = new CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GatewayChatModel model = model(Map.of("LLM_REQUEST_TIMEOUT", "0.3"));

        // when / then
        try {
            assertThatThrownBy(() -> model.chat("Hi")).isExactlyInstanceOf(TimeoutException.class)
                    .hasMessageContaining("LLM_REQUEST_TIMEOUT");
        } finally {
            release.countDown();
        }
        assertThat(upstream.received("/chat/completions")).hasSize(1); // a prompt is never sent twice
    }

    @Test
    void anUnknownModelIsModelNotFoundBeforeAnythingIsSent() throws Exception {
        // given a catalog that lists one model, and fallback off
        upstream.onModels(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\"}]}"));
        GatewayChatModel model = GatewayChatModel.builder()
                .upstream(connection = ScriptedConnection.to(upstream, dir.resolve(".env"), Map.of(
                        "LLM_MODELS_API_URL", upstream.uri("/v1/models").toString(), "LLM_MODEL_FALLBACK", "false")))
                .modelName("gpt-nonexistent").build();

        // when / then
        assertThatThrownBy(() -> model.chat("Hi")).isExactlyInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("gpt-nonexistent").hasMessageContaining("test-model");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void rejectsTopKWhichOpenAiCompatibleUpstreamsDoNotTake() {
        // given
        GatewayChatModel model = model(Map.of());

        // when / then
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(ChatRequestParameters.builder().topK(5).build()).build()))
                .isExactlyInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("topK");
        assertThat(upstream.received("/chat/completions")).isEmpty();
    }

    @Test
    void modelsOnOneUpstreamShareOneTokenAndRotatedRefreshTokensAreSavedToTheEnvFile() throws Exception {
        // given an authorization server that rotates the refresh token
        upstream.onToken(json(200, "{\"access_token\":\"at-rotated\",\"expires_in\":3600,\"refresh_token\":\"rt-next\"}"));
        upstream.onChat(json(200, completion("ok", "stop")));
        Path envFile = dir.resolve(".env");
        Files.writeString(envFile, "# my settings\nOAUTH_REFRESH_TOKEN='rt-file'\n");
        connection = ScriptedConnection.to(upstream, envFile, Map.of());
        GatewayChatModel first = GatewayChatModel.builder().upstream(connection).build();
        GatewayStreamingChatModel second = GatewayStreamingChatModel.builder().upstream(connection).build();

        // when
        first.chat("one");
        first.chat("two");

        // then
        assertThat(second.defaultRequestParameters().modelName()).isEqualTo("test-model");
        assertThat(upstream.tokenCalls()).isEqualTo(1);
        assertThat(upstream.received("/oauth2/v1/token").get(0).form()).containsEntry("refresh_token", "rt-file");
        assertThat(Files.readString(envFile)).contains("# my settings").contains("OAUTH_REFRESH_TOKEN='rt-next'")
                .doesNotContain("rt-file");
        assertThat(connection.toString()).doesNotContain("rt-next").doesNotContain("at-rotated");
    }

    private static JsonNode tree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
