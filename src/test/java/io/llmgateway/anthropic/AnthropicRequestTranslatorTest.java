package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.config.OutputTokenLimits;
import io.llmgateway.config.ReasoningBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicRequestTranslatorTest {
    private static final String MODEL = "gpt-4.1";
    private static final String LONG_NAME =
            "mcp__a_very_long_server_name_for_testing__a_tool_with_an_even_longer_descriptive_name";

    // ---- max_tokens -----------------------------------------------------------------------------------------

    @Test
    void missingMaxTokensIsRejectedNamingTheField() {
        // given
        JsonNode request = json("""
                {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage("max_tokens: Field required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "\"1024\"", "true", "[]"})
    void maxTokensThatIsNotAPositiveIntegerIsRejected(String value) {
        // given
        JsonNode request = json("""
                {"max_tokens":%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(value));

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOfSatisfying(AnthropicRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("max_tokens"))
                .hasMessageStartingWith("max_tokens: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "256", "2147483648", "9223372036854775807", "9223372036854775808",
            "123456789012345678901234567890"})
    void maxTokensGoUpstreamWrittenAsTheClientWroteThem(String value) throws JsonProcessingException {
        // given
        JsonNode request = Json.MAPPER.readTree("""
                {"max_tokens":%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(value));

        // when
        String sent = Json.MAPPER.writeValueAsString(translate(request).openAiRequest());

        // then
        assertThat(sent).containsPattern("\"max_tokens\":" + value + "[,}]");
    }

    @Test
    void requestedMaxTokensIsSentWhenNoCapApplies() {
        // given
        JsonNode request = userSays("hi");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("max_tokens").asLong()).isEqualTo(1024);
    }

    @Test
    void aRequestWhoseTurnsAreAllEmptyIsRejectedInsteadOfSendingNoMessages() {
        // given
        JsonNode request = withMessages("[{\"role\":\"user\",\"content\":\"\"},{\"role\":\"user\",\"content\":[]}]");

        // when / then
        assertThatThrownBy(() -> attempt(request)).isInstanceOf(AnthropicRequestException.class)
                .hasMessageContaining("messages").hasMessageContaining("non-empty");
    }

    @Test
    void maxTokensIsCappedByTheConfiguredLimitForTheModel() {
        // given
        JsonNode request = json("""
                {"max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}""");
        TranslationSettings settings = new Settings().maxOutputTokens(
                new OutputTokenLimits(8192, Map.of(MODEL, 32768))).build();

        // when
        ObjectNode openAi = translate(request, 128000, settings).openAiRequest();

        // then
        assertThat(openAi.get("max_tokens").asLong()).isEqualTo(32768);
    }

    @Test
    void maxTokensIsCappedByTheCatalogLimitWhenItIsTheSmallest() {
        // given
        JsonNode request = json("""
                {"max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}""");
        TranslationSettings settings = new Settings().maxOutputTokens(
                new OutputTokenLimits(32000, Map.of())).build();

        // when
        ObjectNode openAi = translate(request, 16384, settings).openAiRequest();

        // then
        assertThat(openAi.get("max_tokens").asLong()).isEqualTo(16384);
    }

    @Test
    void maxTokensBeyondALongIsCappedLikeAnyOther() {
        // given
        JsonNode request = json("""
                {"max_tokens":123456789012345678901234567890,"messages":[{"role":"user","content":"hi"}]}""");
        TranslationSettings settings = new Settings().maxOutputTokens(
                new OutputTokenLimits(8192, Map.of())).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("max_tokens").asLong()).isEqualTo(8192);
    }

    @Test
    void requestedMaxTokensBelowEveryCapIsKept() {
        // given
        JsonNode request = json("""
                {"max_tokens":500,"messages":[{"role":"user","content":"hi"}]}""");
        TranslationSettings settings = new Settings().maxOutputTokens(
                new OutputTokenLimits(8192, Map.of())).build();

        // when
        ObjectNode openAi = translate(request, 16384, settings).openAiRequest();

        // then
        assertThat(openAi.get("max_tokens").asLong()).isEqualTo(500);
    }

    @Test
    void maxTokensIsSentUnderTheConfiguredFieldName() {
        // given
        JsonNode request = userSays("hi");
        TranslationSettings settings = new Settings().maxTokensField("max_completion_tokens").build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("max_completion_tokens").asLong()).isEqualTo(1024);
        assertThat(openAi.has("max_tokens")).isFalse();
    }

    // ---- messages -------------------------------------------------------------------------------------------

    @Test
    void resolvedUpstreamModelReplacesTheClientModel() {
        // given
        JsonNode request = userSays("hi");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("model").asText()).isEqualTo(MODEL);
    }

    @Test
    void requestThatIsNotAnObjectIsRejected() {
        // given
        JsonNode request = json("[1,2]");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage("The request body must be a JSON object");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"max_tokens\":10}                 | messages: Field required",
            "{\"max_tokens\":10,\"messages\":null} | messages: Field required",
            "{\"max_tokens\":10,\"messages\":{}}   | messages: Input should be a valid list",
            "{\"max_tokens\":10,\"messages\":[]}   | messages: at least one message is required"})
    void missingOrMalformedMessagesAreRejected(String body, String message) {
        // given
        JsonNode request = json(body);

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"hello\"                               | messages.0: Input should be an object",
            "{\"content\":\"hi\"}                     | messages.0.role: Field required",
            "{\"role\":\"tool\",\"content\":\"hi\"}     | messages.0.role: Input should be 'user' or 'assistant'",
            "{\"role\":\"user\"}                       | messages.0.content: Field required",
            "{\"role\":\"user\",\"content\":null}      | messages.0.content: Field required",
            "{\"role\":\"user\",\"content\":42}        | messages.0.content: Input should be a valid string or a list of content blocks",
            "{\"role\":\"user\",\"content\":{}}        | messages.0.content: Input should be a valid string or a list of content blocks",
            "{\"role\":\"user\",\"content\":[\"hi\"]}  | messages.0.content.0: Input should be an object",
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]} | messages.0.content.0.text: Field required",
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]} | messages.0.content.0.text: Input should be a valid string"})
    void oddMessageShapesAreRejectedNamingTheField(String message, String error) {
        // given
        JsonNode request = json("{\"max_tokens\":10,\"messages\":[" + message + "]}");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void userStringContentIsSentAsIs() {
        // given
        JsonNode request = userSays("What is 2+2?");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"What is 2+2?"}]"""));
    }

    @Test
    void userTurnOfOnlyTextBlocksIsSentAsOneStringJoinedByBlankLines() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"text","text":"<system-reminder>be careful</system-reminder>"},
                  {"type":"text","text":"fix the bug","cache_control":{"type":"ephemeral"}}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"<system-reminder>be careful</system-reminder>\\n\\nfix the bug"}]"""));
    }

    @Test
    void emptyUserContentProducesNoMessage() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":""},
                 {"role":"user","content":[]},
                 {"role":"user","content":[{"type":"text","text":""}]},
                 {"role":"user","content":"hi"}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"}]"""));
    }

    @Test
    void systemEntryInsideMessagesBecomesASystemMessageAtItsPosition() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"hi"},
                 {"role":"assistant","content":"hello"},
                 {"role":"system","content":[{"type":"text","text":"now be terse","cache_control":{"type":"ephemeral"}}]},
                 {"role":"user","content":"go on"}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"},
                 {"role":"assistant","content":"hello"},
                 {"role":"system","content":"now be terse"},
                 {"role":"user","content":"go on"}]"""));
    }

    @Test
    void inputRequestIsNotModified() {
        // given
        JsonNode request = fixtureLikeRequest();
        JsonNode copy = request.deepCopy();

        // when
        translate(request);

        // then
        assertThat(request).isEqualTo(copy);
    }

    // ---- system ---------------------------------------------------------------------------------------------

    @Test
    void systemStringBecomesTheLeadingSystemMessage() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"system":"You are terse.","messages":[{"role":"user","content":"hi"}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"system","content":"You are terse."},{"role":"user","content":"hi"}]"""));
    }

    @Test
    void systemBlocksAreJoinedByBlankLinesWithoutTheBillingHeader() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"system":[
                  {"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.3; cc_entrypoint=cli;"},
                  {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
                  {"type":"text","text":"Be careful.","cache_control":{"type":"ephemeral","ttl":"1h"}}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages").get(0)).isEqualTo(json("""
                {"role":"system","content":"You are Claude Code.\\n\\nBe careful."}"""));
    }

    @Test
    void billingHeaderIsKeptWhenStrippingIsOff() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"system":[
                  {"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.3;"},
                  {"type":"text","text":"You are Claude Code."}]}""");
        TranslationSettings settings = new Settings().stripBillingHeader(false).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText())
                .isEqualTo("x-anthropic-billing-header: cc_version=2.1.3;\n\nYou are Claude Code.");
    }

    @Test
    void billingHeaderLineOpeningASystemStringIsRemoved() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "system":"x-anthropic-billing-header: cc_version=2.1.3;\\nYou are Claude Code."}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("You are Claude Code.");
    }

    @Test
    void systemThatIsOnlyTheBillingHeaderProducesNoSystemMessage() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"system":[
                  {"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.3;"}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"}]"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "42                          | system: Input should be a valid string or a list of text blocks",
            "{\"text\":\"hi\"}            | system: Input should be a valid string or a list of text blocks",
            "[\"hi\"]                    | system.0: Input should be an object",
            "[{\"type\":\"text\"}]       | system.0.text: Field required"})
    void malformedSystemIsRejectedNamingTheField(String system, String error) {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"system":%s}""".formatted(system));

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void systemBlocksOfUnknownTypeWithoutTextAreDropped() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"system":[
                  {"type":"future_thing","data":1},{"type":"text","text":"Be kind."}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("Be kind.");
    }

    // ---- user turns -----------------------------------------------------------------------------------------

    @Test
    void base64ImageBecomesADataUrlPartNextToTheText() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="},
                   "cache_control":{"type":"ephemeral"}}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]"""));
    }

    @Test
    void urlImageIsPassedAsIs() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content")).isEqualTo(json("""
                [{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"type\":\"image\"}                                                   | messages.0.content.0.source: Field required",
            "{\"type\":\"image\",\"source\":\"x\"}                                   | messages.0.content.0.source: Input should be an object",
            "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\"}} | messages.0.content.0.source.data: Field required",
            "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"AA==\"}}   | messages.0.content.0.source.media_type: Field required",
            "{\"type\":\"image\",\"source\":{\"type\":\"url\"}}                      | messages.0.content.0.source.url: Field required",
            "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"data\":null}}    | messages.0.content.0.source.data: Field required"})
    void malformedMediaBlocksAreRejectedNamingTheField(String block, String error) {
        // given
        JsonNode request = withMessages("[{\"role\":\"user\",\"content\":[" + block + "]}]");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void imageFromTheFilesApiIsDroppedAsTheUpstreamCannotReachIt() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"image","source":{"type":"file","file_id":"file_011"}},
                  {"type":"text","text":"describe"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"describe"}]"""));
    }

    @Test
    void base64PdfDocumentBecomesAFilePart() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"},
                   "title":"Report","citations":{"enabled":true},"cache_control":{"type":"ephemeral"}},
                  {"type":"text","text":"Summarise"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content")).isEqualTo(json("""
                [{"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},
                 {"type":"text","text":"Summarise"}]"""));
    }

    @Test
    void plainTextDocumentBecomesTextPrefixedWithItsTitle() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."},
                   "title":"Facts"},
                  {"type":"text","text":"What colour is the grass?"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText())
                .isEqualTo("Facts\n\nThe grass is green.\n\nWhat colour is the grass?");
    }

    @Test
    void contentDocumentBecomesItsText() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                  {"type":"document","source":{"type":"content","content":[
                    {"type":"text","text":"First chunk."},{"type":"text","text":"Second chunk."}]}}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("First chunk.\n\nSecond chunk.");
    }

    @Test
    void toolResultsComeBeforeTheRestOfTheUserTurn() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"list files"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},
                 {"role":"user","content":[
                   {"type":"text","text":"<system-reminder>todo list is empty</system-reminder>"},
                   {"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt\\nb.txt","cache_control":{"type":"ephemeral"}},
                   {"type":"text","text":"and now?"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"list files"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"toolu_1","type":"function","function":{"name":"Bash","arguments":"{\\"command\\":\\"ls\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_1","content":"a.txt\\nb.txt"},
                 {"role":"user","content":"<system-reminder>todo list is empty</system-reminder>\\n\\nand now?"}]"""));
    }

    @Test
    void userTurnOfOnlyToolResultsProducesOnlyToolMessagesInOrder() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_b","content":"B"},
                   {"type":"tool_result","tool_use_id":"toolu_a","content":"A"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"tool","tool_call_id":"toolu_b","content":"B"},
                 {"role":"tool","tool_call_id":"toolu_a","content":"A"}]"""));
    }

    @Test
    void toolResultTextBlocksAreJoined() {
        // given
        JsonNode request = toolResult("""
                {"type":"tool_result","tool_use_id":"toolu_1","content":[
                  {"type":"text","text":"line one"},{"type":"text","text":"line two"}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("line one\n\nline two");
    }

    @Test
    void errorToolResultTellsTheModelItFailed() {
        // given
        JsonNode request = toolResult("""
                {"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":"command not found"}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("Error: command not found");
    }

    @Test
    void emptyErrorToolResultStillSaysError() {
        // given
        JsonNode request = toolResult("""
                {"type":"tool_result","tool_use_id":"toolu_1","is_error":true}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText()).isEqualTo("Error");
    }

    @Test
    void toolResultWithoutContentIsAnEmptyToolMessage() {
        // given
        JsonNode request = toolResult("""
                {"type":"tool_result","tool_use_id":"toolu_1","content":null}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"tool","tool_call_id":"toolu_1","content":""}]"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"type\":\"tool_result\",\"content\":\"x\"}                         | messages.0.content.0.tool_use_id: Field required",
            "{\"type\":\"tool_result\",\"tool_use_id\":5}                         | messages.0.content.0.tool_use_id: Input should be a valid string",
            "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":5}        | messages.0.content.0.content: Input should be a valid string or a list of content blocks",
            "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[5]}      | messages.0.content.0.content.0: Input should be an object"})
    void malformedToolResultsAreRejectedNamingTheField(String block, String error) {
        // given
        JsonNode request = toolResult(block);

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void imagesInAToolResultFollowTheToolMessagesAsAUserMessage() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_1","content":[
                     {"type":"text","text":"screenshot taken"},
                     {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]},
                   {"type":"tool_result","tool_use_id":"toolu_2","content":"ok"},
                   {"type":"text","text":"what do you see?"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"tool","tool_call_id":"toolu_1",
                  "content":"screenshot taken\\n\\n[1 attachment of this tool result follows in the next user message]"},
                 {"role":"tool","tool_call_id":"toolu_2","content":"ok"},
                 {"role":"user","content":[
                   {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                   {"type":"text","text":"what do you see?"}]}]"""));
    }

    @Test
    void toolReferenceBecomesTextNamingTheToolAsTheUpstreamKnowsIt() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_1","content":[
                     {"type":"tool_reference","tool_name":"%s"}]},
                   {"type":"tool_reference","tool_name":"Read"}]}]""".formatted(LONG_NAME));

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        String shortName = ToolNames.shorten(LONG_NAME);
        assertThat(translation.openAiRequest().get("messages")).isEqualTo(json("""
                [{"role":"tool","tool_call_id":"toolu_1","content":"Tool reference: %s"},
                 {"role":"user","content":"Tool reference: Read"}]""".formatted(shortName)));
        assertThat(translation.toolNames().original(shortName)).isEqualTo(LONG_NAME);
    }

    @Test
    void thinkingBlocksInUserTurnsAreDropped() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                   {"type":"thinking","thinking":"hmm","signature":"sig"},
                   {"type":"redacted_thinking","data":"abc"},
                   {"type":"text","text":"hi"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"}]"""));
    }

    @Test
    void unknownBlockWithTextPassesAsTextAndOneWithoutTextIsDropped() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":[
                   {"type":"shiny_new_block","text":"still readable"},
                   {"type":"mystery","payload":{"x":1}},
                   {"text":"no type at all"},
                   {"type":"search_result","title":"Docs","source":"https://example.com",
                    "content":[{"type":"text","text":"found it"}]}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/content").asText())
                .isEqualTo("still readable\n\nno type at all\n\nDocs\n\nhttps://example.com\n\nfound it");
    }

    @Test
    void userTurnWithNothingTranslatableProducesNoMessage() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"hi"},
                 {"role":"user","content":[{"type":"thinking","thinking":"x"},{"type":"mystery"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"}]"""));
    }

    // ---- assistant turns ------------------------------------------------------------------------------------

    @Test
    void assistantStringContentIsSentAsIs() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"hi"},{"role":"assistant","content":"Hello!"}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/1")).isEqualTo(json("""
                {"role":"assistant","content":"Hello!"}"""));
    }

    @Test
    void assistantTextBlocksAndToolUseBecomeContentAndToolCalls() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"weather?"},
                 {"role":"assistant","content":[
                   {"type":"text","text":"Let me check."},
                   {"type":"tool_use","id":"toolu_a","name":"get_weather","input":{"city":"Paris","days":[1,2]}},
                   {"type":"text","text":"And Rome."},
                   {"type":"tool_use","id":"toolu_b","name":"get_weather","input":{"city":"Rome"},
                    "cache_control":{"type":"ephemeral"}}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/1")).isEqualTo(json("""
                {"role":"assistant","content":"Let me check.\\n\\nAnd Rome.","tool_calls":[
                  {"id":"toolu_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":[1,2]}"}},
                  {"id":"toolu_b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]}"""));
    }

    @Test
    void toolUseWithoutInputHasEmptyObjectArguments() {
        // given
        JsonNode request = withMessages("""
                [{"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"now"}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.at("/messages/0/tool_calls/0/function/arguments").asText()).isEqualTo("{}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"type\":\"tool_use\",\"name\":\"x\",\"input\":{}}          | messages.0.content.0.id: Field required",
            "{\"type\":\"tool_use\",\"id\":\"t\",\"input\":{}}            | messages.0.content.0.name: Field required",
            "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":[],\"input\":{}} | messages.0.content.0.name: Input should be a valid string",
            "{\"type\":\"text\",\"text\":null}                              | messages.0.content.0.text: Field required"})
    void malformedAssistantBlocksAreRejectedNamingTheField(String block, String error) {
        // given
        JsonNode request = withMessages("[{\"role\":\"assistant\",\"content\":[" + block + "]}]");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void thinkingIsDroppedByDefault() {
        // given
        JsonNode request = withMessages("""
                [{"role":"assistant","content":[
                   {"type":"thinking","thinking":"The user wants X.","signature":"EqQB"},
                   {"type":"redacted_thinking","data":"EmwKAhgB"},
                   {"type":"text","text":"X."}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"assistant","content":"X."}]"""));
    }

    @Test
    void thinkingIsReplayedAsReasoningContentWhenConfigured() {
        // given
        JsonNode request = withMessages("""
                [{"role":"assistant","content":[
                   {"type":"thinking","thinking":"Step one.","signature":"EqQB"},
                   {"type":"redacted_thinking","data":"EmwKAhgB"},
                   {"type":"thinking","thinking":"Step two.","signature":"EqQC"},
                   {"type":"tool_use","id":"toolu_a","name":"Read","input":{}}]}]""");
        TranslationSettings settings = new Settings().replayReasoning(true).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"assistant","content":null,"reasoning_content":"Step one.\\n\\nStep two.",
                  "tool_calls":[{"id":"toolu_a","type":"function","function":{"name":"Read","arguments":"{}"}}]}]"""));
    }

    @Test
    void assistantTurnWithNeitherTextNorToolCallsIsDropped() {
        // given
        JsonNode request = withMessages("""
                [{"role":"user","content":"hi"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"}]},
                 {"role":"assistant","content":""},
                 {"role":"assistant","content":[]},
                 {"role":"assistant","content":[{"type":"text","text":""}]},
                 {"role":"user","content":"again"}]""");
        TranslationSettings settings = new Settings().replayReasoning(true).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"hi"},{"role":"user","content":"again"}]"""));
    }

    @Test
    void serverToolBlocksInHistoryAreDropped() {
        // given
        JsonNode request = withMessages("""
                [{"role":"assistant","content":[
                   {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},
                   {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
                   {"type":"text","text":"Found nothing."}]}]""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("messages")).isEqualTo(json("""
                [{"role":"assistant","content":"Found nothing."}]"""));
    }

    // ---- tools and tool_choice ------------------------------------------------------------------------------

    @Test
    void toolBecomesAFunctionWithoutAnthropicOnlyFields() {
        // given
        JsonNode request = withTools("""
                [{"name":"get_weather","description":"Weather for a city","defer_loading":false,
                  "cache_control":{"type":"ephemeral"},
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""",
                null);

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("tools")).isEqualTo(json("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
    }

    @Test
    void serverToolsAreRemovedAndCustomToolsKept() {
        // given
        JsonNode request = withTools("""
                [{"type":"web_search_20250305","name":"web_search","max_uses":5},
                 {"type":"web_fetch_20250910","name":"web_fetch"},
                 {"type":"code_execution_20250825","name":"code_execution"},
                 {"type":"bash_20250124","name":"bash"},
                 {"type":"text_editor_20250728","name":"str_replace_based_edit_tool"},
                 {"type":"computer_20250124","name":"computer","display_width_px":1024,"display_height_px":768},
                 {"type":"custom","name":"Read","input_schema":{"type":"object"}},
                 {"name":"Write","input_schema":{"type":"object"}}]""", null);

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("tools").findValuesAsText("name")).containsExactly("Read", "Write");
    }

    @Test
    void withNoToolsLeftToolsAndToolChoiceAreDropped() {
        // given
        JsonNode request = withTools("""
                [{"type":"web_search_20250305","name":"web_search"}]""",
                "{\"type\":\"any\",\"disable_parallel_tool_use\":true}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("tools")).isFalse();
        assertThat(openAi.has("tool_choice")).isFalse();
        assertThat(openAi.has("parallel_tool_calls")).isFalse();
    }

    @Test
    void emptyToolListSendsNoTools() {
        // given
        JsonNode request = withTools("[]", "{\"type\":\"auto\"}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("tools")).isFalse();
        assertThat(openAi.has("tool_choice")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}                                           | tools: Input should be a valid list",
            "[\"Read\"]                                   | tools.0: Input should be an object",
            "[{\"input_schema\":{}}]                       | tools.0.name: Field required",
            "[{\"name\":\"Read\"}]                         | tools.0.input_schema: Field required",
            "[{\"name\":\"Read\",\"input_schema\":\"{}\"}]  | tools.0.input_schema: Input should be an object"})
    void malformedToolsAreRejectedNamingTheField(String tools, String error) {
        // given
        JsonNode request = withTools(tools, null);

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @ParameterizedTest
    @CsvSource({"auto, auto", "any, required", "none, none"})
    void toolChoiceTypesMapToOpenAiValues(String anthropic, String openAiChoice) {
        // given
        JsonNode request = withTools(READ_TOOL, "{\"type\":\"" + anthropic + "\"}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("tool_choice").asText()).isEqualTo(openAiChoice);
        assertThat(openAi.has("parallel_tool_calls")).isFalse();
    }

    @Test
    void toolChoiceOfOneToolNamesTheFunction() {
        // given
        JsonNode request = withTools(READ_TOOL, "{\"type\":\"tool\",\"name\":\"Read\"}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("tool_choice")).isEqualTo(json("""
                {"type":"function","function":{"name":"Read"}}"""));
    }

    @Test
    void toolChoiceNamingARemovedServerToolIsDropped() {
        // given
        JsonNode request = withTools("""
                [{"type":"web_search_20250305","name":"web_search"},{"name":"Read","input_schema":{"type":"object"}}]""",
                "{\"type\":\"tool\",\"name\":\"web_search\"}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("tool_choice")).isFalse();
        assertThat(openAi.get("tools")).hasSize(1);
    }

    @Test
    void toolChoiceOfUnknownTypeIsDropped() {
        // given
        JsonNode request = withTools(READ_TOOL, "{\"type\":\"whatever\"}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("tool_choice")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"auto\"              | tool_choice: Input should be an object",
            "{\"type\":\"tool\"}    | tool_choice.name: Field required"})
    void malformedToolChoiceIsRejectedNamingTheField(String choice, String error) {
        // given
        JsonNode request = withTools(READ_TOOL, choice);

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void disabledParallelToolUseTurnsParallelToolCallsOff() {
        // given
        JsonNode request = withTools(READ_TOOL, "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(openAi.get("parallel_tool_calls").asBoolean(true)).isFalse();
    }

    @Test
    void longToolNameIsShortenedTheSameWayInToolsToolChoiceAndHistory() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,
                 "tools":[{"name":"%1$s","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"tool","name":"%1$s"},
                 "messages":[{"role":"user","content":"go"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"%1$s","input":{}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"done"}]}]}"""
                .formatted(LONG_NAME));

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        ObjectNode openAi = translation.openAiRequest();
        String shortName = openAi.at("/tools/0/function/name").asText();
        assertThat(shortName).hasSizeLessThanOrEqualTo(ToolNames.MAX_LENGTH).isNotEqualTo(LONG_NAME);
        assertThat(openAi.at("/tool_choice/function/name").asText()).isEqualTo(shortName);
        assertThat(openAi.at("/messages/1/tool_calls/0/function/name").asText()).isEqualTo(shortName);
        assertThat(translation.toolNames().original(shortName)).isEqualTo(LONG_NAME);
    }

    // ---- other parameters -----------------------------------------------------------------------------------

    @Test
    void stopSequencesBecomeStopAndAreReturnedForTheResponse() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"stop_sequences":["END","\\n\\nHuman:"],"messages":[{"role":"user","content":"hi"}]}""");

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        assertThat(translation.openAiRequest().get("stop")).isEqualTo(json("""
                ["END","\\n\\nHuman:"]"""));
        assertThat(translation.stopSequences()).containsExactly("END", "\n\nHuman:");
    }

    @Test
    void withoutStopSequencesNoStopIsSent() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"stop_sequences":[],"messages":[{"role":"user","content":"hi"}]}""");

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        assertThat(translation.openAiRequest().has("stop")).isFalse();
        assertThat(translation.stopSequences()).isEmpty();
    }

    @Test
    void temperatureAndTopPAreForwardedAndTopKDropped() {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"temperature":0.70,"top_p":0.95,"top_k":40,
                 "messages":[{"role":"user","content":"hi"}]}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("temperature").decimalValue()).isEqualByComparingTo("0.70");
        assertThat(openAi.get("top_p").decimalValue()).isEqualByComparingTo("0.95");
        assertThat(openAi.has("top_k")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"temperature\":\"hot\"          | temperature: Input should be a valid number",
            "\"top_p\":true                   | top_p: Input should be a valid number",
            "\"stop_sequences\":\"END\"       | stop_sequences: Input should be a valid list",
            "\"stop_sequences\":[\"a\",1]     | stop_sequences.1: Input should be a valid string",
            "\"stream\":\"yes\"               | stream: Input should be a valid boolean",
            "\"metadata\":\"u\"               | metadata: Input should be an object",
            "\"metadata\":{\"user_id\":42}    | metadata.user_id: Input should be a valid string",
            "\"thinking\":\"on\"              | thinking: Input should be an object",
            "\"thinking\":{\"type\":\"enabled\"} | thinking.enabled.budget_tokens: Field required",
            "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":\"lots\"} | thinking.enabled.budget_tokens: Input should be a valid integer"})
    void malformedParametersAreRejectedNamingTheField(String field, String error) {
        // given
        JsonNode request = json("{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + field + "}");

        // when / then
        assertThatThrownBy(() -> attempt(request))
                .isInstanceOf(AnthropicRequestException.class)
                .hasMessage(error);
    }

    @Test
    void metadataUserIdBecomesTheOpenAiUserAsIs() {
        // given
        String userId = "{\"device_id\":\"4f1c\",\"account_uuid\":\"\",\"session_id\":\"9b2e\"}";
        ObjectNode request = userSays("hi");
        request.putObject("metadata").put("user_id", userId);

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("user").asText()).isEqualTo(userId);
    }

    @Test
    void veryLongUserIdIsTruncated() {
        // given
        ObjectNode request = userSays("hi");
        request.putObject("metadata").put("user_id", "u".repeat(1000));

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("user").asText()).hasSize(AnthropicRequestTranslator.MAX_USER_LENGTH);
    }

    @Test
    void metadataWithoutUserIdSendsNoUser() {
        // given
        ObjectNode request = userSays("hi");
        request.putObject("metadata").putNull("user_id");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("user")).isFalse();
    }

    @Test
    void streamingRequestAsksForUsageWhenConfigured() {
        // given
        ObjectNode request = userSays("hi").put("stream", true);

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        assertThat(translation.stream()).isTrue();
        assertThat(translation.openAiRequest().get("stream").asBoolean()).isTrue();
        assertThat(translation.openAiRequest().get("stream_options")).isEqualTo(json("""
                {"include_usage":true}"""));
    }

    @Test
    void streamingRequestWithoutStreamUsageSendsNoStreamOptions() {
        // given
        ObjectNode request = userSays("hi").put("stream", true);
        TranslationSettings settings = new Settings().streamUsage(false).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("stream").asBoolean()).isTrue();
        assertThat(openAi.has("stream_options")).isFalse();
    }

    @Test
    void nonStreamingRequestSendsNoStreamFields() {
        // given
        ObjectNode request = userSays("hi").put("stream", false);

        // when
        AnthropicRequestTranslation translation = translate(request);

        // then
        assertThat(translation.stream()).isFalse();
        assertThat(translation.openAiRequest().has("stream")).isFalse();
        assertThat(translation.openAiRequest().has("stream_options")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"1024, low", "4096, low", "4097, medium", "16384, medium", "31999, high"})
    void thinkingBudgetMapsToReasoningEffortThroughTheBuckets(int budget, String effort) {
        // given
        ObjectNode request = userSays("hi");
        request.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.get("reasoning_effort").asText()).isEqualTo(effort);
    }

    @Test
    void adaptiveThinkingUsesTheConfiguredEffort() {
        // given
        ObjectNode request = userSays("hi");
        request.putObject("thinking").put("type", "adaptive");
        request.putObject("output_config").put("effort", "max");
        TranslationSettings settings = new Settings().adaptiveReasoningEffort("high").build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.get("reasoning_effort").asText()).isEqualTo("high");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"disabled\"}", "{\"type\":\"sometime_later\"}", "{}"})
    void thinkingThatIsDisabledOrUnknownSendsNoReasoningEffort(String thinking) {
        // given
        JsonNode request = json("""
                {"max_tokens":10,"thinking":%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(thinking));

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        assertThat(openAi.has("reasoning_effort")).isFalse();
    }

    @Test
    void thinkingSendsNoReasoningEffortWhenTheFeatureIsOff() {
        // given
        ObjectNode request = userSays("hi");
        request.putObject("thinking").put("type", "enabled").put("budget_tokens", 31999);
        TranslationSettings settings = new Settings().reasoningEffortEnabled(false).build();

        // when
        ObjectNode openAi = translate(request, null, settings).openAiRequest();

        // then
        assertThat(openAi.has("reasoning_effort")).isFalse();
    }

    @Test
    void anthropicOnlyAndUnknownTopLevelFieldsAreNotForwarded() {
        // given
        JsonNode request = json("""
                {"model":"claude-opus-4-8","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "output_config":{"effort":"high"},"context_management":{"edits":[]},"container":"c_1",
                 "mcp_servers":[],"service_tier":"auto","top_k":5,"anthropic_beta":["x"],"betas":["y"],
                 "cache_control":{"type":"ephemeral"},"inference_geo":"us","some_future_field":1}""");

        // when
        ObjectNode openAi = translate(request).openAiRequest();

        // then
        List<String> names = new ArrayList<>();
        openAi.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("model", "messages", "max_tokens");
    }

    // ---- fixtures and helpers -------------------------------------------------------------------------------

    private static final String READ_TOOL = """
            [{"name":"Read","description":"Read a file","input_schema":{"type":"object"}}]""";

    private static AnthropicRequestTranslation translate(JsonNode request) {
        return translate(request, null, TranslationSettings.defaults());
    }

    private static AnthropicRequestTranslation translate(JsonNode request, Integer catalogMax,
            TranslationSettings settings) {
        try {
            return AnthropicRequestTranslator.translate(request, MODEL, catalogMax, settings);
        } catch (AnthropicRequestException e) {
            throw new AssertionError("unexpectedly rejected: " + e.getMessage(), e);
        }
    }

    private static AnthropicRequestTranslation attempt(JsonNode request) throws AnthropicRequestException {
        return AnthropicRequestTranslator.translate(request, MODEL, null, TranslationSettings.defaults());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static ObjectNode userSays(String text) {
        ObjectNode request = Json.MAPPER.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 1024);
        request.putArray("messages").addObject().put("role", "user").put("content", text);
        return request;
    }

    private static ObjectNode withMessages(String messages) {
        ObjectNode request = Json.MAPPER.createObjectNode().put("max_tokens", 1024);
        request.set("messages", json(messages));
        return request;
    }

    private static ObjectNode toolResult(String block) {
        return withMessages("[{\"role\":\"user\",\"content\":[" + block + "]}]");
    }

    private static ObjectNode withTools(String tools, String toolChoice) {
        ObjectNode request = userSays("hi");
        request.set("tools", json(tools));
        if (toolChoice != null) {
            request.set("tool_choice", json(toolChoice));
        }
        return request;
    }

    private static JsonNode fixtureLikeRequest() {
        return json("""
                {"max_tokens":1000,"system":[{"type":"text","text":"x-anthropic-billing-header: a"},{"type":"text","text":"s"}],
                 "tools":[{"name":"%1$s","input_schema":{"type":"object"}}],
                 "messages":[{"role":"user","content":"go"},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"t"},{"type":"tool_use","id":"t1","name":"%1$s","input":{"a":1}}]},
                   {"role":"user","content":[{"type":"text","text":"x"},{"type":"tool_result","tool_use_id":"t1","content":[
                     {"type":"text","text":"r"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]}]}]}"""
                .formatted(LONG_NAME));
    }

    /** Test settings: the defaults with single values changed. */
    private static final class Settings {
        private final TranslationSettings d = TranslationSettings.defaults();
        private boolean stripBillingHeader = d.stripBillingHeader();
        private boolean reasoningEffortEnabled = d.reasoningEffortEnabled();
        private final List<ReasoningBucket> reasoningBuckets = d.reasoningBuckets();
        private String adaptiveReasoningEffort = d.adaptiveReasoningEffort();
        private boolean replayReasoning = d.replayReasoning();
        private OutputTokenLimits maxOutputTokens = d.maxOutputTokens();
        private String maxTokensField = d.maxTokensField();
        private boolean streamUsage = d.streamUsage();

        Settings stripBillingHeader(boolean value) {
            stripBillingHeader = value;
            return this;
        }

        Settings reasoningEffortEnabled(boolean value) {
            reasoningEffortEnabled = value;
            return this;
        }

        Settings adaptiveReasoningEffort(String value) {
            adaptiveReasoningEffort = value;
            return this;
        }

        Settings replayReasoning(boolean value) {
            replayReasoning = value;
            return this;
        }

        Settings maxOutputTokens(OutputTokenLimits value) {
            maxOutputTokens = value;
            return this;
        }

        Settings maxTokensField(String value) {
            maxTokensField = value;
            return this;
        }

        Settings streamUsage(boolean value) {
            streamUsage = value;
            return this;
        }

        TranslationSettings build() {
            return new TranslationSettings(stripBillingHeader, reasoningEffortEnabled, reasoningBuckets,
                    adaptiveReasoningEffort, replayReasoning, maxOutputTokens, maxTokensField, streamUsage);
        }
    }
}
