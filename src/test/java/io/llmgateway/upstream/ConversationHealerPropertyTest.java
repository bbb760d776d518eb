package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.testing.RandomJson;
import io.llmgateway.testing.SeededCases;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property tests of {@link ConversationHealer}: it heals every request's messages, including the OpenAI
 * pass-through's, which are whatever the client sent. For any array it neither throws nor touches its input;
 * it only drops messages and tool calls, never invents or reorders them; afterwards every answerable call is
 * answered right after its assistant message, every tool message answers one; and healing again changes nothing.
 *
 * <p>Deterministic: every case has its own seed, printed with the failing input; replay one by setting
 * {@code -Dprop.seed=<seed>} (the property then runs that single case).
 */
class ConversationHealerPropertyTest {
    private static final long BASE_SEED = 0x4EA1L;
    private static final int CASES = 6_000;

    @Test
    @Timeout(60)
    void anyMessagesHealIntoAnsweredToolCallSequencesAndHealingAgainChangesNothing() {
        forEachCase(CASES, (seed, json) -> {
            // given
            ArrayNode messages = switch (json.nextInt(4)) {
                case 0 -> randomArray(json);
                case 1 -> asArray(json.mutated(conversation(json), json.between(1, 4)), json);
                default -> conversation(json);
            };
            ArrayNode before = messages.deepCopy();

            // when
            ConversationHealer.HealResult healed;
            ConversationHealer.HealResult again;
            try {
                healed = ConversationHealer.heal(messages);
                again = ConversationHealer.heal(healed.messages());
            } catch (Throwable e) {
                throw new AssertionError("heal threw " + e + "\n" + replay(seed, before), e);
            }

            // then
            try {
                check(before.equals(messages), "the input was changed");
                check(healed.changes().isEmpty() == (healed.messages() == messages),
                        "the input instance is returned exactly when nothing changed");
                onlyDropped(messages, healed.messages());
                answered(healed.messages());
                check(again.changes().isEmpty(), "healing again changed " + again.changes());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + replay(seed, before) + "\nhealed: "
                        + ascii(healed.messages().toString()) + "\nchanges: " + healed.changes());
            }
        });
    }

    // ---- properties ---------------------------------------------------------------------------------------

    /** The result is the input minus messages, in order; an assistant message may lose tool calls only. */
    private static void onlyDropped(ArrayNode input, ArrayNode result) {
        int k = 0;
        for (int r = 0; r < result.size(); r++) {
            JsonNode kept = result.get(r);
            while (k < input.size() && !sameOrFewerCalls(input.get(k), kept)) {
                k++;
            }
            check(k < input.size(), "result message " + r + " is not an input message in order");
            k++;
        }
    }

    private static boolean sameOrFewerCalls(JsonNode original, JsonNode kept) {
        if (original == kept) {
            return true;
        }
        if (!(original instanceof ObjectNode before) || !(kept instanceof ObjectNode after)) {
            return false;
        }
        ObjectNode withoutCalls = before.deepCopy();
        withoutCalls.remove("tool_calls");
        ObjectNode keptWithoutCalls = after.deepCopy();
        keptWithoutCalls.remove("tool_calls");
        if (!withoutCalls.equals(keptWithoutCalls)) {
            return false;
        }
        int from = 0;
        JsonNode calls = before.path("tool_calls");
        for (JsonNode call : after.path("tool_calls")) {
            while (from < calls.size() && !calls.get(from).equals(call)) {
                from++;
            }
            if (from++ >= calls.size()) {
                return false;
            }
        }
        return true;
    }

    /** Every tool message answers a call of the assistant message before its run; every answerable call is answered. */
    private static void answered(ArrayNode messages) {
        Set<String> open = Set.of();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if ("tool".equals(message.path("role").asText())) {
                JsonNode id = message.get("tool_call_id");
                check(id != null && id.isTextual() && open.contains(id.asText()),
                        "tool message " + i + " answers no call of the assistant message before it");
                check(answered.add(id.asText()), "tool message " + i + " answers " + id + " a second time");
                continue;
            }
            check(answered.containsAll(open), "calls " + open + " unanswered before message " + i);
            open = new HashSet<>();
            answered = new HashSet<>();
            if (message.isObject() && "assistant".equals(message.path("role").asText())) {
                for (JsonNode call : message.path("tool_calls")) {
                    JsonNode id = call.get("id");
                    if (id != null && id.isTextual() && !id.asText().isEmpty()) {
                        open.add(id.asText());
                    }
                }
            }
        }
        check(answered.containsAll(open), "calls " + open + " unanswered at the end");
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static final String[] IDS = {"call_1", "call_2", "call_3", ""};

    /** OpenAI chat messages in which tool calls and results are mostly, but not always, paired. */
    private static ArrayNode conversation(RandomJson json) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (int i = json.between(0, 10); i > 0; i--) {
            switch (json.nextInt(6)) {
                case 0 -> messages.addObject().put("role", json.pick("system", "user", "developer"))
                        .put("content", json.hostileString(3));
                case 1, 2 -> {
                    ObjectNode assistant = messages.addObject().put("role", "assistant");
                    switch (json.nextInt(4)) {
                        case 0 -> assistant.putNull("content");
                        case 1 -> assistant.put("content", json.pick("", "ok"));
                        case 2 -> assistant.putArray("content").addObject().put("type", "text")
                                .put("text", json.pick("", "ok"));
                        default -> {
                            // no content at all
                        }
                    }
                    if (json.chance(0.8)) {
                        ArrayNode calls = assistant.putArray("tool_calls");
                        for (int c = json.between(0, 3); c > 0; c--) {
                            ObjectNode call = calls.addObject().put("type", "function");
                            if (json.chance(0.9)) {
                                call.put("id", json.pick(IDS));
                            }
                            call.putObject("function").put("name", "f").put("arguments", "{}");
                        }
                    }
                }
                default -> {
                    ObjectNode tool = messages.addObject().put("role", "tool").put("content", "r");
                    if (json.chance(0.9)) {
                        tool.put("tool_call_id", json.pick(IDS));
                    }
                }
            }
        }
        return messages;
    }

    private static ArrayNode randomArray(RandomJson json) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (int i = json.between(0, 8); i > 0; i--) {
            messages.add(json.value(4));
        }
        return messages;
    }

    private static ArrayNode asArray(JsonNode node, RandomJson json) {
        return node instanceof ArrayNode array ? array : randomArray(json);
    }

    interface Case {
        void run(long seed, RandomJson json);
    }

    private static void forEachCase(int count, Case property) {
        SeededCases.forEach(BASE_SEED, count, (seed, random) -> property.run(seed, new RandomJson(random)));
    }

    private static String replay(long seed, JsonNode input) {
        String text = ascii(input.toString());
        return "seed " + seed + " (replay: -Dprop.seed=" + seed + ")\ninput: "
                + (text.length() <= 3_000 ? text : text.substring(0, 3_000) + "...");
    }

    private static String ascii(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 3_000); i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
