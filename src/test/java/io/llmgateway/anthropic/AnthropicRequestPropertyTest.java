package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.config.OutputTokenLimits;
import io.llmgateway.config.ReasoningBucket;
import io.llmgateway.testing.QuietLogs;
import io.llmgateway.testing.RandomJson;
import io.llmgateway.testing.SeededCases;
import io.llmgateway.upstream.ConversationHealer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property tests of {@link AnthropicRequestTranslator}: whatever the body, it either translates or rejects with
 * {@link AnthropicRequestException}, and what it returns is a well-formed OpenAI request the healer accepts (and whose body the token counter,
 * which runs next, can count).
 *
 * <p>Deterministic: every case has its own seed, printed with the failing input; replay one by setting
 * {@code -Dprop.seed=<seed>} (the property then runs that single case).
 */
class AnthropicRequestPropertyTest {
    private static final String MODEL = "gpt-4.1";
    private static final long BASE_SEED = 0x5EED_A17L;
    private static final int RANDOM_CASES = 4_000;
    private static final int STRUCTURED_CASES = 4_000;
    private static final int VALID_CASES = 1_500;
    private static final int MUTATED_CASES = 6_000;
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final int MAX_DEPTH = 190;
    private static final TokenCounter COUNTER = new TokenCounter("o200k_base");

    private static QuietLogs quietLogs;

    /** Evaluate every log message (their suppliers may throw too) but print none of them. */
    @BeforeAll
    static void muteLogs() {
        quietLogs = QuietLogs.mute(AnthropicRequestTranslator.class, ConversationHealer.class);
    }

    @AfterAll
    static void restoreLogs() {
        quietLogs.restore();
    }

    @Test
    @Timeout(60)
    void arbitraryJsonIsTranslatedOrRejectedWithARequestException() {
        // given
        int[] outcomes = new int[2];

        // when
        forEachCase(1, RANDOM_CASES, (seed, json) -> {
            JsonNode body = json.chance(0.8) ? randomObject(json) : json.value(6);
            outcomes[check(seed, body, settings(json)) ? 0 : 1]++;
        });

        // then
        assertThat(outcomes[1]).as("some random bodies are rejected").isPositive();
    }

    @Test
    @Timeout(60)
    void structurallyPlausibleRandomRequestsAreTranslatedOrRejectedWithARequestException() {
        // given
        int[] outcomes = new int[2];

        // when
        forEachCase(2, STRUCTURED_CASES, (seed, json) -> {
            JsonNode body = plausible(json);
            outcomes[check(seed, body, settings(json)) ? 0 : 1]++;
        });

        // then
        assertThat(outcomes[0]).as("some plausible bodies translate").isPositive();
        assertThat(outcomes[1]).as("some plausible bodies are rejected").isPositive();
    }

    @Test
    @Timeout(60)
    void realisticRequestsAreAlwaysTranslated() {
        // given / when / then
        forEachCase(3, VALID_CASES, (seed, json) -> {
            JsonNode body = new RealisticRequest(json).build();
            TranslationSettings settings = settings(json);
            try {
                AnthropicRequestTranslation translation =
                        AnthropicRequestTranslator.translate(body, MODEL, catalogMax(json), settings);
                wellFormed(seed, body, translation, settings);
                tokensCounted(seed, body);
            } catch (AnthropicRequestException e) {
                throw new AssertionError("a valid request was rejected: " + ascii(e.getMessage()) + "\n"
                        + replay(seed, body));
            }
        });
    }

    @Test
    @Timeout(60)
    void mutatedRealisticRequestsAreTranslatedOrRejectedWithARequestException() {
        // given
        int[] outcomes = new int[3];

        // when
        forEachCase(4, MUTATED_CASES, (seed, json) -> {
            JsonNode valid = new RealisticRequest(json).build();
            JsonNode body = json.mutated(valid, json.between(1, 6));
            if (depth(body) > MAX_DEPTH) {
                outcomes[2]++; // the body parser rejects it before translation
                return;
            }
            outcomes[check(seed, body, settings(json)) ? 0 : 1]++;
        });

        // then
        assertThat(outcomes[0]).as("some mutated requests still translate").isGreaterThan(MUTATED_CASES / 10);
        assertThat(outcomes[1]).as("some mutated requests are rejected").isGreaterThan(MUTATED_CASES / 10);
    }

