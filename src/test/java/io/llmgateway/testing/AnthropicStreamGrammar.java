package io.llmgateway.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks that an Anthropic Messages stream is one real clients accept (the "Anthropic streaming contract" in
 * REFERENCE.md), and rebuilds the final message from it as an SDK would. For every streaming test, unit or end
 * to end.
 *
 * <p>Rules: every frame has an {@code event:} line equal to its data's {@code type}; {@code message_start} comes
 * first (or the stream is a lone {@code error}); blocks open at index 0, 1, 2… and at most one is open; every
 * delta and stop is for the open block, and its delta type matches the block ({@code text_delta} ↔ text,
 * {@code input_json_delta} ↔ tool_use, {@code thinking_delta}/{@code signature_delta} ↔ thinking); a text block
 * has at least one non-empty {@code text_delta}; a thinking block gets a non-empty {@code signature_delta}
 * after its last {@code thinking_delta}; one {@code message_delta} with integer {@code usage.output_tokens},
 * after every block closed; {@code message_stop} last, unless an {@code error} ended the stream; nothing after
 * either. Violations throw {@link AssertionError} naming the frame.
 */
public final class AnthropicStreamGrammar {
    private static final Set<String> BLOCK_TYPES = Set.of("text", "tool_use", "thinking");

    /**
     * One parsed frame.
     *
     * @param event the {@code event:} line, null when the frame had none
     * @param data  the parsed {@code data:}
     */
    public record Frame(String event, JsonNode data) {
        /** The data's {@code type}, null when absent. */
        public String type() {
            return data.path("type").isTextual() ? data.get("type").asText() : null;
        }
    }

    private AnthropicStreamGrammar() {
    }

