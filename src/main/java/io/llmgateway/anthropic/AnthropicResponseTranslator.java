package io.llmgateway.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Translates a non-streaming OpenAI chat completion into an Anthropic message, and holds the mapping rules the
 * streaming {@link AnthropicStreamTranslator} shares.
 *
 * <p>Decisions, all chosen so that nothing an upstream sends can fail the request:
 * <ul>
 * <li>Only {@code choices[0]} is translated (Anthropic has no {@code n}).</li>
 * <li>Content order is {@code thinking} (from {@code reasoning_content}, else {@code reasoning}), {@code text}
 *     (only when non-empty; an OpenAI {@code refusal} counts as text), then {@code tool_use} blocks. A completion
 *     with nothing in it becomes {@code content: []}.</li>
 * <li>OpenAI upstreams produce no thinking signature, and Claude Code drops thinking blocks that have none, so
 *     every thinking block carries the constant placeholder {@link #THINKING_SIGNATURE}. It is stable (the same
 *     in every turn, so replayed history stays byte-identical) and means nothing to anyone but this gateway.</li>
 * <li>Tool arguments: empty → {@code {}}; a JSON object → itself; a JSON string that holds a JSON object (double
 *     encoding, seen in the wild) → that object; anything else → {@code {"_raw": "<the text>"}} with a warning. The
 *     raw text is kept rather than dropped so the tool's validation error shows the model what it actually sent.</li>
 * <li>Tool calls without a name are dropped with a warning (a nameless {@code tool_use} is unusable); calls
 *     without an id get a synthesized {@code toolu_…} id.</li>
 * <li>{@code finish_reason} is an open string: see {@link #stopReason}. Unknown values become {@code end_turn},
 *     because Anthropic clients switch on a closed set of stop reasons.</li>
 * <li>Usage: see {@link Usage}. Without upstream usage, {@code input_tokens} is 0 and {@code output_tokens} an
 *     estimate of about four characters per token.</li>
 * </ul>
 */
final class AnthropicResponseTranslator {
    private static final Logger LOG = Logger.getLogger(AnthropicResponseTranslator.class.getName());

    /**
     * The signature of every thinking block: a placeholder, since OpenAI-style upstreams sign nothing, but
     * non-empty because Claude Code drops unsigned thinking blocks.
     */
    static final String THINKING_SIGNATURE = "bGxtLWdhdGV3YXk6dW5zaWduZWQtdGhpbmtpbmc6djE=";
    /**
     * Field names and fixed values, quoted and encoded once: the generator copies their bytes instead of checking
     * every character for escaping, which was half of writing a short message.
     */
    private static final class Wire {
        static final SerializedString ID = new SerializedString("id");
        static final SerializedString TYPE = new SerializedString("type");
        static final SerializedString ROLE = new SerializedString("role");
        static final SerializedString MODEL = new SerializedString("model");
        static final SerializedString CONTENT = new SerializedString("content");
        static final SerializedString THINKING = new SerializedString("thinking");
        static final SerializedString SIGNATURE = new SerializedString("signature");
        static final SerializedString TEXT = new SerializedString("text");
        static final SerializedString STOP_REASON = new SerializedString("stop_reason");
        static final SerializedString STOP_SEQUENCE = new SerializedString("stop_sequence");
        static final SerializedString USAGE = new SerializedString("usage");
        static final SerializedString INPUT_TOKENS = new SerializedString("input_tokens");
        static final SerializedString OUTPUT_TOKENS = new SerializedString("output_tokens");
        static final SerializedString CACHE_CREATION_INPUT_TOKENS = new SerializedString("cache_creation_input_tokens");
        static final SerializedString CACHE_READ_INPUT_TOKENS = new SerializedString("cache_read_input_tokens");
        static final SerializedString NAME = new SerializedString("name");
        static final SerializedString INPUT = new SerializedString("input");
        // values
        static final SerializedString MESSAGE_VALUE = new SerializedString("message");
        static final SerializedString ASSISTANT_VALUE = new SerializedString("assistant");
        static final SerializedString THINKING_VALUE = new SerializedString("thinking");
        static final SerializedString TEXT_VALUE = new SerializedString("text");
        static final SerializedString TOOL_USE_VALUE = new SerializedString("tool_use");

        private Wire() {
        }
    }

    private AnthropicResponseTranslator() {
    }

    /** A translated message, written as JSON once the caller has a stream for it. */
    @FunctionalInterface
    interface Message {
        /** Writes the message; leaves {@code out} open and unflushed, so a container can still set its length. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The Anthropic message for an OpenAI completion. It is written by a generator straight into the caller's stream
     * as it is worked out: building it as a tree and serialising the tree, and then buffering and copying the bytes,
     * were a large part of translation's cost per request.
     *
     * @param openAiCompletion the upstream's JSON answer (all of it, or what {@link CompletionReader} kept)
     * @param clientModel      the model name the client asked for (echoed back)
     * @param toolNames        restores tool names shortened for the upstream
     * @param stopSequences    the client's {@code stop_sequences}, to tell which one matched
     * @param messageId        the {@code msg_…} id to answer with
     * @throws AnthropicResponseException when the upstream answered with an error object, before anything is written
     */
    static Message toMessage(JsonNode openAiCompletion, String clientModel, ToolNames toolNames,
            List<String> stopSequences, String messageId) {
        JsonNode error = AnthropicResponseException.errorOf(openAiCompletion);
        if (error != null) {
            throw AnthropicResponseException.from(error);
        }
        return out -> write(openAiCompletion, clientModel, toolNames, stopSequences, messageId, out);
    }

    private static void write(JsonNode openAiCompletion, String clientModel, ToolNames toolNames,
            List<String> stopSequences, String messageId, OutputStream out) throws IOException {
        JsonNode completion = openAiCompletion == null ? Json.MAPPER.missingNode() : openAiCompletion;
        JsonNode choice = firstChoice(completion.path("choices"));
        JsonNode message = choice.path("message");
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)) {
            json.writeStartObject();
            string(json, Wire.ID, messageId);
            constant(json, Wire.TYPE, Wire.MESSAGE_VALUE);
            constant(json, Wire.ROLE, Wire.ASSISTANT_VALUE);
            string(json, Wire.MODEL, clientModel);
            json.writeFieldName(Wire.CONTENT);
            json.writeStartArray();
            long outputChars = 0;

            String reasoning = reasoningText(message);
            if (!reasoning.isEmpty()) {
                json.writeStartObject();
                constant(json, Wire.TYPE, Wire.THINKING_VALUE);
                string(json, Wire.THINKING, reasoning);
                string(json, Wire.SIGNATURE, THINKING_SIGNATURE);
                json.writeEndObject();
                outputChars += reasoning.length();
            }

            String text = contentText(message.get("content"));
            String refusal = text(message.get("refusal"));
            boolean refused = text.isEmpty() && !refusal.isEmpty();
            if (refused) {
                text = refusal;
            }
            if (!text.isEmpty()) {
                json.writeStartObject();
                constant(json, Wire.TYPE, Wire.TEXT_VALUE);
                string(json, Wire.TEXT, text);
                json.writeEndObject();
                outputChars += text.length();
            }

            int tools = 0;
            JsonNode toolCalls = message.path("tool_calls");
            if (toolCalls.isArray()) {
                for (JsonNode call : toolCalls) {
                    JsonNode function = call.path("function");
                    String name = text(function.get("name"));
                    if (name.isEmpty()) {
                        LOG.warning("Dropping an upstream tool call without a function name");
                        continue;
                    }
                    String id = text(call.get("id"));
                    writeToolUse(json, id.isEmpty() ? syntheticToolId(messageId, tools) : id,
                            original(toolNames, name), function.get("arguments"));
                    outputChars += name.length() + text(function.get("arguments")).length();
                    tools++;
                }
            }
            JsonNode functionCall = message.path("function_call");
            if (functionCall.isObject() && !text(functionCall.get("name")).isEmpty()) {
                String name = text(functionCall.get("name"));
                writeToolUse(json, syntheticToolId(messageId, tools), original(toolNames, name),
                        functionCall.get("arguments"));
                tools++;
            }
            json.writeEndArray();

            String finishReason = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
            String matched = matchedStopSequence(choice, stopSequences);
            String stopReason = stopReason(finishReason, tools > 0, matched != null, refused);
            string(json, Wire.STOP_REASON, stopReason);
            string(json, Wire.STOP_SEQUENCE, "stop_sequence".equals(stopReason) ? matched : null);
            Usage usage = Usage.of(completion.get("usage"));
            json.writeFieldName(Wire.USAGE);
            json.writeStartObject();
            json.writeFieldName(Wire.INPUT_TOKENS);
            json.writeNumber(usage.inputTokens() == null ? 0 : usage.inputTokens());
            json.writeFieldName(Wire.OUTPUT_TOKENS);
            json.writeNumber(usage.outputTokens() == null ? estimateTokens(outputChars) : usage.outputTokens());
            json.writeFieldName(Wire.CACHE_CREATION_INPUT_TOKENS);
            json.writeNumber(usage.cacheCreationInputTokens());
            json.writeFieldName(Wire.CACHE_READ_INPUT_TOKENS);
            json.writeNumber(usage.cacheReadInputTokens());
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static void string(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    private static void constant(JsonGenerator json, SerializedString name, SerializedString value)
            throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    private static void writeToolUse(JsonGenerator json, String id, String name, JsonNode arguments)
            throws IOException {
        json.writeStartObject();
        constant(json, Wire.TYPE, Wire.TOOL_USE_VALUE);
        string(json, Wire.ID, id);
        string(json, Wire.NAME, name);
        json.writeFieldName(Wire.INPUT);
        json.writeTree(toolInput(arguments, name));
        json.writeEndObject();
    }

    /** The first choice with index 0 (or without an index); the missing node when there is none. */
    static JsonNode firstChoice(JsonNode choices) {
        if (!choices.isArray()) {
            return Json.MAPPER.missingNode();
        }
        for (JsonNode choice : choices) {
            if (choice.isObject() && (!choice.has("index") || choice.path("index").asInt(-1) == 0)) {
                return choice;
            }
        }
        return Json.MAPPER.missingNode();
    }

    /**
     * A tool's {@code input} for OpenAI {@code arguments}; never throws. See the class comment for the rules.
     */
    static ObjectNode toolInput(JsonNode arguments, String toolName) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return Json.MAPPER.createObjectNode();
        }
        if (arguments.isObject()) {
            return (ObjectNode) arguments.deepCopy();
        }
        String raw = arguments.isTextual() ? arguments.asText() : arguments.toString();
        if (raw.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode parsed = parse(raw);
        if (parsed != null && parsed.isTextual()) {
            JsonNode inner = parse(parsed.asText());
            if (inner != null && inner.isObject()) {
                return (ObjectNode) inner;
            }
        }
        if (parsed != null && parsed.isObject()) {
            return (ObjectNode) parsed;
        }
        LOG.warning(() -> "Arguments of tool call " + toolName + " are not a JSON object ("
                + raw.length() + " characters); passing them on as {\"_raw\": ...}");
        ObjectNode wrapped = Json.MAPPER.createObjectNode();
        wrapped.put("_raw", raw);
        return wrapped;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Anthropic's {@code stop_reason} for an OpenAI {@code finish_reason} (an open string; null when absent):
     * <ul>
     * <li>{@code length} (or {@code max_tokens}) → {@code max_tokens};</li>
     * <li>{@code content_filter} (or {@code refusal}) → {@code refusal};</li>
     * <li>{@code tool_calls}, {@code function_call} (or {@code tool_use}) → {@code tool_use} when a tool_use block
     *     was produced, else {@code end_turn};</li>
     * <li>anything else ({@code stop}, null, unknown values): {@code tool_use} when tool_use blocks were produced
     *     (some upstreams report {@code stop} with tool calls), {@code refusal} when the answer was an OpenAI
     *     refusal, {@code stop_sequence} when the upstream reported which client stop sequence matched, otherwise
     *     {@code end_turn}.</li>
     * </ul>
     */
    static String stopReason(String finishReason, boolean toolUse, boolean stopSequenceMatched, boolean refused) {
        String reason = finishReason == null ? "" : finishReason.toLowerCase(Locale.ROOT);
        switch (reason) {
            case "length", "max_tokens":
                return "max_tokens";
            case "content_filter", "refusal":
                return "refusal";
            case "tool_calls", "function_call", "tool_use":
                return toolUse ? "tool_use" : "end_turn";
            default:
                if (toolUse) {
                    return "tool_use";
                }
                if (refused) {
                    return "refusal";
                }
                return stopSequenceMatched ? "stop_sequence" : "end_turn";
        }
    }

    /**
     * The client stop sequence the upstream says it stopped on: vLLM's {@code choices[].stop_reason} or SGLang's
     * {@code matched_stop}, when it is a string among {@code stopSequences}; otherwise null.
     */
    static String matchedStopSequence(JsonNode choice, List<String> stopSequences) {
        if (stopSequences == null || stopSequences.isEmpty() || choice == null) {
            return null;
        }
        for (String field : new String[] {"stop_reason", "matched_stop"}) {
            JsonNode value = choice.get(field);
            if (value != null && value.isTextual() && stopSequences.contains(value.asText())) {
                return value.asText();
            }
        }
        return null;
    }

    /** Thinking text of a message or delta: {@code reasoning_content}, else {@code reasoning}; "" when none. */
    static String reasoningText(JsonNode messageOrDelta) {
        String text = text(messageOrDelta.get("reasoning_content"));
        return text.isEmpty() ? text(messageOrDelta.get("reasoning")) : text;
    }

    /** Text of an OpenAI {@code content}: a string, or the texts of a parts array; "" otherwise. */
    static String contentText(JsonNode content) {
        if (content == null) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    text.append(part.asText());
                } else if (part.path("text").isTextual()
                        && ("text".equals(part.path("type").asText("text")))) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return "";
    }

    /** The string value of a node; "" when it is absent or not a string. */
    static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    static String original(ToolNames toolNames, String upstreamName) {
        return toolNames == null ? upstreamName : toolNames.original(upstreamName);
    }

    /**
     * An id for a tool call the upstream sent without one: {@code toolu_} plus the message id's own characters
     * and the call's position, so it is unique in the conversation and matches Anthropic's id pattern.
     */
    static String syntheticToolId(String messageId, int position) {
        String base = messageId == null ? "" : messageId.startsWith("msg_") ? messageId.substring(4) : messageId;
        return "toolu_" + base.replaceAll("[^A-Za-z0-9_-]", "") + "_" + position;
    }

    /** Roughly four characters per token, the usual rule of thumb for English text and code. */
    static long estimateTokens(long chars) {
        return (chars + 3) / 4;
    }

    /**
     * OpenAI usage in Anthropic terms. Anthropic's {@code input_tokens} counts only uncached input, so
     * {@code input_tokens = prompt_tokens − cache_read − cache_creation} (never below 0), where cache reads come
     * from {@code prompt_tokens_details.cached_tokens} (else DeepSeek's {@code prompt_cache_hit_tokens}, else a
     * passed-through {@code cache_read_input_tokens}) and cache creation from a passed-through
     * {@code cache_creation_input_tokens} (LiteLLM), 0 when unknown.
     *
     * @param inputTokens  null when the upstream reported no {@code prompt_tokens}
     * @param outputTokens null when the upstream reported no {@code completion_tokens}
     */
    record Usage(Long inputTokens, Long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens) {
        static final Usage NONE = new Usage(null, null, 0, 0);

        static Usage of(JsonNode usage) {
            if (usage == null || !usage.isObject()) {
                return NONE;
            }
            Long prompt = count(usage.get("prompt_tokens"));
            Long completion = count(usage.get("completion_tokens"));
            Long cacheRead = count(usage.path("prompt_tokens_details").get("cached_tokens"));
            if (cacheRead == null) {
                cacheRead = count(usage.get("prompt_cache_hit_tokens"));
            }
            if (cacheRead == null) {
                cacheRead = count(usage.get("cache_read_input_tokens"));
            }
            long read = cacheRead == null ? 0 : cacheRead;
            Long cacheCreation = count(usage.get("cache_creation_input_tokens"));
            long creation = cacheCreation == null ? 0 : cacheCreation;
            Long input = prompt == null ? null : Math.max(0, prompt - read - creation);
            return new Usage(input, completion, creation, read);
        }

        private static Long count(JsonNode node) {
            if (node == null || !node.isNumber() || !node.canConvertToLong()) {
                return null;
            }
            return Math.max(0, node.longValue());
        }
    }
}
