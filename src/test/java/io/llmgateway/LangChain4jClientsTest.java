package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
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

/** LangChain4j's own Anthropic and OpenAI models, unchanged, against the WAR in demo mode. */
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
}
