package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.llmgateway.testing.GatewayServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's own Anthropic and OpenAI models, unchanged, against the WAR in demo mode: chat, streaming, tools. */
class LangChain4jClientsTest {
    @TempDir
    Path dir;

    private GatewayServer gateway;

    @BeforeEach
    void start() {
        gateway = GatewayServer.start(Map.of("GATEWAY_ENV_FILE", dir.resolve(".env").toString()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static ToolSpecification weather() {
        return ToolSpecification.builder().name("get_weather").description("Weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    }

    @Test
    void anthropicChatModelChatsAndCallsTools() {
        // given
        AnthropicChatModel model = AnthropicChatModel.builder().baseUrl(gateway.uri("v1/").toString()).apiKey("x")
                .modelName("claude-sonnet-4-5").maxTokens(256).build();

        // when
        String answer = model.chat("Hello from LangChain4j");
        ChatResponse toolCall = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
                .toolSpecifications(weather()).build());

        // then
        assertThat(answer).contains("Simulated").contains("Hello from LangChain4j");
        List<ToolExecutionRequest> calls = toolCall.aiMessage().toolExecutionRequests();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).contains("\"city\"");
        });
    }

    @Test
    void anthropicStreamingChatModelStreamsPartialResponsesInOrder() throws Exception {
        // given
        AnthropicStreamingChatModel model = AnthropicStreamingChatModel.builder()
                .baseUrl(gateway.uri("v1/").toString()).apiKey("x").modelName("claude-sonnet-4-5").maxTokens(256).build();
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        model.chat("Stream please", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(30, TimeUnit.SECONDS);

        // then
        assertThat(partials).hasSizeGreaterThan(5);
        assertThat(String.join("", partials)).isEqualTo(response.aiMessage().text());
        assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void openAiChatModelChatsThroughTheOpenAiDialect() {
        // given
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(gateway.uri("v1").toString()).apiKey("x")
                .modelName("demo-model").build();

        // when
        String answer = model.chat("Hello OpenAI dialect");

        // then
        assertThat(answer).contains("Simulated").contains("Hello OpenAI dialect");
    }

    @Test
    void openAiChatModelRunsAToolRoundTrip() {
        // given
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(gateway.uri("v1").toString()).apiKey("x")
                .modelName("demo-model").build();
        UserMessage question = UserMessage.from("Weather in Oslo?");

        // when
        ChatResponse call = model.chat(ChatRequest.builder().messages(question).toolSpecifications(weather()).build());
        ToolExecutionRequest request = call.aiMessage().toolExecutionRequests().get(0);
        ChatResponse answer = model.chat(ChatRequest.builder()
                .messages(question, call.aiMessage(), ToolExecutionResultMessage.from(request, "sunny, 21 degrees"))
                .toolSpecifications(weather()).build());

        // then
        assertThat(call.metadata().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(request.name()).isEqualTo("get_weather");
        assertThat(request.arguments()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(answer.aiMessage().text()).contains("sunny, 21 degrees");
        assertThat(answer.aiMessage().toolExecutionRequests()).isEmpty();
    }

    @Test
    void openAiStreamingChatModelStreamsTextInOrder() throws Exception {
        // given
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(gateway.uri("v1").toString())
                .apiKey("x").modelName("demo-model").build();
        Streamed streamed = new Streamed();

        // when
        model.chat("Stream through the OpenAI dialect", streamed);
        ChatResponse response = streamed.done.get(30, TimeUnit.SECONDS);

        // then
        assertThat(streamed.partials).hasSizeGreaterThan(5);
        assertThat(String.join("", streamed.partials)).isEqualTo(response.aiMessage().text())
                .contains("Stream through the OpenAI dialect");
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(streamed.partials.size());
    }

    @Test
    void openAiStreamingChatModelStreamsToolCalls() throws Exception {
        // given
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(gateway.uri("v1").toString())
                .apiKey("x").modelName("demo-model").build();

        // when
        Streamed streamed = streamToolCall(model);

        // then
        assertToolCallStreamed(streamed);
    }

    @Test
    void anthropicStreamingChatModelStreamsToolCalls() throws Exception {
        // given
        AnthropicStreamingChatModel model = AnthropicStreamingChatModel.builder()
                .baseUrl(gateway.uri("v1/").toString()).apiKey("x").modelName("claude-sonnet-4-5").maxTokens(256).build();

        // when
        Streamed streamed = streamToolCall(model);

        // then
        assertToolCallStreamed(streamed);
    }

    private static Streamed streamToolCall(StreamingChatModel model) {
        Streamed streamed = new Streamed();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?")).toolSpecifications(weather())
                .build(), streamed);
        return streamed;
    }

    private static void assertToolCallStreamed(Streamed streamed) throws Exception {
        ChatResponse response = streamed.done.get(30, TimeUnit.SECONDS);
        ToolExecutionRequest request = response.aiMessage().toolExecutionRequests().get(0);
        assertThat(request.name()).isEqualTo("get_weather");
        assertThat(request.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        assertThat(streamed.partialCalls).isNotEmpty()
                .allSatisfy(call -> assertThat(call.name()).isEqualTo("get_weather"));
        assertThat(String.join("", streamed.partialCalls.stream().map(PartialToolCall::partialArguments).toList()))
                .isEqualTo(request.arguments());
        assertThat(streamed.completeCalls).singleElement()
                .satisfies(call -> assertThat(call.toolExecutionRequest()).isEqualTo(request));
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    /** A handler that records partial text and tool calls and completes a future. */
    private static final class Streamed implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final List<PartialToolCall> partialCalls = new CopyOnWriteArrayList<>();
        final List<CompleteToolCall> completeCalls = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            partials.add(partial);
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            partialCalls.add(call);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            completeCalls.add(call);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }
}
