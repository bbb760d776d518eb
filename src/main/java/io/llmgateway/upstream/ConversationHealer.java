package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Repairs OpenAI chat tool-call sequences that upstreams reject: every assistant tool call must be followed
 * immediately by exactly one matching {@code tool} message. Clients break this when a tool loop is interrupted
 * (the user types before the result arrives, a result is lost, a history is trimmed).
 *
 * <p>One left-to-right pass. An assistant message with tool calls opens a sequence; the {@code tool} messages
 * right after it answer its call ids (unknown ids and duplicates are dropped) until every id is answered or
 * another message ends the sequence. Unanswered calls are then removed from the assistant message (its text
 * kept; the message dropped if it has none); {@code tool} messages outside a sequence are orphans and dropped.
 * Calls without an id cannot be answered, so they need no answer and are kept.
 *
 * <p>Pure: the input is never mutated. Unchanged messages are shared with the result, not copied.
 */
public final class ConversationHealer {

    /**
     * @param messages the healed messages: the very input instance when nothing needed fixing
     * @param changes  one human-readable line per change, with input indexes and call ids, never content
     */
    public record HealResult(ArrayNode messages, List<String> changes) {
    }

    private ConversationHealer() {
    }

    public static HealResult heal(ArrayNode messages) {
        List<String> changes = new ArrayList<>();
        List<JsonNode> kept = new ArrayList<>(messages.size());
        int n = messages.size();
        int i = 0;
        while (i < n) {
            JsonNode message = messages.get(i);
            if (isToolResult(message)) {
                changes.add("dropped orphan tool result at index " + i + " (tool_call_id " + callId(message) + ")");
                i++;
                continue;
            }
            JsonNode calls = message.path("tool_calls");
            if (!isAssistant(message) || !calls.isArray() || calls.isEmpty()) {
                kept.add(message);
                i++;
                continue;
            }
            Set<String> expected = new LinkedHashSet<>();
            for (JsonNode call : calls) {
                String id = idOf(call);
                if (id != null) {
                    expected.add(id);
                }
            }
            Set<String> answered = new LinkedHashSet<>();
            List<JsonNode> results = new ArrayList<>();
            int j = i + 1;
            for (; j < n && answered.size() < expected.size() && isToolResult(messages.get(j)); j++) {
                JsonNode result = messages.get(j);
                String id = callId(result);
                if (answered.contains(id)) {
                    changes.add("dropped duplicate tool result at index " + j + " (tool_call_id " + id + ")");
                } else if (!expected.contains(id)) {
                    changes.add("dropped tool result at index " + j + " (tool_call_id " + id
                            + " matches no call of the assistant message at index " + i + ")");
                } else {
                    answered.add(id);
                    results.add(result);
                }
            }
            JsonNode assistant = closeSequence((ObjectNode) message, i, calls, expected, answered, changes);
            if (assistant != null) {
                kept.add(assistant);
            }
            kept.addAll(results);
            i = j;
        }
        if (changes.isEmpty()) {
            return new HealResult(messages, List.of());
        }
        return new HealResult(messages.arrayNode(kept.size()).addAll(kept), List.copyOf(changes));
    }

    /** The assistant message as it may stay: unanswered calls removed, or null when nothing is left of it. */
    private static JsonNode closeSequence(ObjectNode assistant, int index, JsonNode calls, Set<String> expected,
            Set<String> answered, List<String> changes) {
        if (answered.size() == expected.size()) {
            return assistant;
        }
        Set<String> unanswered = new LinkedHashSet<>(expected);
        unanswered.removeAll(answered);
        ArrayNode keptCalls = assistant.arrayNode();
        for (JsonNode call : calls) {
            String id = idOf(call);
            if (id == null || answered.contains(id)) {
                keptCalls.add(call);
            }
        }
        ObjectNode healed = assistant.objectNode().setAll(assistant);
        if (!keptCalls.isEmpty()) {
            healed.set("tool_calls", keptCalls);
            changes.add("removed unanswered tool calls " + unanswered + " from the assistant message at index "
                    + index);
            return healed;
        }
        if (hasText(assistant.get("content"))) {
            healed.remove("tool_calls");
            changes.add("removed unanswered tool calls " + unanswered + " from the assistant message at index "
                    + index + "; its text is kept");
            return healed;
        }
        changes.add("dropped the assistant message at index " + index + ": tool calls " + unanswered
                + " unanswered and no text");
        return null;
    }

    private static boolean isAssistant(JsonNode message) {
        return message.isObject() && "assistant".equals(message.path("role").asText());
    }

    private static boolean isToolResult(JsonNode message) {
        return "tool".equals(message.path("role").asText());
    }

    /** A tool message's {@code tool_call_id}; null when missing, which matches no call. */
    private static String callId(JsonNode toolResult) {
        JsonNode id = toolResult.get("tool_call_id");
        return id != null && id.isTextual() ? id.textValue() : null;
    }

    /** A tool call's id; null when missing or empty, as such a call cannot be answered. */
    private static String idOf(JsonNode call) {
        JsonNode id = call.get("id");
        return id != null && id.isTextual() && !id.textValue().isEmpty() ? id.textValue() : null;
    }

    /** Non-empty string content, or content parts of which at least one carries non-empty text. */
    private static boolean hasText(JsonNode content) {
        if (content == null) {
            return false;
        }
        if (content.isTextual()) {
            return !content.textValue().isEmpty();
        }
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (!part.path("text").asText().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
