package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.ConversationHealer;
import io.llmgateway.upstream.ConversationHealer.HealResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request shaped like Claude Code 2.1's (REFERENCE "What Claude Code 2.1 sends"), translated as a whole. */
class AnthropicRequestClaudeCodeFixtureTest {
    private static final String MODEL = "gpt-5";
    private static final String LONG_MCP_NAME =
            "mcp__plugin_enterprise-tools_github-enterprise__search_repositories_by_topic_and_language";

    @Test
    void translationIsAChatRequestTheOpenAiSdkAccepts() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        ChatCompletionCreateParams.Body body = ObjectMappers.jsonMapper()
                .readValue(openAi.toString(), ChatCompletionCreateParams.Body.class);
        assertThat(body.isValid()).isTrue();
        assertThat(body.model().asString()).isEqualTo(MODEL);
    }

    @Test
    void topLevelFieldsAreTheOpenAiOnesOnly() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        List<String> names = new ArrayList<>();
        openAi.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("model", "messages", "max_tokens", "stream", "stream_options", "tools",
                "tool_choice", "reasoning_effort", "user");
        assertThat(openAi.get("max_tokens").asInt()).isEqualTo(32000);
        assertThat(openAi.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(openAi.get("reasoning_effort").asText()).isEqualTo("high");
        assertThat(openAi.get("stream").asBoolean()).isTrue();
        assertThat(openAi.get("stream_options")).isEqualTo(Json.MAPPER.readTree("{\"include_usage\":true}"));
        assertThat(openAi.get("user").asText()).isEqualTo(request.at("/metadata/user_id").asText()).startsWith("{\"device_id\"");
    }

    @Test
    void systemComesFirstWithoutTheBillingHeader() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ArrayNode messages = (ArrayNode) translate(request).openAiRequest().get("messages");

        // then
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText())
                .startsWith("You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are an interactive CLI tool")
                .endsWith("Platform: linux\n</env>");
        assertThat(messages.toString()).doesNotContain("x-anthropic-billing-header");
    }

    @Test
    void conversationKeepsItsOrderWithToolResultsRightAfterTheirCalls() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ArrayNode messages = (ArrayNode) translate(request).openAiRequest().get("messages");

        // then
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "tool", "user",
                "assistant", "tool", "user", "system", "assistant", "user");
        assertThat(messages.at("/2/tool_calls").findValuesAsText("id")).containsExactly("toolu_01A", "toolu_01B");
        assertThat(messages.at("/3/tool_call_id").asText()).isEqualTo("toolu_01A");
        assertThat(messages.at("/3/content").asText()).startsWith("Error: [ERROR] Tests run: 3, Failures: 1");
        assertThat(messages.at("/4/tool_call_id").asText()).isEqualTo("toolu_01B");
        assertThat(messages.at("/4/content").asText()).isEqualTo("acme/oauth-gateway (42 stars)\n\nacme/token-broker (7 stars)");
        assertThat(messages.at("/5/content").asText()).contains("The TodoWrite tool hasn't been used recently.");
        assertThat(messages.at("/9/content").asText()).contains("The user switched to plan mode.");
    }

    @Test
    void userTurnsKeepTheirSystemReminders() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ArrayNode messages = (ArrayNode) translate(request).openAiRequest().get("messages");

        // then
        assertThat(messages.at("/1/content").asText())
                .startsWith("<system-reminder>\nAs you answer the user's questions")
                .endsWith("</system-reminder>\n\nThe build fails, can you look?");
    }

    @Test
    void imageOfAToolResultFollowsItsToolMessage() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ArrayNode messages = (ArrayNode) translate(request).openAiRequest().get("messages");

        // then
        assertThat(messages.at("/6/tool_calls/0/id").asText()).isEqualTo("toolu_02A");
        assertThat(messages.at("/7/tool_call_id").asText()).isEqualTo("toolu_02A");
        assertThat(messages.at("/7/content").asText()).startsWith("Took a screenshot of the page");
        assertThat(messages.at("/8/content/0/type").asText()).isEqualTo("image_url");
        assertThat(messages.at("/8/content/0/image_url/url").asText()).startsWith("data:image/png;base64,iVBORw0KGgo");
        assertThat(messages.at("/8/content")).hasSize(1);
    }

    @Test
    void interruptedToolCallIsLeftForTheHealerWhichRemovesIt() throws Exception {
        // given
        JsonNode request = fixture();
        ArrayNode messages = (ArrayNode) translate(request).openAiRequest().get("messages");

        // when
        HealResult healed = ConversationHealer.heal(messages);

        // then
        assertThat(messages.at("/10/tool_calls/0/id").asText()).isEqualTo("toolu_03A");
        assertThat(messages.at("/11/content").asText())
                .isEqualTo("[Request interrupted by user for tool use]\n\nActually, check the README first.");
        assertThat(healed.changes()).singleElement().asString().contains("toolu_03A");
        assertThat(healed.messages().get(10)).isEqualTo(Json.MAPPER.readTree(
                "{\"role\":\"assistant\",\"content\":\"Let me read the failing test.\"}"));
        assertThat(ConversationHealer.heal(healed.messages()).changes()).isEmpty();
    }

    @Test
    void toolNamesFitTheUpstreamLimitAndMapBackToTheClientNames() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        List<String> clientNames = new ArrayList<>();
        for (JsonNode tool : request.get("tools")) {
            if (!tool.has("type")) {
                clientNames.add(tool.get("name").asText());
            }
        }
        List<String> upstreamNames = translation.openAiRequest().get("tools").findValuesAsText("name");
        assertThat(clientNames).hasSizeGreaterThanOrEqualTo(20).filteredOn(name -> name.length() > 64).hasSize(3);
        assertThat(upstreamNames).hasSameSizeAs(clientNames).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[a-zA-Z0-9_-]{1,64}"))
                .doesNotContain("web_search");
        assertThat(upstreamNames.stream().map(translation.toolNames()::original).toList())
                .containsExactlyElementsOf(clientNames);
        String shortName = translation.toolNames().upstream(LONG_MCP_NAME);
        assertThat(translation.openAiRequest().at("/messages/2/tool_calls/1/function/name").asText())
                .isEqualTo(shortName);
    }

    @Test
    void anthropicOnlyDetailsAppearNowhereInTheOutput() throws Exception {
        // given
        JsonNode request = fixture();

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.findValues("cache_control")).isEmpty();
        assertThat(openAi.toString()).doesNotContain("cache_control", "defer_loading", "signature", "EqQB",
                "redacted_thinking", "output_config", "context_management", "clear_thinking", "budget_tokens",
                "ephemeral");
    }

    @Test
    void thinkingIsReplayedOnlyWhenConfigured() throws Exception {
        // given
        JsonNode request = fixture();
        TranslationSettings d = TranslationSettings.defaults();
        TranslationSettings replay = new TranslationSettings(d.stripBillingHeader(), d.reasoningEffortEnabled(),
                d.reasoningBuckets(), d.adaptiveReasoningEffort(), true, d.maxOutputTokens(), d.maxTokensField(),
                d.streamUsage());

        // when
        ObjectNode plain = translate(request).openAiRequest();
        ObjectNode replayed = AnthropicRequestTranslator.translate(request, MODEL, null, replay).openAiRequest();

        // then
        assertThat(plain.findValues("reasoning_content")).isEmpty();
        assertThat(replayed.at("/messages/2/reasoning_content").asText())
                .isEqualTo("Run the tests first and look for similar projects.");
        assertThat(replayed.at("/messages/6/reasoning_content").asText()).isEqualTo("Check the UI too.");
        assertThat(replayed.at("/messages/10").has("reasoning_content")).isFalse();
    }

    private static List<String> roles(ArrayNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(message -> roles.add(message.get("role").asText()));
        return roles;
    }

    private static AnthropicRequestTranslation translate(JsonNode request) throws AnthropicRequestException {
        return AnthropicRequestTranslator.translate(request, MODEL, null, TranslationSettings.defaults());
    }

    private static JsonNode fixture() throws IOException {
        try (InputStream in = AnthropicRequestClaudeCodeFixtureTest.class
                .getResourceAsStream("/anthropic/request-claude-code.json")) {
            assertThat(in).as("fixture anthropic/request-claude-code.json").isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }
}
