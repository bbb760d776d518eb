package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.ConversationHealer.HealResult;
import org.junit.jupiter.api.Test;

class ConversationHealerTest {

    @Test
    void validSequencesAreReturnedAsTheSameInstance() {
        // given
        ArrayNode messages = conversation(
                system("be brief"),
                user("weather in Paris and Rome?"),
                assistant("Checking.", "call_a", "call_b"),
                tool("call_a"),
                tool("call_b"),
                assistant("Sunny in both."),
                user("and Oslo?"),
                assistant(null, "call_c"),
                tool("call_c"),
                assistant("Rain."));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isSameAs(messages);
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void conversationWithoutToolCallsIsReturnedAsTheSameInstance() {
        // given
        ArrayNode messages = conversation(user("hi"), assistant("hello"), user("bye"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isSameAs(messages);
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void resultsOutOfOrderAreValidAsTheyArrive() {
        // given
        ArrayNode messages = conversation(
                user("go"), assistant(null, "call_a", "call_b"), tool("call_b"), tool("call_a"), assistant("done"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isSameAs(messages);
    }

    @Test
    void interruptedCallIsRemovedAndItsLateResultDropped() {
        // given
        ArrayNode messages = conversation(
                user("check the weather"),
                assistant("Let me check.", "call_a"),
                user("never mind"),
                tool("call_a"),
                assistant("OK."));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(
                user("check the weather"),
                assistant("Let me check."),
                user("never mind"),
                assistant("OK.")));
        assertThat(result.changes()).containsExactly(
                "removed unanswered tool calls [call_a] from the assistant message at index 1; its text is kept",
                "dropped orphan tool result at index 3 (tool_call_id call_a)");
    }

    @Test
    void partialAnswersKeepOnlyTheAnsweredCalls() {
        // given
        ArrayNode messages = conversation(
                user("two things"), assistant(null, "call_a", "call_b"), tool("call_a"), user("stop"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(
                user("two things"), assistant(null, "call_a"), tool("call_a"), user("stop")));
        assertThat(result.changes()).containsExactly(
                "removed unanswered tool calls [call_b] from the assistant message at index 1");
    }

    @Test
    void orphanToolResultAtStartIsDropped() {
        // given
        ArrayNode messages = conversation(tool("call_x"), user("hi"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(user("hi")));
        assertThat(result.changes()).containsExactly("dropped orphan tool result at index 0 (tool_call_id call_x)");
    }

    @Test
    void duplicateResultWithinSequenceIsDropped() {
        // given
        ArrayNode messages = conversation(
                assistant(null, "call_a", "call_b"), tool("call_a"), tool("call_a"), tool("call_b"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(
                assistant(null, "call_a", "call_b"), tool("call_a"), tool("call_b")));
        assertThat(result.changes()).containsExactly("dropped duplicate tool result at index 2 (tool_call_id call_a)");
    }

    @Test
    void duplicateResultAfterAllCallsAreAnsweredIsAnOrphan() {
        // given
        ArrayNode messages = conversation(assistant(null, "call_a"), tool("call_a"), tool("call_a"), user("next"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(assistant(null, "call_a"), tool("call_a"), user("next")));
        assertThat(result.changes()).containsExactly("dropped orphan tool result at index 2 (tool_call_id call_a)");
    }

    @Test
    void resultsWithUnknownOrMissingIdsAreDropped() {
        // given
        ObjectNode withoutId = tool("call_a");
        withoutId.remove("tool_call_id");
        ArrayNode messages = conversation(assistant(null, "call_a"), tool("call_zzz"), withoutId, tool("call_a"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(assistant(null, "call_a"), tool("call_a")));
        assertThat(result.changes()).containsExactly(
                "dropped tool result at index 1 (tool_call_id call_zzz matches no call of the assistant message at "
                        + "index 0)",
                "dropped tool result at index 2 (tool_call_id null matches no call of the assistant message at "
                        + "index 0)");
    }

    @Test
    void assistantWithTextKeepsItsTextWhenNoCallIsAnswered() {
        // given
        ObjectNode assistant = assistant("I'll look it up.", "call_a", "call_b");
        assistant.put("reasoning_content", "thinking");
        ArrayNode messages = conversation(user("q"), assistant, user("forget it"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        ObjectNode expected = assistant("I'll look it up.");
        expected.put("reasoning_content", "thinking");
        assertThat(result.messages()).isEqualTo(conversation(user("q"), expected, user("forget it")));
    }

    @Test
    void assistantWithoutTextIsDroppedWhenNoCallIsAnswered() {
        // given
        ObjectNode emptyString = assistant(null, "call_b");
        emptyString.put("content", "");
        ObjectNode missing = assistant(null, "call_c");
        missing.remove("content");
        ArrayNode messages = conversation(
                user("q"), assistant(null, "call_a"), user("r"), emptyString, user("s"), missing, user("t"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(user("q"), user("r"), user("s"), user("t")));
        assertThat(result.changes()).containsExactly(
                "dropped the assistant message at index 1: tool calls [call_a] unanswered and no text",
                "dropped the assistant message at index 3: tool calls [call_b] unanswered and no text",
                "dropped the assistant message at index 5: tool calls [call_c] unanswered and no text");
    }

    @Test
    void contentPartsWithTextCountAsText() {
        // given
        ObjectNode assistant = assistant(null, "call_a");
        assistant.putArray("content").addObject().put("type", "text").put("text", "Checking.");
        ArrayNode messages = conversation(user("q"), assistant, user("r"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        ObjectNode expected = assistant.deepCopy();
        expected.remove("tool_calls");
        assertThat(result.messages()).isEqualTo(conversation(user("q"), expected, user("r")));
    }

    @Test
    void contentPartsWithoutTextDoNotCountAsText() {
        // given
        ObjectNode emptyParts = assistant(null, "call_a");
        emptyParts.putArray("content");
        ObjectNode emptyTextPart = assistant(null, "call_b");
        emptyTextPart.putArray("content").addObject().put("type", "text").put("text", "");
        ArrayNode messages = conversation(user("q"), emptyParts, user("r"), emptyTextPart, user("s"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(user("q"), user("r"), user("s")));
    }

    @Test
    void trailingUnansweredCallsAreRemoved() {
        // given
        ArrayNode messages = conversation(
                user("q"), assistant(null, "call_a"), tool("call_a"), assistant("Next I'll run it.", "call_b"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(
                user("q"), assistant(null, "call_a"), tool("call_a"), assistant("Next I'll run it.")));
        assertThat(result.changes()).containsExactly(
                "removed unanswered tool calls [call_b] from the assistant message at index 3; its text is kept");
    }

    @Test
    void trailingPartialAnswersKeepOnlyTheAnsweredCalls() {
        // given
        ArrayNode messages = conversation(user("q"), assistant(null, "call_a", "call_b", "call_c"), tool("call_b"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(user("q"), assistant(null, "call_b"), tool("call_b")));
        assertThat(result.changes()).containsExactly(
                "removed unanswered tool calls [call_a, call_c] from the assistant message at index 1");
    }

    @Test
    void multipleSequencesAreHealedIndependently() {
        // given
        ArrayNode messages = conversation(
                user("q"),
                assistant(null, "call_a"), tool("call_a"),
                assistant(null, "call_b", "call_c"), tool("call_c"), tool("call_x"),
                assistant("Text.", "call_d"), user("interrupt"), tool("call_d"),
                assistant(null, "call_e"), tool("call_e"),
                assistant("done"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isEqualTo(conversation(
                user("q"),
                assistant(null, "call_a"), tool("call_a"),
                assistant(null, "call_c"), tool("call_c"),
                assistant("Text."), user("interrupt"),
                assistant(null, "call_e"), tool("call_e"),
                assistant("done")));
        assertThat(result.changes()).containsExactly(
                "dropped tool result at index 5 (tool_call_id call_x matches no call of the assistant message at "
                        + "index 3)",
                "removed unanswered tool calls [call_b] from the assistant message at index 3",
                "removed unanswered tool calls [call_d] from the assistant message at index 6; its text is kept",
                "dropped orphan tool result at index 8 (tool_call_id call_d)");
    }

    @Test
    void callsWithoutIdsNeedNoAnswer() {
        // given
        ObjectNode onlyIdless = assistant(null, "call_a");
        ((ObjectNode) onlyIdless.get("tool_calls").get(0)).remove("id");
        ArrayNode messages = conversation(user("q"), onlyIdless, user("r"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.messages()).isSameAs(messages);
    }

    @Test
    void callsWithoutIdsAreKeptWhenOtherCallsAreRemoved() {
        // given
        ObjectNode mixed = assistant(null, "call_a", "call_b");
        ((ObjectNode) mixed.get("tool_calls").get(0)).remove("id");
        ArrayNode messages = conversation(user("q"), mixed, user("r"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        ObjectNode expected = mixed.deepCopy();
        ((ArrayNode) expected.get("tool_calls")).remove(1);
        assertThat(result.messages()).isEqualTo(conversation(user("q"), expected, user("r")));
        assertThat(result.changes()).containsExactly(
                "removed unanswered tool calls [call_b] from the assistant message at index 1");
    }

    @Test
    void inputIsNotMutated() {
        // given
        ArrayNode messages = conversation(
                tool("call_0"), user("q"), assistant("Text.", "call_a", "call_b"), tool("call_b"), user("r"),
                assistant(null, "call_c"));
        ArrayNode before = messages.deepCopy();

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.changes()).isNotEmpty();
        assertThat(result.messages()).isNotSameAs(messages);
        assertThat(messages).isEqualTo(before);
    }

    @Test
    void changesNeverQuoteMessageContent() {
        // given
        ArrayNode messages = conversation(
                tool("call_0"), user("my secret plan"), assistant("secret reply", "call_a"), user("secret again"));

        // when
        HealResult result = ConversationHealer.heal(messages);

        // then
        assertThat(result.changes()).hasSize(2).noneMatch(change -> change.contains("secret"));
    }

    private static ArrayNode conversation(JsonNode... messages) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (JsonNode m : messages) {
            array.add(m);
        }
        return array;
    }

    private static ObjectNode system(String text) {
        return Json.MAPPER.createObjectNode().put("role", "system").put("content", text);
    }

    private static ObjectNode user(String text) {
        return Json.MAPPER.createObjectNode().put("role", "user").put("content", text);
    }

    /** An assistant message; content null when text is null, and one function call per id. */
    private static ObjectNode assistant(String text, String... callIds) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", text);
        if (callIds.length > 0) {
            ArrayNode calls = message.putArray("tool_calls");
            for (String id : callIds) {
                ObjectNode call = calls.addObject().put("id", id).put("type", "function");
                call.putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"" + id + "\"}");
            }
        }
        return message;
    }

    private static ObjectNode tool(String callId) {
        return Json.MAPPER.createObjectNode().put("role", "tool").put("tool_call_id", callId)
                .put("content", "result of " + callId);
    }
}
