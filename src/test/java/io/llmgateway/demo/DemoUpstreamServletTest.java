package io.llmgateway.demo;

import io.llmgateway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoUpstreamServletTest {

    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN_FORM = "grant_type=refresh_token&client_id=gateway&refresh_token=seed";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private Server server;
    private URI base;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void issuesATokenAndRotatesTheRefreshToken() throws Exception {
        // given
        start(new ServletHolder(new DemoUpstreamServlet(new DemoSettings(LIFETIME, Duration.ZERO, clock))));

        // when
        HttpResponse<String> first = postForm(TOKEN_FORM);
        HttpResponse<String> second = postForm(TOKEN_FORM);

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode token = json(first.body());
        assertThat(token.get("access_token").asText()).startsWith("demo-at-");
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isEqualTo(LIFETIME.toSeconds());
        assertThat(token.get("refresh_token").asText()).startsWith("demo-rt-")
                .isNotEqualTo(json(second.body()).get("refresh_token").asText());
        assertThat(token.get("scope").asText()).isEqualTo("demo");
    }

    @Test
    void rejectsAnUnsupportedGrantType() throws Exception {
        // given
        startDefault();

        // when
        HttpResponse<String> response = postForm("grant_type=password&username=a&password=b");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(json(response.body()).get("error_description").asText()).isNotBlank();
    }

    @Test
    void rejectsATokenRequestWithoutRefreshToken() throws Exception {
        // given
        startDefault();

        // when
        HttpResponse<String> response = postForm("grant_type=refresh_token&client_id=gateway&refresh_token=");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void rejectsAChatWithoutBearerToken() throws Exception {
        // given
        startDefault();

        // when
        HttpResponse<String> response = postChat(null, chatBody(false));

        // then
        assertAuthenticationError(response);
    }

    @Test
    void rejectsAChatWithATokenItNeverIssued() throws Exception {
        // given
        startDefault();

        // when
        HttpResponse<String> response = postChat("demo-at-forged", chatBody(false));

        // then
        assertAuthenticationError(response);
    }

    @Test
    void rejectsAChatWithAnExpiredToken() throws Exception {
        // given
        startDefault();
        String token = accessToken();
        clock.advance(LIFETIME);

        // when
        HttpResponse<String> response = postChat(token, chatBody(false));

        // then
        assertAuthenticationError(response);
    }

    @Test
    void listsTheDemoModels() throws Exception {
        // given
        startDefault();
        String token = accessToken();

        // when
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("v1/models"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = json(response.body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).extracting(model -> model.get("id").asText())
                .containsExactly("demo-model", "demo-model-mini");
        assertThat(list.get("data").get(0)).isEqualTo(json("""
                {"id":"demo-model","object":"model","created":1735689600,"owned_by":"llm-gateway-demo"}"""));
    }

    @Test
    void answersANonStreamingChat() throws Exception {
        // given
        startDefault();
        String token = accessToken();

        // when
        HttpResponse<String> response = postChat(token, chatBody(false));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode completion = json(response.body());
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-demo-");
        assertThat(completion.get("created").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(completion.get("model").asText()).isEqualTo("demo-model-mini");
        assertThat(completion.get("choices").get(0).get("message").get("content").asText())
                .startsWith(DemoChat.LABEL).contains("You said: «Hi there»");
        assertThat(completion.get("usage").get("total_tokens").asInt()).isPositive();
    }

    @Test
    void rejectsAChatBodyThatIsNotJson() throws Exception {
        // given
        startDefault();
        String token = accessToken();

        // when
        HttpResponse<String> response = postChat(token, "{not json");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void rejectsAChatWithoutMessages() throws Exception {
        // given
        startDefault();
        String token = accessToken();

        // when
        HttpResponse<String> response = postChat(token, "{\"model\":\"demo-model\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body())).isEqualTo(json("""
                {"error":{"message":"'messages' must be a non-empty array.","type":"invalid_request_error",
                          "param":"messages","code":null}}"""));
    }

    @Test
    void streamsAChatEventByEventEndingWithUsageAndDone() throws Exception {
        // given
        startDefault();
        String token = accessToken();
        ObjectNode body = chatBody(true);
        body.putObject("stream_options").put("include_usage", true);

        // when
        HttpResponse<Stream<String>> response = HTTP.send(chatRequest(token, body.toString()),
                HttpResponse.BodyHandlers.ofLines());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = dataOf(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = chunksOf(data);
        assertThat(chunks.get(0).get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(chunks.size() - 3);
        String text = chunks.stream()
                .map(chunk -> chunk.path("choices").path(0).path("delta").path("content").asText())
                .collect(Collectors.joining());
        assertThat(text).startsWith(DemoChat.LABEL).contains("You said: «Hi there»");
    }

    @Test
    void streamsAToolCall() throws Exception {
        // given
        startDefault();
        String token = accessToken();
        ObjectNode body = chatBody(true);
        body.set("tools", json("""
                [{"type":"function","function":{"name":"lookup","parameters":{"type":"object",
                  "properties":{"query":{"type":"string"}},"required":["query"]}}}]"""));

        // when
        HttpResponse<Stream<String>> response = HTTP.send(chatRequest(token, body.toString()),
                HttpResponse.BodyHandlers.ofLines());

        // then
        List<String> data = dataOf(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = chunksOf(data);
        List<JsonNode> calls = chunks.stream()
                .map(chunk -> chunk.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(call -> !call.isMissingNode())
                .toList();
        assertThat(calls.get(0).get("function").get("name").asText()).isEqualTo("lookup");
        assertThat(calls.get(0).get("id").asText()).startsWith("call_demo_");
        String arguments = calls.stream()
                .map(call -> call.get("function").get("arguments").asText())
                .collect(Collectors.joining());
        assertThat(json(arguments)).isEqualTo(json("{\"query\":\"demo\"}"));
        assertThat(chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("tool_calls");
    }

    @Test
    void answersUnknownRoutesWithJson404() throws Exception {
        // given
        startDefault();

        // when
        HttpResponse<String> unknownPath = HTTP.send(HttpRequest.newBuilder(base.resolve("v1/nothing")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(base.resolve("oauth2/v1/token"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(json(unknownPath.body()).get("error").get("message").asText()).contains("/demo/v1/nothing");
        assertThat(wrongMethod.statusCode()).isEqualTo(404);
        assertThat(json(wrongMethod.body()).get("error").get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void takesItsSettingsFromInitParametersWhenBuiltWithoutSettings() throws Exception {
        // given
        ServletHolder holder = new ServletHolder(DemoUpstreamServlet.class);
        holder.setInitParameter(DemoSettings.EVENT_DELAY_PARAM, "0");
        holder.setInitParameter(DemoSettings.TOKEN_LIFETIME_PARAM, "42");
        start(holder);

        // when
        HttpResponse<String> response = postForm(TOKEN_FORM);

        // then
        assertThat(json(response.body()).get("expires_in").asLong()).isEqualTo(42);
    }

    @Test
    void stopsWritingEventsOnceTheClientIsGone() {
        // given
        ObjectNode chunk = JsonNodeFactory.instance.objectNode().put("object", "chat.completion.chunk");
        List<ObjectNode> chunks = IntStream.range(0, 5).mapToObj(i -> chunk).toList();
        FailingOnSecondFlush out = new FailingOnSecondFlush();

        // when / then
        assertThatThrownBy(() -> DemoUpstreamServlet.writeEvents(chunks, out, Duration.ZERO))
                .isInstanceOf(IOException.class);
        assertThat(out.flushes).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("data: {\"object\":\"chat.completion.chunk\"}\n\n".repeat(2));
    }

    /** Behaves like a servlet stream whose client disconnected after the first event. */
    private static final class FailingOnSecondFlush extends ByteArrayOutputStream {
        private int flushes;

        @Override
        public void flush() throws IOException {
            if (++flushes == 2) {
                throw new IOException("broken pipe");
            }
        }
    }

    private void startDefault() throws Exception {
        start(new ServletHolder(new DemoUpstreamServlet(new DemoSettings(LIFETIME, Duration.ZERO, clock))));
    }

    private void start(ServletHolder holder) throws Exception {
        server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(holder, "/demo/*");
        server.setHandler(context);
        server.start();
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        base = URI.create("http://127.0.0.1:" + port + "/demo/");
    }

    private String accessToken() throws Exception {
        return json(postForm(TOKEN_FORM).body()).get("access_token").asText();
    }

    private HttpResponse<String> postForm(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("oauth2/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postChat(String token, Object body) throws Exception {
        return HTTP.send(chatRequest(token, body.toString()), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest chatRequest(String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static ObjectNode chatBody(boolean stream) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "demo-model-mini").put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", "Hi there");
        return body;
    }

    /** Reads the body line by line, checks each event is one {@code data:} line and a blank line, returns the data. */
    private static List<String> dataOf(Stream<String> body) {
        List<String> lines;
        try (body) {
            lines = body.toList();
        }
        assertThat(lines).hasSizeGreaterThan(2).hasSize(lines.size() / 2 * 2);
        for (int i = 0; i < lines.size(); i += 2) {
            assertThat(lines.get(i)).startsWith("data: ");
            assertThat(lines.get(i + 1)).isEmpty();
        }
        return IntStream.range(0, lines.size() / 2).mapToObj(i -> lines.get(2 * i).substring("data: ".length()))
                .toList();
    }

    private static List<JsonNode> chunksOf(List<String> data) throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (String each : data.subList(0, data.size() - 1)) {
            chunks.add(json(each));
        }
        return chunks;
    }

    private static void assertAuthenticationError(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
