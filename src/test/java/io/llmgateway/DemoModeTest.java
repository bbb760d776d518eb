package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import io.llmgateway.testing.AnthropicStreamGrammar;
import io.llmgateway.testing.GatewayServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no upstream configured, the whole real path runs against the built-in simulator, and says so. */
class DemoModeTest {
    @TempDir
    Path dir;

    private GatewayServer gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        gateway = GatewayServer.start(Map.of("GATEWAY_ENV_FILE", dir.resolve(".env").toString()));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("v1").toString()).apiKey("none").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void chatAnswersAreSimulatedAndLabelledAsSuch() throws Exception {
        // when
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo-model").addUserMessage("Hello demo").build());
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("v1/models"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("health"))
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(completion.choices().get(0).message().content().orElseThrow())
                .contains("Simulated").contains("Hello demo");
        assertThat(raw.headers().firstValue("x-gateway-mode")).hasValue("demo");
        assertThat(raw.body()).contains("demo-model");
        assertThat(health.body()).contains("\"mode\":\"demo\"").contains("SIMULATED");
    }

    @Test
    void streamingToolCallsWorkThroughTheTokenManagerAndClient() {
        // given
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("demo-model")
                .addUserMessage("What is the weather in Paris?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build()).build()).build())
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        // then
        var call = accumulator.chatCompletion().choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).contains("\"city\"");
    }

    @Test
    void claudeModelNamesStreamFromTheDemoOutOfTheBox() throws Exception {
        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello demo\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        AnthropicStreamGrammar.check(response.body());
        assertThat(response.body()).contains("Simulated");
    }

    @Test
    void rootAnswersGetAndHead() throws Exception {
        // when
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.base()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.base())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        // then
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(head.statusCode()).isEqualTo(200);
    }
}
