package io.llmgateway.web;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static io.llmgateway.testing.ScriptedUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.testing.Browser;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.ScriptedUpstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The chat page in front of a configured ("live") upstream, scripted on loopback so the test sees what the page's
 * requests became upstream: the configured defaults, the system prompt as a real system message, the
 * temperature, the title request, and the upstream's errors shown where the answer would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatPageLiveUpstreamTest {
    private static final String MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\",\"object\":\"model\"},"
            + "{\"id\":\"other-model\",\"object\":\"model\"}]}";

    private ScriptedUpstream upstream;
    private GatewayServer gateway;
    private Browser browser;
    private ChatPage page;
    private volatile ScriptedUpstream.Answer titleAnswer;
    /** Chat requests the upstream had received before the current test. */
    private int earlierChats;

    @BeforeAll
    void start(@TempDir Path dir) {
        upstream = new ScriptedUpstream().onModels(json(200, MODELS));
        Map<String, String> config = new HashMap<>(upstream.gatewayConfig(dir.resolve(".env").toString()));
        config.put("LLM_API_KEY", "upstream-static-key");
        config.put("LLM_MODELS_API_URL", upstream.uri("/v1/models").toString());
        config.put("LLM_TEMPERATURE", "0.35");
        config.put("LLM_SYSTEM_PROMPT", "You answer in haiku.");
        gateway = GatewayServer.start(config);
        browser = Browser.start();
        page = new ChatPage(browser, gateway.base());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void freshPage() {
        answerStreamsWith(sse(chunks("Hello", " from", " upstream")));
        titleAnswer = json(200, completion("Greetings in haiku"));
        page.open();
        page.forgetStoredData();
        page.reload();
        earlierChats = upstream.received("/chat/completions").size();
    }

    @Test
    void theConfiguredDefaultsReachTheUpstreamWithTheSystemPromptAsASystemMessage() {
        // given
        browser.waitUntil("the live mode", d -> "Live".equals(browser.find("#mode-pill").getText()));
        browser.find("#toggle-settings").click();
        assertThat(browser.find("#system-prompt").getAttribute("value")).isEqualTo("You answer in haiku.");
        assertThat(browser.find("#temperature-value").getText()).isEqualTo("0.35");
        assertThat(page.modelPicker().getOptions()).extracting(WebElement::getText)
                .containsExactly("test-model", "other-model");
        assertThat(page.modelPicker().getFirstSelectedOption().getText()).isEqualTo("test-model");
        assertThat(browser.find("#demo-banner").isDisplayed()).isFalse();

        // when
        page.ask("Hi there");

        // then
        assertThat(page.lastAnswerText()).isEqualTo("Hello from upstream");
        JsonNode sent = streamedRequests().get(0);
        assertThat(sent.path("model").asText()).isEqualTo("test-model");
        assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"You answer in haiku.\"},{\"role\":\"user\",\"content\":\"Hi there\"}]");
        browser.waitUntil("the title the model wrote", d -> page.conversationTitles().equals(List.of("Greetings in haiku")));
        JsonNode titleRequest = titleRequests().get(0);
        assertThat(titleRequest.path("messages").get(0).path("content").asText()).contains("short title for the conversation");
        assertThat(titleRequest.path("messages").get(1).path("content").asText())
                .isEqualTo("User: Hi there\n\nAssistant: Hello from upstream");

        // when
        browser.find("#system-prompt").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        browser.find("#temperature").sendKeys(Keys.HOME);
        page.modelPicker().selectByValue("other-model");
        page.ask("Again");

        // then
        JsonNode again = streamedRequests().get(1);
        assertThat(again.path("model").asText()).isEqualTo("other-model");
        assertThat(again.path("temperature").decimalValue()).isEqualByComparingTo("0");
        assertThat(again.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Hi there\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello from upstream\"},{\"role\":\"user\",\"content\":\"Again\"}]");
        browser.screenshot("live-upstream");
    }

    @Test
    void whenTheModelGivesNoTitleTheFirstWordsStay() {
        // given
        titleAnswer = json(500, "{\"error\":{\"message\":\"no titles today\",\"type\":\"server_error\"}}");

        // when
        page.ask("Tell me about the northern lights tonight please");

        // then
        browser.waitUntil("the title request", d -> titleRequests().size() == 1);
        browser.waitUntil("the first words as title", d -> page.conversationTitles()
                .equals(List.of("Tell me about the northern lights")));
        assertThat(browser.find("#chat-title").getText()).isEqualTo("Tell me about the northern lights");
    }

    @Test
    void upstreamErrorsAreShownInlineWithTheGatewaysMessage() {
        // given
        answerStreamsWith(json(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));

        // when
        WebElement failed = page.ask("A very long question");

        // then
        assertThat(failed.getAttribute("data-state")).isEqualTo("error");
        assertThat(failed.findElement(By.cssSelector(".error")).getText())
                .isEqualTo("This model's maximum context length is 8192 tokens. (HTTP 400)");
        browser.screenshot("error-inline");

        // given
        answerStreamsWith(sse(List.of(chunk("{\"content\":\"Partial answer\"}", "null"),
                "data: {\"error\":{\"message\":\"The upstream is overloaded.\",\"type\":\"server_error\"}}\n\n")));

        // when
        failed.findElement(By.cssSelector(".regenerate")).click();

        // then
        browser.waitUntil("the retry to fail mid-stream", d -> "error".equals(page.lastAnswerState()));
        assertThat(page.answers()).hasSize(1);
        assertThat(page.lastAnswerText()).isEqualTo("Partial answer");
        assertThat(page.lastAnswer().findElement(By.cssSelector(".error")).getText())
                .isEqualTo("The upstream is overloaded.");
    }

    private void answerStreamsWith(ScriptedUpstream.Answer answer) {
        upstream.onChat((exchange, request) -> {
            if (request.json().path("stream").asBoolean()) {
                answer.write(exchange, request);
            } else {
                titleAnswer.write(exchange, request);
            }
        });
    }

    /** The answers the page asked for in this test, in order. */
    private List<JsonNode> streamedRequests() {
        return chatRequests().stream().filter(body -> body.path("stream").asBoolean()).toList();
    }

    /** The titles the page asked for in this test, in order. */
    private List<JsonNode> titleRequests() {
        return chatRequests().stream().filter(body -> !body.path("stream").asBoolean()).toList();
    }

    private List<JsonNode> chatRequests() {
        List<ScriptedUpstream.Received> all = upstream.received("/chat/completions");
        return all.subList(earlierChats, all.size()).stream().map(ScriptedUpstream.Received::json).toList();
    }

    /** An OpenAI stream of these text pieces, ending with a stop chunk and [DONE]. */
    private static List<String> chunks(String... pieces) {
        List<String> frames = new ArrayList<>();
        for (String piece : pieces) {
            frames.add(chunk("{\"content\":\"" + piece + "\"}", "null"));
        }
        frames.add(chunk("{}", "\"stop\""));
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    private static String completion(String text) {
        return "{\"id\":\"t1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}]}";
    }
}
