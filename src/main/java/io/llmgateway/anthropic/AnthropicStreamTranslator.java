package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The state machine that turns OpenAI {@code chat.completion.chunk} objects into Anthropic stream events. Pure:
 * no I/O, no threads, not thread-safe (one instance per response). The caller writes each returned event with
 * {@link AnthropicStreamEvent#toSse()}, sends {@link #ping()} while the upstream is silent, and calls
 * {@link #onEnd()} at {@code [DONE]} or the end of the upstream stream, or {@link #onFailure} when it breaks.
 *
 * <h2>What comes out</h2>
 * {@code message_start} (with the estimated input tokens) and a {@code ping}; content blocks in index order
 * 0, 1, 2…, each {@code content_block_start} → deltas → {@code content_block_stop}, one open at a time; then
 * {@code message_delta} (held until the end so it carries the final usage) and {@code message_stop}. Or, at
 * any point after the start, one {@code error} event that ends the stream.
 *
 * <h2>How upstream content becomes blocks</h2>
 * The upstream has parallel <em>channels</em>: text ({@code content}, {@code refusal}), thinking
 * ({@code reasoning_content}, else {@code reasoning}) and one per tool call. Exactly one channel owns the open
 * block; its fragments are emitted at once. Fragments of any other channel are buffered and the channel queued.
 * The open block is given up for the first openable queued channel when it may be left: a text or thinking block
 * at any time (a later fragment opens a new block), a tool block only once its arguments form a complete JSON
 * value, since a closed tool block cannot take the rest of its arguments. That serialises interleaved parallel
 * tool calls without loss. A tool block can open only once its name and id are known (they may arrive in
 * separate chunks); at the end, a call still without id gets a synthesized {@code toolu_…} id and a call that
 * never got a name is dropped with a warning. Text blocks open only for non-empty text, so there are no empty
 * text blocks. A thinking block receives the placeholder
 * {@link AnthropicResponseTranslator#THINKING_SIGNATURE} as a {@code signature_delta} just before it closes.
 *
 * <h2>Stop reason and usage</h2>
 * {@code finish_reason} (which may come with content, or never) maps as in
 * {@link AnthropicResponseTranslator#stopReason}; without one, {@code tool_use} if tool blocks were emitted,
 * else {@code end_turn}. The last upstream {@code usage} seen (on every chunk or only in a final
 * {@code choices:[]} chunk) goes into {@code message_delta}; without one, {@code output_tokens} is estimated from
 * the streamed characters (also when the upstream claims 0 after content streamed) and input counts are left
 * to {@code message_start}'s estimate.
 */
final class AnthropicStreamTranslator {
    private static final Logger LOG = Logger.getLogger(AnthropicStreamTranslator.class.getName());

    /** Where the machine is; the {@code IN_*} states name the kind of the open block. */
    enum State {
        /** Nothing sent yet. */
        NOT_STARTED,
        /** {@code message_start} sent, no block open. */
        IN_MESSAGE,
        IN_TEXT,
        IN_THINKING,
        IN_TOOL,
        /** {@code message_stop} or {@code error} sent; everything else is ignored. */
        FINISHED
    }

    private enum Kind {
        TEXT, THINKING, TOOL
    }

    /** One upstream source of content; see the class comment. */
    private static final class Channel {
        final Kind kind;
        /** Fragments that arrived while another channel owned the open block. */
        final StringBuilder pending = new StringBuilder();
        final ArgumentsScan arguments = new ArgumentsScan();
        String id;
        String name;
        boolean queued;
        boolean opened;
        boolean closed;

        Channel(Kind kind) {
            this.kind = kind;
        }
    }

    private final String messageId;
    private final String clientModel;
    private final int estimatedInputTokens;
    private final ToolNames toolNames;
    private final List<String> stopSequences;

    private State state = State.NOT_STARTED;
    private final Channel text = new Channel(Kind.TEXT);
    private final Channel thinking = new Channel(Kind.THINKING);
    private final List<Channel> queue = new ArrayList<>();
    private final List<Channel> tools = new ArrayList<>();
    private final Map<Integer, Channel> toolsByUpstreamIndex = new HashMap<>();
    private Channel lastTool;
    private Channel open;
    private int openIndex = -1;
    private int nextIndex;
    private int toolBlocks;
    private long outputChars;
    private boolean refused;
    private String finishReason;
    private String matchedStop;
    private JsonNode usage;

    AnthropicStreamTranslator(String messageId, String clientModel, int estimatedInputTokens, ToolNames toolNames,
            List<String> stopSequences) {
        this.messageId = messageId;
        this.clientModel = clientModel;
        this.estimatedInputTokens = Math.max(0, estimatedInputTokens);
        this.toolNames = toolNames;
        this.stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }

    State state() {
        return state;
    }

    /** {@code message_start} and one {@code ping}; nothing when already started. */
    List<AnthropicStreamEvent> start() {
        if (state != State.NOT_STARTED) {
            return List.of();
        }
        state = State.IN_MESSAGE;
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", clientModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode messageUsage = message.putObject("usage");
        messageUsage.put("input_tokens", estimatedInputTokens);
        messageUsage.put("output_tokens", 0);
        messageUsage.put("cache_creation_input_tokens", 0);
        messageUsage.put("cache_read_input_tokens", 0);
        ObjectNode data = data("message_start");
        data.set("message", message);
        return List.of(new AnthropicStreamEvent("message_start", data), ping());
    }

    /** A keep-alive {@code ping} event. */
    AnthropicStreamEvent ping() {
        return new AnthropicStreamEvent("ping", data("ping"));
    }

    /**
     * The events for one upstream chunk (starting the message first if {@link #start()} was not called). An error
     * object ends the stream with an {@code error} event; anything unrecognised is ignored.
     */
    List<AnthropicStreamEvent> onChunk(JsonNode chunk) {
        List<AnthropicStreamEvent> out = new ArrayList<>();
        if (state == State.FINISHED) {
            return out;
        }
        out.addAll(start());
        if (chunk == null || !chunk.isObject()) {
            LOG.fine("Ignoring an upstream stream event that is not a JSON object");
            return out;
        }
        JsonNode error = AnthropicResponseException.errorOf(chunk);
        if (error != null) {
            AnthropicResponseException failure = AnthropicResponseException.from(error);
            out.add(error(failure.errorType(), failure.getMessage()));
            return out;
        }
        JsonNode chunkUsage = chunk.get("usage");
        if (chunkUsage != null && chunkUsage.isObject()) {
            usage = chunkUsage;
        }
        JsonNode choice = AnthropicResponseTranslator.firstChoice(chunk.path("choices"));
        if (!choice.isObject()) {
            return out;
        }
        JsonNode delta = choice.has("delta") ? choice.get("delta") : choice.path("message");
        if (delta != null && delta.isObject()) {
            onDelta(delta, out);
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual() && !finish.asText().isEmpty()) {
            finishReason = finish.asText();
        }
        String matched = AnthropicResponseTranslator.matchedStopSequence(choice, stopSequences);
        if (matched != null) {
            matchedStop = matched;
        }
        return out;
    }

    /**
     * The end of the upstream stream ({@code [DONE]} or EOF): flushes and closes every block, then
     * {@code message_delta} and {@code message_stop}. Nothing when already finished.
     */
    List<AnthropicStreamEvent> onEnd() {
        List<AnthropicStreamEvent> out = new ArrayList<>();
        if (state == State.FINISHED) {
            return out;
        }
        out.addAll(start());
        flushAll(out);
        String stopReason = AnthropicResponseTranslator.stopReason(finishReason, toolBlocks > 0, matchedStop != null,
                refused);
        ObjectNode data = data("message_delta");
        ObjectNode delta = data.putObject("delta");
        delta.put("stop_reason", stopReason);
        if ("stop_sequence".equals(stopReason)) {
            delta.put("stop_sequence", matchedStop);
        } else {
            delta.putNull("stop_sequence");
        }
        AnthropicResponseTranslator.Usage counted = AnthropicResponseTranslator.Usage.of(usage);
        ObjectNode deltaUsage = data.putObject("usage");
        // A zero count after streamed content is wrong (some upstreams report usage only on their first chunk).
        boolean counts = counted.outputTokens() != null && (counted.outputTokens() > 0 || outputChars == 0);
        deltaUsage.put("output_tokens", counts
                ? counted.outputTokens()
                : AnthropicResponseTranslator.estimateTokens(outputChars));
        if (counted.inputTokens() != null) {
            deltaUsage.put("input_tokens", counted.inputTokens());
            deltaUsage.put("cache_creation_input_tokens", counted.cacheCreationInputTokens());
            deltaUsage.put("cache_read_input_tokens", counted.cacheReadInputTokens());
        }
        out.add(new AnthropicStreamEvent("message_delta", data));
        out.add(new AnthropicStreamEvent("message_stop", data("message_stop")));
        state = State.FINISHED;
        return out;
    }

    /**
     * A failure after the first byte (dropped connection, timeout): one {@code error} event that ends the stream.
     * Nothing when already finished.
     *
     * @param errorType an Anthropic error type such as {@code api_error}, {@code timeout_error} or
     *                  {@code overloaded_error}; null means {@code api_error}
     */
    List<AnthropicStreamEvent> onFailure(String errorType, String message) {
        if (state == State.FINISHED) {
            return List.of();
        }
        return List.of(error(errorType == null || errorType.isBlank() ? "api_error" : errorType,
                message == null || message.isBlank() ? "The upstream stream failed" : message));
    }

    private AnthropicStreamEvent error(String type, String message) {
        state = State.FINISHED;
        open = null;
        ObjectNode data = data("error");
        ObjectNode error = data.putObject("error");
        error.put("type", type);
        error.put("message", message);
        return new AnthropicStreamEvent("error", data);
    }

    private void onDelta(JsonNode delta, List<AnthropicStreamEvent> out) {
        append(thinking, AnthropicResponseTranslator.reasoningText(delta), out);
        append(text, AnthropicResponseTranslator.contentText(delta.get("content")), out);
        String refusal = AnthropicResponseTranslator.text(delta.get("refusal"));
        if (!refusal.isEmpty()) {
            refused = true;
            append(text, refusal, out);
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (JsonNode call : toolCalls) {
                if (call.isObject()) {
                    onToolCall(call.get("index"), call.get("id"), call.path("function"), out);
                }
            }
        }
        JsonNode functionCall = delta.get("function_call");
        if (functionCall != null && functionCall.isObject()) {
            onToolCall(null, null, functionCall, out);
        }
    }

    private void onToolCall(JsonNode index, JsonNode idNode, JsonNode function, List<AnthropicStreamEvent> out) {
        String id = AnthropicResponseTranslator.text(idNode);
        Channel tool = toolFor(index, id.isEmpty() ? null : id);
        if (tool.id == null && !id.isEmpty()) {
            tool.id = id;
        }
        String name = AnthropicResponseTranslator.text(function.get("name"));
        if (tool.name == null && !name.isEmpty()) {
            tool.name = name;
        }
        if (!tool.opened && !tool.queued) {
            enqueue(tool);
        }
        JsonNode arguments = function.get("arguments");
        String fragment = arguments == null || arguments.isNull() ? ""
                : arguments.isTextual() ? arguments.asText() : arguments.toString();
        append(tool, fragment, out);
        schedule(out);
    }

    /**
     * The tool channel a tool-call delta belongs to: by upstream index, except that a known index with a different
     * id starts a new call (some upstreams reuse index 0); without an index, by id, else the latest call.
     */
    private Channel toolFor(JsonNode index, String id) {
        if (index != null && index.isIntegralNumber() && index.canConvertToInt()) {
            Channel known = toolsByUpstreamIndex.get(index.intValue());
            if (known != null && (id == null || known.id == null || known.id.equals(id))) {
                return known;
            }
            Channel tool = newTool();
            toolsByUpstreamIndex.put(index.intValue(), tool);
            return tool;
        }
        if (id != null) {
            for (Channel tool : tools) {
                if (id.equals(tool.id)) {
                    return tool;
                }
            }
            return newTool();
        }
        return lastTool != null ? lastTool : newTool();
    }

    private Channel newTool() {
        Channel tool = new Channel(Kind.TOOL);
        tools.add(tool);
        lastTool = tool;
        return tool;
    }

    /** Routes a fragment to its channel: emitted when it owns the open block, else buffered and queued. */
    private void append(Channel channel, String fragment, List<AnthropicStreamEvent> out) {
        if (fragment.isEmpty()) {
            return;
        }
        if (channel.kind == Kind.TOOL) {
            if (channel.closed || channel.arguments.complete()) {
                // Anything after a complete JSON value would make it invalid (some upstreams repeat the
                // whole arguments at the end); whitespace is harmless either way.
                if (!fragment.isBlank()) {
                    LOG.warning("Dropping arguments that arrived after their tool call's JSON was complete");
                }
                return;
            }
            channel.arguments.feed(fragment);
        }
        outputChars += fragment.length();
        if (channel == open) {
            out.add(delta(channel, fragment));
            return;
        }
        channel.pending.append(fragment);
        enqueue(channel);
        schedule(out);
    }

    private void enqueue(Channel channel) {
        if (!channel.queued) {
            channel.queued = true;
            queue.add(channel);
        }
    }

    /** Hands the open block to queued channels for as long as it may be left. */
    private void schedule(List<AnthropicStreamEvent> out) {
        while (open == null || mayLeave(open)) {
            Channel next = nextOpenable(false);
            if (next == null) {
                return;
            }
            closeOpenBlock(out);
            openBlock(next, out);
        }
    }

    /** The end: every queued channel gets its block, in queue order; calls still without an id get one. */
    private void flushAll(List<AnthropicStreamEvent> out) {
        for (Channel next = nextOpenable(true); next != null; next = nextOpenable(true)) {
            closeOpenBlock(out);
            openBlock(next, out);
        }
        closeOpenBlock(out);
        for (Channel dropped : queue) {
            LOG.warning(() -> "Dropping an upstream tool call that never got a function name ("
                    + dropped.pending.length() + " characters of arguments)");
        }
        queue.clear();
    }

    private static boolean mayLeave(Channel channel) {
        return channel.kind != Kind.TOOL || channel.arguments.complete();
    }

    private Channel nextOpenable(boolean atEnd) {
        for (Channel channel : queue) {
            if (channel.kind != Kind.TOOL || channel.name != null && (channel.id != null || atEnd)) {
                return channel;
            }
        }
        return null;
    }

    private void openBlock(Channel channel, List<AnthropicStreamEvent> out) {
        queue.remove(channel);
        channel.queued = false;
        int index = nextIndex++;
        ObjectNode block = Json.MAPPER.createObjectNode();
        switch (channel.kind) {
            case TEXT -> {
                block.put("type", "text");
                block.put("text", "");
                state = State.IN_TEXT;
            }
            case THINKING -> {
                block.put("type", "thinking");
                block.put("thinking", "");
                block.put("signature", "");
                state = State.IN_THINKING;
            }
            case TOOL -> {
                if (channel.id == null) {
                    channel.id = AnthropicResponseTranslator.syntheticToolId(messageId, tools.indexOf(channel));
                }
                block.put("type", "tool_use");
                block.put("id", channel.id);
                block.put("name", AnthropicResponseTranslator.original(toolNames, channel.name));
                block.putObject("input");
                channel.opened = true;
                toolBlocks++;
                state = State.IN_TOOL;
            }
            default -> throw new IllegalStateException("unknown channel kind " + channel.kind);
        }
        ObjectNode data = data("content_block_start");
        data.put("index", index);
        data.set("content_block", block);
        out.add(new AnthropicStreamEvent("content_block_start", data));
        open = channel;
        openIndex = index;
        if (channel.pending.length() > 0) {
            out.add(delta(channel, channel.pending.toString()));
            channel.pending.setLength(0);
        }
    }

    private void closeOpenBlock(List<AnthropicStreamEvent> out) {
        if (open == null) {
            return;
        }
        if (open.kind == Kind.THINKING) {
            ObjectNode signature = Json.MAPPER.createObjectNode();
            signature.put("type", "signature_delta");
            signature.put("signature", AnthropicResponseTranslator.THINKING_SIGNATURE);
            out.add(blockDelta(signature));
        }
        if (open.kind == Kind.TOOL) {
            open.closed = true;
        }
        ObjectNode data = data("content_block_stop");
        data.put("index", openIndex);
        out.add(new AnthropicStreamEvent("content_block_stop", data));
        open = null;
        state = State.IN_MESSAGE;
    }

    private AnthropicStreamEvent delta(Channel channel, String fragment) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        switch (channel.kind) {
            case TEXT -> {
                delta.put("type", "text_delta");
                delta.put("text", fragment);
            }
            case THINKING -> {
                delta.put("type", "thinking_delta");
                delta.put("thinking", fragment);
            }
            case TOOL -> {
                delta.put("type", "input_json_delta");
                delta.put("partial_json", fragment);
            }
            default -> throw new IllegalStateException("unknown channel kind " + channel.kind);
        }
        return blockDelta(delta);
    }

    private AnthropicStreamEvent blockDelta(ObjectNode delta) {
        ObjectNode data = data("content_block_delta");
        data.put("index", openIndex);
        data.set("delta", delta);
        return new AnthropicStreamEvent("content_block_delta", data);
    }

    private static ObjectNode data(String type) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("type", type);
        return data;
    }

    /**
     * Tells, fragment by fragment in linear time, whether streamed tool arguments already form one complete JSON
     * object or array (brackets balanced outside strings). Anything after that point would make them invalid, so
     * the block may close.
     */
    private static final class ArgumentsScan {
        private int depth;
        private boolean started;
        private boolean inString;
        private boolean escaped;

        void feed(String fragment) {
            for (int i = 0; i < fragment.length(); i++) {
                char c = fragment.charAt(i);
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                    started = true;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
        }

        boolean complete() {
            return started && depth <= 0 && !inString;
        }
    }
}