    // ---- the property -------------------------------------------------------------------------------------

    interface Case {
        void run(long seed, RandomJson json);
    }

    private static void forEachCase(int stream, int count, Case property) {
        SeededCases.forEach(BASE_SEED * 31 + stream, count, (seed, random) -> property.run(seed, new RandomJson(random)));
    }

    /** True when translated (and the result is well-formed), false when rejected with a request exception. */
    private static boolean check(long seed, JsonNode body, TranslationSettings settings) {
        AnthropicRequestTranslation translation;
        JsonNode before = body.deepCopy();
        try {
            translation = AnthropicRequestTranslator.translate(body, MODEL, null, settings);
        } catch (AnthropicRequestException e) {
            inputUnchanged(seed, before, body);
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("rejected without a message\n" + replay(seed, body), e);
            }
            return false;
        } catch (Throwable e) {
            throw new AssertionError("threw " + e + "\n" + replay(seed, body), e);
        }
        inputUnchanged(seed, before, body);
        wellFormed(seed, body, translation, settings);
        tokensCounted(seed, body);
        return true;
    }

    /** The caller estimates the input tokens of every body it translated; that must not fail either. */
    private static void tokensCounted(long seed, JsonNode body) {
        int tokens;
        try {
            tokens = COUNTER.countRequest(body);
        } catch (Throwable e) {
            throw new AssertionError("counting tokens threw " + e + "\n" + replay(seed, body), e);
        }
        if (tokens < 0) {
            throw new AssertionError("counted " + tokens + " tokens\n" + replay(seed, body));
        }
    }

    /** The caller counts tokens on the body after translating it, so the translator must not touch it. */
    private static void inputUnchanged(long seed, JsonNode before, JsonNode body) {
        if (!before.equals(body)) {
            throw new AssertionError("the translator changed its input\n" + replay(seed, before));
        }
    }

    private static void wellFormed(long seed, JsonNode body, AnthropicRequestTranslation translation,
            TranslationSettings settings) {
        ObjectNode openAi = translation.openAiRequest();
        try {
            openAiRequestIsWellFormed(openAi, settings);
            ArrayNode messages = (ArrayNode) openAi.get("messages");
            ConversationHealer.HealResult healed = ConversationHealer.heal(messages);
            messagesAreWellFormed(healed.messages());
            toolSequencesAreAnswered(healed.messages());
            byte[] wire = Json.MAPPER.writeValueAsBytes(openAi);
            assertThat(Json.MAPPER.readTree(wire).toString()).as("the request survives the wire")
                    .isEqualTo(openAi.toString());
        } catch (Throwable e) {
            throw new AssertionError("translation is not well-formed: " + ascii(e.getMessage()) + "\n"
                    + replay(seed, body) + "\ntranslated to: " + abbreviate(openAi));
        }
    }

    private static void openAiRequestIsWellFormed(ObjectNode openAi, TranslationSettings settings) {
        assertThat(openAi.path("model").asText()).isEqualTo(MODEL);
        assertThat(openAi.get("messages")).isInstanceOf(ArrayNode.class);
        messagesAreWellFormed((ArrayNode) openAi.get("messages"));
        String field = settings.maxTokensField();
        String other = "max_tokens".equals(field) ? "max_completion_tokens" : "max_tokens";
        assertThat(openAi.path(field).isIntegralNumber()).as(field + " is an integer").isTrue();
        assertThat(openAi.get(field).bigIntegerValue().signum()).as(field + " is positive").isPositive();
        assertThat(openAi.has(other)).as("only " + field + " is sent").isFalse();
        if (openAi.has("stream_options")) {
            assertThat(openAi.path("stream").asBoolean()).as("stream_options only with stream").isTrue();
        }
        Set<String> functions = new HashSet<>();
        if (openAi.has("tools")) {
            JsonNode tools = openAi.get("tools");
            assertThat(tools.isArray() && !tools.isEmpty()).as("tools is a non-empty array").isTrue();
            for (JsonNode tool : tools) {
                assertThat(tool.path("type").asText()).isEqualTo("function");
                String name = functionName(tool.path("function"));
                assertThat(functions.add(name)).as("function names are unique: " + name).isTrue();
                assertThat(tool.path("function").path("parameters").isObject()).as("parameters is an object")
                        .isTrue();
            }
        }
        JsonNode choice = openAi.get("tool_choice");
        if (choice != null) {
            assertThat(functions).as("tool_choice only with tools").isNotEmpty();
            if (choice.isTextual()) {
                assertThat(choice.asText()).isIn("auto", "required", "none");
            } else {
                assertThat(functions).contains(functionName(choice.path("function")));
            }
        }
        if (openAi.has("user")) {
            assertThat(openAi.get("user").isTextual() && openAi.get("user").asText().length() <= 256).isTrue();
        }
        noCacheControl(openAi, "");
    }

    private static void messagesAreWellFormed(ArrayNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages." + i;
            assertThat(message.isObject()).as(where + " is an object").isTrue();
            assertThat(message.path("role").isTextual()).as(where + ".role is a string").isTrue();
            String role = message.get("role").asText();
            assertThat(role).as(where + ".role").isIn(ROLES);
            JsonNode content = message.get("content");
            switch (role) {
                case "tool" -> {
                    assertThat(message.path("tool_call_id").isTextual()).as(where + ".tool_call_id").isTrue();
                    assertThat(content != null && content.isTextual()).as(where + ".content is a string").isTrue();
                }
                case "system" -> assertThat(content != null && content.isTextual() && !content.asText().isEmpty())
                        .as(where + ".content is a non-empty string").isTrue();
                case "user" -> {
                    assertThat(content != null && (content.isTextual() || content.isArray() && !content.isEmpty()))
                            .as(where + ".content is a string or parts").isTrue();
                    for (JsonNode part : content.isArray() ? content : Json.MAPPER.createArrayNode()) {
                        assertThat(part.path("type").asText()).as(where + " part type")
                                .isIn("text", "image_url", "file");
                    }
                }
                default -> {
                    JsonNode calls = message.get("tool_calls");
                    assertThat(content != null && (content.isTextual() || content.isNull() && calls != null))
                            .as(where + ".content is a string, or null beside tool calls").isTrue();
                    if (calls != null) {
                        assertThat(calls.isArray() && !calls.isEmpty()).as(where + ".tool_calls").isTrue();
                        for (JsonNode call : calls) {
                            assertThat(call.path("id").isTextual()).as(where + " call id").isTrue();
                            assertThat(call.path("type").asText()).isEqualTo("function");
                            functionName(call.path("function"));
                            JsonNode arguments = call.path("function").path("arguments");
                            assertThat(arguments.isTextual()).as(where + " arguments is a string").isTrue();
                            try {
                                Json.MAPPER.readTree(arguments.asText());
                            } catch (Exception e) {
                                throw new AssertionError(where + " arguments are not JSON (" + e.getClass().getSimpleName() + "): "
                                        + arguments);
                            }
                        }
                    }
                }
            }
        }
    }

    /** What the healer promises: every answerable call is answered right after its assistant message. */
    private static void toolSequencesAreAnswered(ArrayNode messages) {
        Set<String> open = Set.of();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if ("tool".equals(role)) {
                String id = message.path("tool_call_id").asText();
                assertThat(open).as("messages." + i + " answers a call of the preceding assistant message")
                        .contains(id);
                assertThat(answered.add(id)).as("messages." + i + " answers " + id + " once").isTrue();
                continue;
            }
            assertThat(answered).as("calls answered before messages." + i).containsAll(open);
            open = new HashSet<>();
            answered = new HashSet<>();
            if ("assistant".equals(role)) {
                for (JsonNode call : message.path("tool_calls")) {
                    if (!call.path("id").asText().isEmpty()) {
                        open.add(call.path("id").asText());
                    }
                }
            }
        }
        assertThat(answered).as("calls answered at the end").containsAll(open);
    }

    private static String functionName(JsonNode function) {
        assertThat(function.path("name").isTextual()).as("function name is a string: " + function).isTrue();
        String name = function.get("name").asText();
        assertThat(name.length()).as("length of function name " + name).isLessThanOrEqualTo(ToolNames.MAX_LENGTH);
        return name;
    }

    /** No cache_control anywhere, except inside tool parameter schemas, which are copied whole on purpose. */
    private static void noCacheControl(JsonNode node, String path) {
        if (path.matches("tools\\.\\d+\\.function\\.parameters")) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(field.getKey()).as("field at " + path).isNotEqualTo("cache_control");
                noCacheControl(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                noCacheControl(node.get(i), path + "." + i);
            }
        }
    }

    private static String replay(long seed, JsonNode body) {
        return "seed " + seed + " (replay: -Dprop.seed=" + seed + ")\ninput: " + abbreviate(body);
    }

    /** ASCII-only JSON (hostile characters escaped), cut to a readable length. */
    private static String abbreviate(JsonNode node) {
        String text;
        try {
            text = Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            text = String.valueOf(node);
        }
        return text.length() <= 3_000 ? text : text.substring(0, 3_000) + "...(" + text.length() + " chars)";
    }

    /** Non-ASCII and control characters as escapes: surefire reports choke on lone surrogates and NULs. */
    static String ascii(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 3_000); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c >= ' ' && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() <= 3_000 ? out.toString() : out + "...(" + text.length() + " chars)";
    }

    private static int depth(JsonNode node) {
        int max = 0;
        for (JsonNode child : node) {
            max = Math.max(max, depth(child));
        }
        return node.isContainerNode() ? max + 1 : 0;
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static TranslationSettings settings(RandomJson json) {
        if (json.chance(0.5)) {
            return TranslationSettings.defaults();
        }
        List<ReasoningBucket> buckets = json.pick(List.of(), List.of(new ReasoningBucket("low", 1024),
                new ReasoningBucket("high", null)), TranslationSettings.defaults().reasoningBuckets());
        OutputTokenLimits limits = json.pick(new OutputTokenLimits(null, Map.of()), new OutputTokenLimits(8192,
                Map.of()), new OutputTokenLimits(null, Map.of(MODEL, 100)), new OutputTokenLimits(0, Map.of()));
        return new TranslationSettings(json.random().nextBoolean(), json.random().nextBoolean(),
                json.chance(0.1) ? null : buckets, json.pick("medium", "", null, "high"), json.random().nextBoolean(),
                json.chance(0.1) ? null : limits, json.pick("max_tokens", "max_completion_tokens"),
                json.random().nextBoolean());
    }

    private static Integer catalogMax(RandomJson json) {
        return json.pick(null, null, 4096, 128_000, 0, -1);
    }

    /** An object with random fields, some with the names the translator reads. */
    private static ObjectNode randomObject(RandomJson json) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        int fields = json.between(0, 8);
        for (int i = 0; i < fields; i++) {
            body.set(json.pick("model", "max_tokens", "messages", "system", "tools", "tool_choice", "thinking",
                    "metadata", "stop_sequences", "stream", "temperature", "top_p", json.string()), json.value(5));
        }
        return body;
    }

    /** The right skeleton (max_tokens, messages with roles and blocks) with random values inside it. */
    private static ObjectNode plausible(RandomJson json) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("max_tokens", json.chance(0.8) ? Json.MAPPER.getNodeFactory().numberNode(json.between(1, 9000))
                : json.number());
        ArrayNode messages = body.putArray("messages");
        int count = json.between(1, 6);
        for (int i = 0; i < count; i++) {
            ObjectNode message = messages.addObject();
            message.put("role", json.chance(0.9) ? json.pick("user", "assistant") : json.pick("system", "tool", ""));
            if (json.chance(0.3)) {
                message.set("content", json.chance(0.5) ? Json.MAPPER.getNodeFactory().textNode(json.string())
                        : json.value(3));
            } else {
                ArrayNode content = message.putArray("content");
                int blocks = json.between(0, 4);
                for (int b = 0; b < blocks; b++) {
                    ObjectNode block = content.addObject();
                    block.put("type", json.pick("text", "image", "document", "tool_use", "tool_result", "thinking",
                            "redacted_thinking", "search_result", "tool_reference", json.string()));
                    int fields = json.between(0, 4);
                    for (int f = 0; f < fields; f++) {
                        block.set(json.pick("text", "source", "id", "name", "input", "tool_use_id", "content",
                                "is_error", "thinking", "title", "tool_name", "cache_control"), json.value(3));
                    }
                }
            }
        }
        for (String field : List.of("system", "tools", "tool_choice", "thinking", "metadata", "stop_sequences",
                "stream", "temperature", "top_p")) {
            if (json.chance(0.2)) {
                body.set(field, json.value(3));
            }
        }
        return body;
    }

    /**
     * A valid Anthropic request as clients such as Claude Code send them: system text or blocks (with the billing
     * header and cache_control), a tool loop with results, images, documents and thinking, tools with long MCP
     * names and server tools, tool_choice, thinking, stop sequences and metadata.
     */
    static final class RealisticRequest {
        private final RandomJson json;
        private final List<String> toolNames = new ArrayList<>();
        private int nextId;

        RealisticRequest(RandomJson json) {
            this.json = json;
        }

        ObjectNode build() {
            ObjectNode request = Json.MAPPER.createObjectNode();
            request.put("model", json.pick("claude-sonnet-4-5", "claude-opus-4-1", "claude-3-5-haiku-latest"));
            request.put("max_tokens", json.pick(1, 1024, 8192, 32000, 64000, 128000));
            for (int i = json.between(0, 4); i > 0; i--) {
                toolNames.add(json.chance(0.3)
                        ? "mcp__" + "server_" + json.word().repeat(4) + "__" + json.word().repeat(6) + "_tool"
                        : json.pick("Read", "Bash", "Edit", "Grep", "WebFetch", "TodoWrite") + i);
            }
            if (json.chance(0.7)) {
                request.set("system", system());
            }
            request.set("messages", messages());
            if (!toolNames.isEmpty() || json.chance(0.1)) {
                request.set("tools", tools());
            }
            if (json.chance(0.3)) {
                ObjectNode choice = request.putObject("tool_choice");
                String type = json.pick("auto", "any", "none", "tool");
                choice.put("type", type);
                if ("tool".equals(type)) {
                    choice.put("name", toolNames.isEmpty() ? "Missing" : json.pick(toolNames));
                }
                if (json.chance(0.3)) {
                    choice.put("disable_parallel_tool_use", json.random().nextBoolean());
                }
            }
            if (json.chance(0.4)) {
                ObjectNode thinking = request.putObject("thinking");
                String type = json.pick("enabled", "adaptive", "disabled");
                thinking.put("type", type);
                if ("enabled".equals(type)) {
                    thinking.put("budget_tokens", json.pick(1024, 4096, 10000, 31999, 100000));
                }
            }
            if (json.chance(0.3)) {
                ArrayNode stop = request.putArray("stop_sequences");
                for (int i = json.between(0, 3); i > 0; i--) {
                    stop.add(json.pick("\n\nHuman:", "END", "```", json.hostileString(5)));
                }
            }
            if (json.chance(0.5)) {
                request.put("stream", json.random().nextBoolean());
            }
            if (json.chance(0.3)) {
                request.put("temperature", json.pick(0, 1)).put("top_p", 0.9);
            }
            if (json.chance(0.4)) {
                request.putObject("metadata").put("user_id", json.chance(0.2) ? json.hostileString(400)
                        : "user_" + json.word() + "_account_" + json.word() + "_session_" + json.word());
            }
            if (json.chance(0.2)) {
                request.put("service_tier", "auto").putObject("context_management").putArray("edits");
            }
            return request;
        }

        private JsonNode system() {
            if (json.chance(0.3)) {
                return Json.MAPPER.getNodeFactory().textNode(json.chance(0.3)
                        ? "x-anthropic-billing-header: cc_version=1.0; cch=abc\nYou are Claude Code."
                        : text());
            }
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            if (json.chance(0.5)) {
                blocks.addObject().put("type", "text").put("text", "x-anthropic-billing-header: cc_version=2.0.1");
            }
            for (int i = json.between(0, 3); i > 0; i--) {
                ObjectNode block = blocks.addObject().put("type", "text").put("text", text());
                cacheControl(block);
            }
            return blocks;
        }

        private ArrayNode messages() {
            ArrayNode messages = Json.MAPPER.createArrayNode();
            int turns = json.between(1, 8);
            List<String> pendingCalls = new ArrayList<>();
            for (int turn = 0; turn < turns; turn++) {
                ObjectNode user = messages.addObject().put("role", "user");
                if (pendingCalls.isEmpty() && json.chance(0.4)) {
                    user.put("content", text());
                } else {
                    user.set("content", userBlocks(pendingCalls));
                }
                pendingCalls.clear();
                if (turn == turns - 1 && json.chance(0.7)) {
                    break;
                }
                ObjectNode assistant = messages.addObject().put("role", "assistant");
                if (json.chance(0.2)) {
                    assistant.put("content", text());
                } else {
                    assistant.set("content", assistantBlocks(pendingCalls));
                }
                if (json.chance(0.03)) {
                    messages.addObject().put("role", "system").put("content", text());
                }
            }
            return messages;
        }

        private ArrayNode userBlocks(List<String> answering) {
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            for (String id : answering) {
                if (json.chance(0.9)) {
                    blocks.add(toolResult(id));
                }
            }
            if (json.chance(0.05)) {
                blocks.add(toolResult("toolu_unknown_" + json.word()));
            }
            int count = json.between(answering.isEmpty() ? 1 : 0, 3);
            for (int i = 0; i < count; i++) {
                ObjectNode block = switch (json.nextInt(8)) {
                    case 0 -> image();
                    case 1 -> document();
                    case 2 -> Json.MAPPER.createObjectNode().put("type", "search_result").put("title", "T")
                            .put("source", "https://example.com").set("content", Json.MAPPER.createArrayNode()
                                    .add(Json.MAPPER.createObjectNode().put("type", "text").put("text", text())));
                    case 3 -> Json.MAPPER.createObjectNode().put("type", "tool_reference")
                            .put("tool_name", toolNames.isEmpty() ? "Read" : json.pick(toolNames));
                    default -> Json.MAPPER.createObjectNode().put("type", "text").put("text", text());
                };
                cacheControl(block);
                blocks.add(block);
            }
            return blocks;
        }

        private ObjectNode toolResult(String id) {
            ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result").put("tool_use_id", id);
            switch (json.nextInt(4)) {
                case 0 -> {
                    // no content: an empty result
                }
                case 1 -> result.put("content", text());
                default -> {
                    ArrayNode content = result.putArray("content");
                    for (int i = json.between(0, 3); i > 0; i--) {
                        content.add(switch (json.nextInt(5)) {
                            case 0 -> image();
                            case 1 -> document();
                            case 2 -> Json.MAPPER.createObjectNode().put("type", "tool_reference")
                                    .put("tool_name", "Read");
                            default -> Json.MAPPER.createObjectNode().put("type", "text").put("text", text());
                        });
                    }
                }
            }
            if (json.chance(0.2)) {
                result.put("is_error", true);
            }
            cacheControl(result);
            return result;
        }

        private ArrayNode assistantBlocks(List<String> calls) {
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            if (json.chance(0.3)) {
                blocks.addObject().put("type", "thinking").put("thinking", text()).put("signature", "c2ln");
            }
            if (json.chance(0.05)) {
                blocks.addObject().put("type", "redacted_thinking").put("data", "ZW5jcnlwdGVk");
            }
            if (json.chance(0.7)) {
                blocks.addObject().put("type", "text").put("text", text());
            }
            if (!toolNames.isEmpty()) {
                for (int i = json.between(0, 3); i > 0; i--) {
                    String id = "toolu_" + (nextId++) + json.word();
                    ObjectNode call = blocks.addObject().put("type", "tool_use").put("id", id)
                            .put("name", json.pick(toolNames));
                    call.set("input", json.chance(0.8) ? Json.MAPPER.createObjectNode().put("path", text())
                            : Json.MAPPER.createObjectNode());
                    cacheControl(call);
                    calls.add(id);
                }
            }
            if (json.chance(0.05)) {
                blocks.addObject().put("type", "server_tool_use").put("id", "srvtoolu_1").put("name", "web_search")
                        .putObject("input").put("query", "q");
                blocks.addObject().put("type", "web_search_tool_result").put("tool_use_id", "srvtoolu_1")
                        .putArray("content");
            }
            return blocks;
        }

        private ArrayNode tools() {
            ArrayNode tools = Json.MAPPER.createArrayNode();
            for (String name : toolNames) {
                ObjectNode tool = tools.addObject().put("name", name).put("description", text());
                if (json.chance(0.2)) {
                    tool.put("type", "custom");
                }
                ObjectNode schema = tool.putObject("input_schema").put("type", "object");
                schema.putObject("properties").putObject("path").put("type", "string");
                schema.putArray("required").add("path");
                cacheControl(tool);
            }
            if (json.chance(0.3)) {
                tools.addObject().put("type", "web_search_20250305").put("name", "web_search").put("max_uses", 5);
            }
            return tools;
        }

        private ObjectNode image() {
            ObjectNode image = Json.MAPPER.createObjectNode().put("type", "image");
            ObjectNode source = image.putObject("source");
            switch (json.nextInt(3)) {
                case 0 -> source.put("type", "url").put("url", "https://example.com/cat.png");
                case 1 -> source.put("type", "file").put("file_id", "file_011");
                default -> source.put("type", "base64").put("media_type", json.pick("image/png", "image/jpeg"))
                        .put("data", "iVBORw0KGgo=");
            }
            return image;
        }

        private ObjectNode document() {
            ObjectNode document = Json.MAPPER.createObjectNode().put("type", "document");
            if (json.chance(0.5)) {
                document.put("title", json.pick("", "Spec", json.hostileString(8)));
            }
            ObjectNode source = document.putObject("source");
            switch (json.nextInt(5)) {
                case 0 -> source.put("type", "base64").put("media_type", "application/pdf").put("data", "JVBERi0=");
                case 1 -> source.put("type", "text").put("media_type", "text/plain").put("data", text());
                case 2 -> source.put("type", "url").put("url", "https://example.com/a.pdf");
                case 3 -> source.put("type", "file").put("file_id", "file_012");
                default -> source.put("type", "content").putArray("content")
                        .add(Json.MAPPER.createObjectNode().put("type", "text").put("text", text()))
                        .add(image());
            }
            if (json.chance(0.2)) {
                document.putObject("citations").put("enabled", true);
            }
            return document;
        }

        /** Never empty: Anthropic itself rejects empty text blocks, so a realistic request has none. */
        private String text() {
            String text = json.chance(0.9) ? json.hostileString(json.between(1, 30)) : json.string();
            return text.isEmpty() ? "…" : text;
        }

        private void cacheControl(ObjectNode block) {
            if (json.chance(0.2)) {
                block.putObject("cache_control").put("type", "ephemeral");
            }
        }
    }
}