    /** Parses SSE text into frames; data that is not JSON is an {@link AssertionError}. */
    public static List<Frame> parse(String sse) {
        List<Frame> frames = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)))) {
            for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                JsonNode data;
                try {
                    data = Json.MAPPER.readTree(event.data());
                } catch (JsonProcessingException e) {
                    throw new AssertionError("frame #" + frames.size() + " (" + event.event()
                            + "): data is not JSON: " + event.data(), e);
                }
                frames.add(new Frame(event.event(), data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    /** Parses and {@linkplain #check(List) checks} SSE text; returns the frames for further assertions. */
    public static List<Frame> check(String sse) {
        List<Frame> frames = parse(sse);
        check(frames);
        return frames;
    }

    /** Checks frames against the grammar; see the class comment. */
    public static void check(List<Frame> frames) {
        if (frames.isEmpty()) {
            throw new AssertionError("empty stream: expected message_start first");
        }
        boolean started = false;
        String endedBy = null;
        boolean messageDelta = false;
        int nextIndex = 0;
        int openIndex = -1;
        String openType = null;
        boolean openHasText = false;
        boolean openSigned = false;
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            String where = "frame #" + i + " (" + frame.event() + ")";
            if (frame.event() == null) {
                throw new AssertionError(where + ": no event: line; data " + frame.data());
            }
            if (!frame.data().isObject()) {
                throw new AssertionError(where + ": data is not a JSON object: " + frame.data());
            }
            String type = frame.type();
            if (!frame.event().equals(type)) {
                throw new AssertionError(where + ": event line '" + frame.event() + "' but data type '" + type + "'");
            }
            if (endedBy != null) {
                throw new AssertionError(where + ": after the stream ended with " + endedBy);
            }
            if ("error".equals(type)) {
                JsonNode error = frame.data().path("error");
                if (!error.path("type").isTextual() || !error.path("message").isTextual()) {
                    throw new AssertionError(where + ": error without string error.type and error.message: "
                            + frame.data());
                }
                endedBy = "error";
                continue;
            }
            if (!started && !"message_start".equals(type)) {
                throw new AssertionError(where + ": message_start must come first");
            }
            JsonNode data = frame.data();
            switch (type) {
                case "message_start" -> {
                    if (started) {
                        throw new AssertionError(where + ": second message_start");
                    }
                    checkMessageStart(where, data.path("message"));
                    started = true;
                }
                case "ping" -> {
                    // allowed anywhere after message_start
                }
                case "content_block_start" -> {
                    if (messageDelta) {
                        throw new AssertionError(where + ": block started after message_delta");
                    }
                    if (openIndex >= 0) {
                        throw new AssertionError(where + ": block " + data.path("index")
                                + " started while block " + openIndex + " is still open");
                    }
                    int index = index(where, data);
                    if (index != nextIndex) {
                        throw new AssertionError(where + ": block index " + index + ", expected " + nextIndex);
                    }
                    openType = checkBlock(where, data.path("content_block"));
                    openIndex = index;
                    nextIndex++;
                    openHasText = false;
                    openSigned = false;
                }
                case "content_block_delta" -> {
                    int index = index(where, data);
                    if (index != openIndex) {
                        throw new AssertionError(where + ": delta for block " + index + " which is not open"
                                + (openIndex >= 0 ? " (open: " + openIndex + ")" : ""));
                    }
                    JsonNode delta = data.path("delta");
                    String deltaType = delta.path("type").asText(null);
                    if (deltaType == null) {
                        throw new AssertionError(where + ": delta without type: " + data);
                    }
                    switch (deltaType) {
                        case "text_delta" -> {
                            expectBlock(where, deltaType, openType, "text");
                            String text = string(where, delta, "text");
                            openHasText |= !text.isEmpty();
                        }
                        case "input_json_delta" -> {
                            expectBlock(where, deltaType, openType, "tool_use");
                            string(where, delta, "partial_json");
                        }
                        case "thinking_delta" -> {
                            expectBlock(where, deltaType, openType, "thinking");
                            string(where, delta, "thinking");
                            if (openSigned) {
                                throw new AssertionError(where + ": thinking_delta after the signature_delta");
                            }
                        }
                        case "signature_delta" -> {
                            expectBlock(where, deltaType, openType, "thinking");
                            if (string(where, delta, "signature").isEmpty()) {
                                throw new AssertionError(where + ": empty signature");
                            }
                            openSigned = true;
                        }
                        default -> throw new AssertionError(where + ": unknown delta type " + deltaType);
                    }
                }
                case "content_block_stop" -> {
                    int index = index(where, data);
                    if (index != openIndex) {
                        throw new AssertionError(where + ": stop for block " + index + " which is not open"
                                + (openIndex >= 0 ? " (open: " + openIndex + ")" : ""));
                    }
                    if ("text".equals(openType) && !openHasText) {
                        throw new AssertionError(where + ": empty text block " + index
                                + " (no non-empty text_delta); clients reject it in later turns");
                    }
                    if ("thinking".equals(openType) && !openSigned) {
                        throw new AssertionError(where + ": thinking block " + index
                                + " closed without a signature_delta; Claude Code drops it");
                    }
                    openIndex = -1;
                    openType = null;
                }
                case "message_delta" -> {
                    if (openIndex >= 0) {
                        throw new AssertionError(where + ": message_delta while block " + openIndex + " is open");
                    }
                    if (messageDelta) {
                        throw new AssertionError(where + ": second message_delta");
                    }
                    if (!data.path("delta").isObject() || !data.path("delta").path("stop_reason").isTextual()) {
                        throw new AssertionError(where + ": message_delta without delta.stop_reason: " + data);
                    }
                    JsonNode outputTokens = data.path("usage").path("output_tokens");
                    if (!outputTokens.isIntegralNumber() || outputTokens.longValue() < 0) {
                        throw new AssertionError(where + ": message_delta without integer usage.output_tokens: "
                                + data);
                    }
                    messageDelta = true;
                }
                case "message_stop" -> {
                    if (!messageDelta) {
                        throw new AssertionError(where + ": message_stop without a message_delta before it");
                    }
                    endedBy = "message_stop";
                }
                default -> throw new AssertionError(where + ": unknown event type " + type);
            }
        }
        if (endedBy == null) {
            throw new AssertionError("stream ended without message_stop or error"
                    + (openIndex >= 0 ? " (block " + openIndex + " still open)" : ""));
        }
    }

    /**
     * The final message a client assembles from checked frames: {@code message_start}'s message with content
     * blocks filled in (texts joined, tool inputs parsed from their {@code partial_json}, {@code {}} when none),
     * {@code stop_reason}/{@code stop_sequence} and the usage fields of {@code message_delta} applied.
     */
    public static ObjectNode accumulate(List<Frame> frames) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        List<StringBuilder> json = new ArrayList<>();
        for (Frame frame : frames) {
            JsonNode data = frame.data();
            switch (String.valueOf(frame.type())) {
                case "message_start" -> message = data.path("message").isObject()
                        ? data.path("message").deepCopy() : Json.MAPPER.createObjectNode();
                case "content_block_start" -> {
                    JsonNode content = message.get("content");
                    ArrayNode blocks = content instanceof ArrayNode array ? array : message.putArray("content");
                    blocks.add(data.path("content_block").deepCopy());
                    json.add(new StringBuilder());
                }
                case "content_block_delta" -> {
                    int index = data.path("index").asInt();
                    ObjectNode block = (ObjectNode) message.path("content").path(index);
                    JsonNode delta = data.path("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> block.put("text", block.path("text").asText() + delta.path("text").asText());
                        case "thinking_delta" -> block.put("thinking",
                                block.path("thinking").asText() + delta.path("thinking").asText());
                        case "signature_delta" -> block.put("signature", delta.path("signature").asText());
                        case "input_json_delta" -> json.get(index).append(delta.path("partial_json").asText());
                        default -> {
                            // checked by check()
                        }
                    }
                }
                case "content_block_stop" -> {
                    int index = data.path("index").asInt();
                    ObjectNode block = (ObjectNode) message.path("content").path(index);
                    if ("tool_use".equals(block.path("type").asText()) && !json.get(index).isEmpty()) {
                        try {
                            block.set("input", Json.MAPPER.readTree(json.get(index).toString()));
                        } catch (JsonProcessingException e) {
                            throw new AssertionError("tool_use block " + index + " input is not JSON: " + json.get(index), e);
                        }
                    }
                }
                case "message_delta" -> {
                    message.set("stop_reason", data.path("delta").path("stop_reason").deepCopy());
                    message.set("stop_sequence", data.path("delta").path("stop_sequence").deepCopy());
                    JsonNode usage = message.get("usage");
                    ObjectNode counts = usage instanceof ObjectNode object ? object : message.putObject("usage");
                    if (data.path("usage") instanceof ObjectNode delta) {
                        counts.setAll(delta);
                    }
                }
                default -> {
                    // ping, message_stop, error: nothing to accumulate
                }
            }
        }
        return message;
    }

    private static void checkMessageStart(String where, JsonNode message) {
        if (!"message".equals(message.path("type").asText()) || !"assistant".equals(message.path("role").asText())) {
            throw new AssertionError(where + ": message is not {type: message, role: assistant}: " + message);
        }
        if (!message.path("id").isTextual() || !message.path("model").isTextual()) {
            throw new AssertionError(where + ": message without string id and model: " + message);
        }
        if (!message.path("content").isArray() || !message.path("content").isEmpty()) {
            throw new AssertionError(where + ": message content must be []: " + message);
        }
        if (!message.path("usage").path("input_tokens").isIntegralNumber()) {
            throw new AssertionError(where + ": message without integer usage.input_tokens: " + message);
        }
    }

    private static String checkBlock(String where, JsonNode block) {
        String type = block.path("type").asText(null);
        if (type == null || !BLOCK_TYPES.contains(type)) {
            throw new AssertionError(where + ": unknown content block type " + type);
        }
        switch (type) {
            case "text" -> {
                if (!"".equals(block.path("text").asText(null))) {
                    throw new AssertionError(where + ": text block must start with text \"\": " + block);
                }
            }
            case "tool_use" -> {
                if (string(where, block, "id").isEmpty() || string(where, block, "name").isEmpty()
                        || !block.path("input").isObject()) {
                    throw new AssertionError(where + ": tool_use block needs id, name and input {}: " + block);
                }
            }
            default -> {
                string(where, block, "thinking");
                string(where, block, "signature");
            }
        }
        return type;
    }

    private static void expectBlock(String where, String deltaType, String openType, String expected) {
        if (!expected.equals(openType)) {
            throw new AssertionError(where + ": " + deltaType + " on a " + openType + " block");
        }
    }

    private static int index(String where, JsonNode data) {
        JsonNode index = data.path("index");
        if (!index.isIntegralNumber()) {
            throw new AssertionError(where + ": no integer index: " + data);
        }
        return index.intValue();
    }

    private static String string(String where, JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new AssertionError(where + ": " + field + " is not a string: " + node);
        }
        return value.asText();
    }
}
