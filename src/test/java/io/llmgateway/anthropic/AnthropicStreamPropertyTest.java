package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.testing.AnthropicStreamGrammar;
import io.llmgateway.testing.QuietLogs;
import io.llmgateway.testing.RandomJson;
import io.llmgateway.testing.SeededCases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property tests of {@link AnthropicStreamTranslator} and {@link AnthropicResponseTranslator}: whatever the
 * upstream sends, in whatever order, and however the stream ends, the client gets a stream that satisfies
 * {@link AnthropicStreamGrammar}; the same chunks read as a non-streaming completion give a message or an
 * {@link AnthropicResponseException}, never an empty text block.
 *
 * <p>Deterministic: every case has its own seed, printed with the failing input; replay one by setting
 * {@code -Dprop.seed=<seed>} (the property then runs that single case).
 */
class AnthropicStreamPropertyTest {
    private static final long BASE_SEED = 0x57EA_4L;
    private static final int STREAM_CASES = 4_000;
    private static final int WELL_BEHAVED_CASES = 1_500;
    private static final int COMPLETION_CASES = 6_000;
    private static final String MESSAGE_ID = "msg_01PropertyTest";
    private static final String LONG_TOOL = "mcp__a_very_long_server_name_for_testing__a_tool_with_an_even_longer_name";
    private static final Set<String> STOP_REASONS = Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use",
            "refusal");

    private static QuietLogs quietLogs;

    /** Evaluate every log message (their suppliers may throw too) but print none of them. */
    @BeforeAll
    static void muteLogs() {
        quietLogs = QuietLogs.mute(AnthropicStreamTranslator.class, AnthropicResponseTranslator.class);
    }

    @AfterAll
    static void restoreLogs() {
        quietLogs.restore();
    }

    @Test
    @Timeout(60)
    void anyChunkSequenceAndEndingGivesAGrammaticalStream() {
        // given
        int[] endings = new int[4];

        // when
        forEachCase(1, STREAM_CASES, (seed, json) -> {
            List<JsonNode> chunks = new Chunks(json).sequence(json.between(0, 40));
            int ending = json.pick(0, 0, 0, 1, 2, 3);
            endings[ending]++;
            String sse;
            try {
                sse = stream(json, chunks, ending);
            } catch (Throwable e) {
                throw new AssertionError("the translator threw " + e + "\n" + replay(seed, chunks), e);
            }

            // then
            try {
                AnthropicStreamGrammar.check(sse);
            } catch (AssertionError e) {
                throw new AssertionError("ungrammatical stream: " + AnthropicRequestPropertyTest.ascii(e.getMessage())
                        + "\n" + replay(seed, chunks) + "\nstream:\n" + AnthropicRequestPropertyTest.ascii(sse));
            }
        });
        assertThat(endings).as("cases per ending").doesNotContain(0);
    }

    @Test
    @Timeout(60)
    void wellBehavedStreamsLoseNoTextAndReassembleEveryToolCall() {
        forEachCase(2, WELL_BEHAVED_CASES, (seed, json) -> {
            // given
            WellBehaved upstream = new WellBehaved(json);
            List<JsonNode> chunks = upstream.chunks();
            ToolNames toolNames = new ToolNames();
            toolNames.upstream(LONG_TOOL);

            // when
            AnthropicStreamTranslator translator = new AnthropicStreamTranslator(MESSAGE_ID, "claude-sonnet-4-5", 10,
                    toolNames, List.of());
            List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());
            chunks.forEach(chunk -> events.addAll(translator.onChunk(chunk)));
            events.addAll(translator.onEnd());

            // then
            String sse = sse(events);
            try {
                ObjectNode message = AnthropicStreamGrammar.accumulate(AnthropicStreamGrammar.check(sse));
                StringBuilder text = new StringBuilder();
                StringBuilder thinking = new StringBuilder();
                Map<String, JsonNode> calls = new LinkedHashMap<>();
                for (JsonNode block : message.path("content")) {
                    switch (block.path("type").asText()) {
                        case "text" -> text.append(block.path("text").asText());
                        case "thinking" -> thinking.append(block.path("thinking").asText());
                        default -> calls.put(block.path("id").asText(),
                                Json.MAPPER.createObjectNode().put("name", block.path("name").asText())
                                        .set("input", block.path("input")));
                    }
                }
                // Lone surrogates cannot be encoded in UTF-8; the stream carries them as '?'.
                assertThat(text.toString()).as("text").isEqualTo(utf8(upstream.text.toString()));
                assertThat(thinking.toString()).as("thinking").isEqualTo(utf8(upstream.thinking.toString()));
                assertThat(calls).as("tool calls").isEqualTo(upstream.expectedCalls());
                assertThat(message.path("stop_reason").asText())
                        .isEqualTo(calls.isEmpty() ? upstream.stopReasonWithoutTools : "tool_use");
            } catch (AssertionError e) {
                throw new AssertionError(AnthropicRequestPropertyTest.ascii(e.getMessage()) + "\n"
                        + replay(seed, chunks) + "\nstream:\n" + AnthropicRequestPropertyTest.ascii(sse));
            }
        });
    }

    @Test
    @Timeout(60)
    void anyChunkReadAsACompletionGivesAMessageOrAResponseException() {
        // given
        int[] outcomes = new int[2];

        // when
        forEachCase(3, COMPLETION_CASES, (seed, json) -> {
            JsonNode chunk = new Chunks(json).chunk();
            JsonNode completion = json.chance(0.5) ? asCompletion(chunk) : chunk;
            List<String> stopSequences = json.chance(0.5) ? List.of() : List.of("END", "\n\nHuman:");
            byte[] answer;
            ObjectNode message;
            try {
                answer = Json.MAPPER.writeValueAsBytes(completion);
                // the upstream's bytes, read as the gateway reads them and as a whole tree: the same outcome
                String lean = outcome(() -> CompletionReader.read(new ByteArrayInputStream(answer)), stopSequences);
                String whole = outcome(() -> Json.MAPPER.readTree(answer), stopSequences);
                assertThat(lean).as("lean read").isEqualTo(whole);
                if (lean.startsWith("error ")) {
                    outcomes[1]++;
                    assertThat(Integer.parseInt(lean.substring(6, 9))).as(lean).isBetween(400, 599);
                    return;
                }
                message = (ObjectNode) Json.MAPPER.readTree(lean);
            } catch (Throwable e) {
                throw new AssertionError("threw " + e + "\n" + replay(seed, List.of(completion)), e);
            }
            outcomes[0]++;

            // then
            try {
                isAnthropicMessage(message);
            } catch (AssertionError e) {
                throw new AssertionError(AnthropicRequestPropertyTest.ascii(e.getMessage()) + "\n"
                        + replay(seed, List.of(completion)) + "\nmessage: " + AnthropicRequestPropertyTest.ascii(
                        message.toString()));
            }
        });
        assertThat(outcomes).as("messages and errors").doesNotContain(0);
    }

    interface CompletionRead {
        JsonNode read() throws IOException;
    }

    /** The message's JSON text, or {@code error <status> <message>} when the completion is an upstream error. */
    private static String outcome(CompletionRead completion, List<String> stopSequences) throws IOException {
        try {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            AnthropicResponseTranslator.toMessage(completion.read(), "claude-sonnet-4-5", new ToolNames(),
                    stopSequences, MESSAGE_ID).writeTo(message);
            return message.toString(StandardCharsets.UTF_8);
        } catch (AnthropicResponseException e) {
            return "error " + e.status() + " " + e.getMessage();
        }
    }

    // ---- running and checking -----------------------------------------------------------------------------

    interface Case {
        void run(long seed, RandomJson json);
    }

    private static void forEachCase(int stream, int count, Case property) {
        SeededCases.forEach(BASE_SEED * 31 + stream, count, (seed, random) -> property.run(seed, new RandomJson(random)));
    }

    /**
     * The SSE a client receives for the chunks and one of four endings: onEnd; onFailure; onFailure then onEnd;
     * onEnd then late chunks and a failure. Pings go out only while the stream is open, as the relay sends them.
     */
    private static String stream(RandomJson json, List<JsonNode> chunks, int ending) {
        ToolNames toolNames = new ToolNames();
        toolNames.upstream(LONG_TOOL);
        AnthropicStreamTranslator translator = new AnthropicStreamTranslator(MESSAGE_ID,
                json.pick("claude-sonnet-4-5", "\u2028\"model\""), json.pick(0, 17, -5, Integer.MAX_VALUE), toolNames,
                json.pick(List.of(), List.of("END"), List.of("", "\n\nHuman:", "END")));
        List<AnthropicStreamEvent> events = new ArrayList<>();
        if (json.chance(0.8)) {
            events.addAll(translator.start());
        }
        for (JsonNode chunk : chunks) {
            events.addAll(translator.onChunk(chunk));
            if (json.chance(0.05) && translator.state() != AnthropicStreamTranslator.State.FINISHED) {
                events.add(translator.ping());
            }
            if (json.chance(0.02)) {
                events.addAll(translator.start());
            }
        }
        String type = json.pick(null, "", " ", "api_error", "timeout_error", "overloaded_error");
        String message = json.pick(null, "", "The upstream connection failed mid-stream: reset", "\u2028\n\r");
        switch (ending) {
            case 0 -> events.addAll(translator.onEnd());
            case 1 -> events.addAll(translator.onFailure(type, message));
            case 2 -> {
                events.addAll(translator.onFailure(type, message));
                events.addAll(translator.onEnd());
            }
            default -> {
                events.addAll(translator.onEnd());
                events.addAll(translator.onChunk(new Chunks(json).chunk()));
                events.addAll(translator.onFailure(type, message));
                events.addAll(translator.onEnd());
            }
        }
        for (AnthropicStreamEvent event : events) {
            assertThat(event.data().path("type").asText()).as("data type of event " + event.type())
                    .isEqualTo(event.type());
        }
        return sse(events);
    }

    private static String sse(List<AnthropicStreamEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (AnthropicStreamEvent event : events) {
            out.writeBytes(event.toSse());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The text as it comes out of UTF-8: lone surrogates become '?'. */
    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** A chunk as a non-streaming completion: every choice's {@code delta} becomes its {@code message}. */
    private static JsonNode asCompletion(JsonNode chunk) {
        JsonNode copy = chunk.deepCopy();
        if (copy.path("choices").isArray()) {
            for (JsonNode choice : copy.get("choices")) {
                if (choice instanceof ObjectNode object && object.has("delta")) {
                    object.set("message", object.remove("delta"));
                }
            }
        }
        return copy;
    }

    private static void isAnthropicMessage(ObjectNode message) {
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").isArray()).as("content is an array").isTrue();
        for (JsonNode block : message.get("content")) {
            switch (block.path("type").asText()) {
                case "text" -> assertThat(block.path("text").asText()).as("text block").isNotEmpty();
                case "thinking" -> {
                    assertThat(block.path("thinking").asText()).as("thinking block").isNotEmpty();
                    assertThat(block.path("signature").asText()).as("signature").isNotEmpty();
                }
                case "tool_use" -> {
                    assertThat(block.path("id").asText()).as("tool_use id").isNotEmpty();
                    assertThat(block.path("name").asText()).as("tool_use name").isNotEmpty();
                    assertThat(block.path("input").isObject()).as("tool_use input is an object").isTrue();
                }
                default -> throw new AssertionError("unknown block " + block);
            }
        }
        assertThat(message.path("stop_reason").asText()).isIn(STOP_REASONS);
        for (String count : List.of("input_tokens", "output_tokens", "cache_creation_input_tokens",
                "cache_read_input_tokens")) {
            JsonNode value = message.path("usage").path(count);
            assertThat(value.isIntegralNumber() && value.longValue() >= 0).as("usage." + count + ": " + value)
                    .isTrue();
        }
    }

    private static String replay(long seed, List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder("seed " + seed + " (replay: -Dprop.seed=" + seed + ")\nchunks:");
        for (JsonNode chunk : chunks) {
            String line = AnthropicRequestPropertyTest.ascii(chunk.toString());
            text.append("\n  ").append(line.length() <= 400 ? line : line.substring(0, 400) + "...");
        }
        return text.toString();
    }

    // ---- generators ---------------------------------------------------------------------------------------

    /** Upstream chunks from a vocabulary of real OpenAI shapes, broken ones and random JSON. */
    static final class Chunks {
        private static final List<String> FRAGMENTS = List.of("{", "}", "{\"path\":", "\"a.txt\"", "}", "[", "]",
                "\"", "\\\"", "\\", "{\"a\":1}", "  ", "", "\"x\":[1,{\"y\":\"}\"}]", ",", "null", "1", "{}",
                "{\"command\":\"ls -la\"}", "\n");

        private final RandomJson json;

        Chunks(RandomJson json) {
            this.json = json;
        }

        List<JsonNode> sequence(int length) {
            List<JsonNode> chunks = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                chunks.add(chunk());
            }
            return chunks;
        }

        JsonNode chunk() {
            int kind = json.nextInt(100);
            if (kind < 8) {
                return json.value(4);
            }
            if (kind < 20) {
                return json.mutated(realistic(), json.between(1, 3));
            }
            return realistic();
        }

        /** One chunk of a real shape (possibly with odd values). */
        ObjectNode realistic() {
            int kind = json.nextInt(100);
            if (kind < 4 && json.chance(0.3)) {
                return error();
            }
            if (kind < 10) {
                ObjectNode usage = envelope();
                usage.putArray("choices");
                usage.set("usage", usage());
                return usage;
            }
            if (kind < 14) {
                return oddChoices();
            }
            ObjectNode chunk = envelope();
            ObjectNode choice = chunk.putArray("choices").addObject();
            if (json.chance(0.9)) {
                choice.put("index", 0);
            }
            ObjectNode delta = choice.putObject("delta");
            if (kind < 20) {
                delta.put("role", "assistant");
                if (json.chance(0.5)) {
                    delta.put("content", "");
                }
            } else if (kind < 45) {
                delta.set("content", content());
            } else if (kind < 55) {
                delta.put(json.chance(0.7) ? "reasoning_content" : "reasoning", text());
                if (json.chance(0.2)) {
                    delta.putNull("content");
                }
            } else if (kind < 58) {
                delta.put("refusal", text());
            } else if (kind < 85) {
                ArrayNode calls = delta.putArray("tool_calls");
                for (int i = json.between(1, 3); i > 0; i--) {
                    calls.add(toolCall());
                }
            } else if (kind < 88) {
                ObjectNode call = delta.putObject("function_call");
                if (json.chance(0.6)) {
                    call.put("name", json.pick("Read", LONG_TOOL.substring(0, 55) + "_0123abcd", ""));
                }
                call.put("arguments", json.pick(FRAGMENTS));
            }
            if (kind >= 88 || json.chance(0.1)) {
                choice.set("finish_reason", finishReason());
            } else if (json.chance(0.5)) {
                choice.putNull("finish_reason");
            }
            if (json.chance(0.05)) {
                choice.put(json.pick("stop_reason", "matched_stop"), json.pick("END", "\n\nHuman:", "other"));
            }
            if (json.chance(0.1)) {
                chunk.set("usage", usage());
            }
            return chunk;
        }

        private ObjectNode envelope() {
            ObjectNode chunk = Json.MAPPER.createObjectNode();
            if (json.chance(0.8)) {
                chunk.put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("created", 1)
                        .put("model", "upstream");
            }
            return chunk;
        }

        private JsonNode content() {
            if (json.chance(0.1)) {
                ArrayNode parts = Json.MAPPER.createArrayNode();
                for (int i = json.between(0, 3); i > 0; i--) {
                    if (json.chance(0.2)) {
                        parts.add(text());
                    } else {
                        parts.addObject().put("type", json.pick("text", "text", "image_url", "output_text"))
                                .put("text", text());
                    }
                }
                return parts;
            }
            if (json.chance(0.05)) {
                return Json.MAPPER.nullNode();
            }
            return Json.MAPPER.getNodeFactory().textNode(text());
        }

        private String text() {
            return json.chance(0.15) ? "" : json.chance(0.9) ? json.hostileString(json.between(1, 12)) : json.string();
        }

        private ObjectNode toolCall() {
            ObjectNode call = Json.MAPPER.createObjectNode();
            if (json.chance(0.85)) {
                call.set("index", json.chance(0.9) ? Json.MAPPER.getNodeFactory().numberNode(json.between(0, 2))
                        : json.pick(Json.MAPPER.getNodeFactory().textNode("0"),
                                Json.MAPPER.getNodeFactory().numberNode(-1),
                                Json.MAPPER.getNodeFactory().numberNode(BigInteger.TWO.pow(40)),
                                Json.MAPPER.getNodeFactory().numberNode(1.5), Json.MAPPER.nullNode()));
            }
            if (json.chance(0.4)) {
                call.set("id", json.chance(0.9)
                        ? Json.MAPPER.getNodeFactory().textNode(json.pick("call_a", "call_b", "call_c", ""))
                        : json.pick(Json.MAPPER.nullNode(), Json.MAPPER.getNodeFactory().numberNode(7)));
            }
            if (json.chance(0.4)) {
                call.put("type", "function");
            }
            if (json.chance(0.95)) {
                ObjectNode function = call.putObject("function");
                if (json.chance(0.4)) {
                    function.set("name", json.chance(0.9)
                            ? Json.MAPPER.getNodeFactory().textNode(json.pick("Read", "Bash", "",
                                    ToolNames.shorten(LONG_TOOL), json.hostileString(3)))
                            : json.scalar());
                }
                if (json.chance(0.85)) {
                    function.set("arguments", json.chance(0.9)
                            ? Json.MAPPER.getNodeFactory().textNode(json.pick(FRAGMENTS))
                            : json.chance(0.5) ? Json.MAPPER.createObjectNode().put("a", 1) : json.scalar());
                }
            }
            return call;
        }

        private JsonNode finishReason() {
            return json.chance(0.9)
                    ? Json.MAPPER.getNodeFactory().textNode(json.pick("stop", "length", "tool_calls", "content_filter",
                            "function_call", "", "STOP", "eos", "max_tokens", "refusal", "tool_use"))
                    : json.scalar();
        }

        private JsonNode usage() {
            if (json.chance(0.1)) {
                return json.scalar();
            }
            ObjectNode usage = Json.MAPPER.createObjectNode();
            for (String field : List.of("prompt_tokens", "completion_tokens", "total_tokens",
                    "prompt_cache_hit_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")) {
                if (json.chance(0.5)) {
                    usage.set(field, json.chance(0.7) ? Json.MAPPER.getNodeFactory().numberNode(json.between(0, 5000))
                            : json.scalar());
                }
            }
            if (json.chance(0.3)) {
                usage.putObject("prompt_tokens_details").set("cached_tokens", json.chance(0.7)
                        ? Json.MAPPER.getNodeFactory().numberNode(json.between(0, 5000)) : json.scalar());
            }
            return usage;
        }

        private ObjectNode error() {
            ObjectNode chunk = Json.MAPPER.createObjectNode();
            switch (json.nextInt(5)) {
                case 0 -> chunk.putObject("error").put("message", text()).put("type", json.pick("server_error",
                        "rate_limit_exceeded", "invalid_request_error", "")).set("code", json.scalar());
                case 1 -> chunk.put("error", text());
                case 2 -> chunk.put("object", "error").put("message", text()).put("code", json.pick(400, 429, 500, 7));
                case 3 -> chunk.put("error", false).putArray("choices");
                default -> chunk.set("error", json.value(2));
            }
            return chunk;
        }

        private ObjectNode oddChoices() {
            ObjectNode chunk = envelope();
            switch (json.nextInt(6)) {
                case 0 -> chunk.set("choices", json.scalar());
                case 1 -> chunk.putArray("choices").add(json.scalar());
                case 2 -> chunk.putArray("choices").addObject().put("index", 0).set("delta", json.scalar());
                case 3 -> chunk.putArray("choices").addObject().put("index", 1).putObject("delta").put("content", "x");
                case 4 -> chunk.putArray("choices").addObject().put("index", 0).putObject("message")
                        .put("content", text());
                default -> {
                    ArrayNode choices = chunk.putArray("choices");
                    choices.addObject().put("index", 1).putObject("delta").put("content", "ignored");
                    choices.addObject().put("index", 0).putObject("delta").put("content", text());
                }
            }
            return chunk;
        }
    }

    /**
     * A well-behaved upstream: text, reasoning and up to three tool calls whose arguments (valid JSON objects)
     * are split at random points and interleaved in random order, each call introduced with index, id and name.
     */
    static final class WellBehaved {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        String stopReasonWithoutTools = "end_turn";
        private final RandomJson json;
        private final List<ObjectNode> inputs = new ArrayList<>();
        private final List<String> names = new ArrayList<>();

        WellBehaved(RandomJson json) {
            this.json = json;
        }

        List<JsonNode> chunks() {
            // Each source is a queue of deltas; they are interleaved at random, keeping each source's order.
            List<List<ObjectNode>> sources = new ArrayList<>();
            if (json.chance(0.5)) {
                sources.add(pieces("reasoning_content", json.hostileString(json.between(1, 60)), thinking));
            }
            if (json.chance(0.8)) {
                sources.add(pieces("content", json.hostileString(json.between(1, 60)), text));
            }
            int calls = json.between(0, 3);
            for (int i = 0; i < calls; i++) {
                sources.add(toolCall(i));
            }
            List<JsonNode> chunks = new ArrayList<>();
            ObjectNode first = chunk();
            ((ObjectNode) first.get("choices").get(0).get("delta")).put("role", "assistant");
            chunks.add(first);
            boolean sequential = json.chance(0.3);
            while (!sources.isEmpty()) {
                int pick = sequential ? 0 : json.nextInt(sources.size());
                List<ObjectNode> source = sources.get(pick);
                ObjectNode chunk = chunk();
                ((ObjectNode) chunk.get("choices").get(0)).set("delta", source.remove(0));
                chunks.add(chunk);
                if (source.isEmpty()) {
                    sources.remove(pick);
                }
            }
            ObjectNode last = chunk();
            String finish = calls > 0 ? json.pick("tool_calls", "stop") : json.pick("stop", "length");
            stopReasonWithoutTools = "length".equals(finish) ? "max_tokens" : "end_turn";
            ((ObjectNode) last.get("choices").get(0)).put("finish_reason", finish);
            chunks.add(last);
            if (json.chance(0.5)) {
                ObjectNode usage = Json.MAPPER.createObjectNode();
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5);
                chunks.add(usage);
            }
            return chunks;
        }

        Map<String, JsonNode> expectedCalls() {
            Map<String, JsonNode> calls = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode input;
                try {
                    input = Json.MAPPER.readTree(utf8(inputs.get(i).toString()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                calls.put("call_" + i, Json.MAPPER.createObjectNode().put("name", names.get(i)).set("input", input));
            }
            return calls;
        }

        private List<ObjectNode> pieces(String field, String whole, StringBuilder expected) {
            expected.append(whole);
            List<ObjectNode> deltas = new ArrayList<>();
            for (String piece : split(whole)) {
                deltas.add(Json.MAPPER.createObjectNode().put(field, piece));
            }
            return deltas;
        }

        private List<ObjectNode> toolCall(int i) {
            ObjectNode input = Json.MAPPER.createObjectNode();
            input.put("path", json.hostileString(json.between(0, 10)));
            if (json.chance(0.3)) {
                input.set("nested", json.value(2));
            }
            inputs.add(input);
            String name = json.pick("Read", "Bash", LONG_TOOL);
            names.add(name);
            List<ObjectNode> deltas = new ArrayList<>();
            boolean first = true;
            for (String piece : split(input.toString())) {
                ObjectNode call = Json.MAPPER.createObjectNode().put("index", i);
                if (first) {
                    call.put("id", "call_" + i).put("type", "function");
                }
                ObjectNode function = call.putObject("function");
                if (first) {
                    function.put("name", LONG_TOOL.equals(name) ? ToolNames.shorten(name) : name);
                }
                function.put("arguments", piece);
                first = false;
                ObjectNode delta = Json.MAPPER.createObjectNode();
                delta.putArray("tool_calls").add(call);
                deltas.add(delta);
            }
            return deltas;
        }

        /** The string cut at random points (never inside a surrogate pair), every piece non-empty. */
        private List<String> split(String whole) {
            List<String> pieces = new ArrayList<>();
            int start = 0;
            while (start < whole.length()) {
                int end = Math.min(whole.length(), start + json.between(1, Math.max(12, whole.length() / 30)));
                if (end < whole.length() && Character.isHighSurrogate(whole.charAt(end - 1))
                        && Character.isLowSurrogate(whole.charAt(end))) {
                    end++;
                }
                pieces.add(whole.substring(start, end));
                start = end;
            }
            return pieces;
        }

        private ObjectNode chunk() {
            ObjectNode chunk = Json.MAPPER.createObjectNode().put("id", "chatcmpl-1")
                    .put("object", "chat.completion.chunk");
            chunk.putArray("choices").addObject().put("index", 0).putObject("delta");
            return chunk;
        }
    }
}
