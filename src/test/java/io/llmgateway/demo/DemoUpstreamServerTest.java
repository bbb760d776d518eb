package io.llmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoUpstreamServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheSimulatorsTokenModelsAndChatRoutesOnLoopback() throws Exception {
        // given
        try (DemoUpstreamServer demo = DemoUpstreamServer.start(
                new DemoSettings(Duration.ofHours(1), Duration.ZERO, Clock.systemUTC()))) {

            // when
            JsonNode token = Json.MAPPER.readTree(post(demo, "oauth2/v1/token", "application/x-www-form-urlencoded",
                    "grant_type=refresh_token&refresh_token=any", null).body());
            String bearer = token.get("access_token").asText();
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(demo.base().resolve("v1/models"))
                    .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> stream = post(demo, "v1/chat/completions", "application/json",
                    "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", bearer);
            HttpResponse<String> anonymous = post(demo, "v1/chat/completions", "application/json", "{}", null);

            // then
            assertThat(demo.base().toString()).matches("http://127\\.0\\.0\\.1:\\d+/demo/");
            assertThat(token.get("refresh_token").asText()).startsWith("demo-rt-");
            assertThat(Json.MAPPER.readTree(models.body()).findValuesAsText("id")).containsExactlyElementsOf(DemoChat.MODELS);
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(stream.body()).contains("\"object\":\"chat.completion.chunk\"").endsWith("data: [DONE]\n\n");
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void runsOnDaemonThreadsSoItNeverKeepsAJvmAlive() {
        // given
        try (DemoUpstreamServer demo = DemoUpstreamServer.start(DemoSettings.defaults())) {

            // when
            var dispatchers = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("HTTP-Dispatcher")).toList();

            // then
            assertThat(demo.base()).isNotNull();
            assertThat(dispatchers).isNotEmpty().allMatch(Thread::isDaemon);
        }
    }

    private HttpResponse<String> post(DemoUpstreamServer demo, String path, String type, String body, String bearer)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(demo.base().resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
