package io.llmgateway.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated answer, rendered either as a {@code chat.completion} or as the {@code chat.completion.chunk}
 * sequence of a stream (without the {@code [DONE]} sentinel, which belongs to the transport).
 *
 * @param content      the text, or null when the answer is tool calls
 * @param words        the text split into the pieces streamed one chunk each
 * @param includeUsage whether the stream ends with a usage chunk ({@code stream_options.include_usage})
 */
record DemoAnswer(String id, long created, String model, String content, List<String> words,
        List<ToolCall> toolCalls, String finishReason, int promptTokens, int completionTokens, boolean stream,
        boolean includeUsage) {

    /** Pieces each tool call's arguments are streamed in, so clients must concatenate fragments. */
    static final int ARGUMENT_FRAGMENTS = 3;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    ObjectNode completion() {
        ObjectNode completion = header("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            toolCalls.forEach(call -> calls.add(call.node(null, call.arguments())));
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        completion.set("usage", usage());
        return completion;
    }

    List<ObjectNode> chunks() {
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = NODES.objectNode().put("role", "assistant").put("content", "");
        chunks.add(chunk(first, null));
        words.forEach(word -> chunks.add(chunk(NODES.objectNode().put("content", word), null)));
        for (int index = 0; index < toolCalls.size(); index++) {
            ToolCall call = toolCalls.get(index);
            // The first fragment of a call carries its id and name, as OpenAI streams them
            chunks.add(chunk(toolCallDelta(call.node(index, "")), null));
            for (String fragment : call.argumentFragments()) {
                ObjectNode delta = NODES.objectNode().put("index", index);
                delta.putObject("function").put("arguments", fragment);
                chunks.add(chunk(toolCallDelta(delta), null));
            }
        }
        chunks.add(chunk(NODES.objectNode(), finishReason));
        if (includeUsage) {
            ObjectNode usageChunk = header("chat.completion.chunk");
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage());
            chunks.add(usageChunk);
        }
        return chunks;
    }

    private ObjectNode chunk(ObjectNode delta, String chunkFinishReason) {
        ObjectNode chunk = header("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", chunkFinishReason);
        if (includeUsage) {
            // OpenAI marks every chunk before the usage chunk this way when usage was requested
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static ObjectNode toolCallDelta(ObjectNode callDelta) {
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls").add(callDelta);
        return delta;
    }

    private ObjectNode header(String object) {
        return NODES.objectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private ObjectNode usage() {
        return NODES.objectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    record ToolCall(String id, String name, String arguments) {

        /** The call as OpenAI writes it; {@code index} is for streaming only (null omits it). */
        ObjectNode node(Integer index, String argumentsValue) {
            ObjectNode call = NODES.objectNode();
            if (index != null) {
                call.put("index", index);
            }
            call.put("id", id).put("type", "function");
            call.putObject("function").put("name", name).put("arguments", argumentsValue);
            return call;
        }

        /**
         * Arguments cut into at most {@link DemoAnswer#ARGUMENT_FRAGMENTS} pieces of two characters or more (so
         * {@code {}} travels whole, as OpenAI sends it), never inside a surrogate pair.
         */
        List<String> argumentFragments() {
            int size = Math.max(2, (arguments.length() + ARGUMENT_FRAGMENTS - 1) / ARGUMENT_FRAGMENTS);
            List<String> fragments = new ArrayList<>();
            int start = 0;
            while (start < arguments.length()) {
                int end = Math.min(arguments.length(), start + size);
                if (end < arguments.length() && Character.isHighSurrogate(arguments.charAt(end - 1))) {
                    end++;
                }
                fragments.add(arguments.substring(start, end));
                start = end;
            }
            return fragments;
        }
    }
}
