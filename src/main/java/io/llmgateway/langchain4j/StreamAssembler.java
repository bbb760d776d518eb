package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns OpenAI {@code chat.completion.chunk}s into LangChain4j's streaming callbacks, in arrival order: partial
 * text, partial thinking, partial tool calls (one per non-empty arguments fragment) and a complete tool call as
 * soon as the next call starts or the stream ends, then the assembled {@link ChatResponse}. An exception a
 * callback throws goes to {@code onError} and the stream goes on, as LangChain4j's contract wants.
 */
final class StreamAssembler {
    private static final Logger LOG = Logger.getLogger(StreamAssembler.class.getName());

    private final StreamingChatResponseHandler handler;
    private final StreamingHandle handle;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private Integer current;
    private String id;
    private String model;
    private String finishReason;
    private JsonNode usage;

    private static final class Call {
        final int index;
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
        boolean completed;

        Call(int index) {
            this.index = index;
        }

        ToolExecutionRequest request() {
            return ToolExecutionRequest.builder().id(id).name(name)
                    .arguments(arguments.length() == 0 ? "{}" : arguments.toString()).build();
        }
    }

    StreamAssembler(StreamingChatResponseHandler handler, StreamingHandle handle) {
        this.handler = handler;
        this.handle = handle;
    }

    /** @throws dev.langchain4j.exception.LangChain4jException for an in-stream error event */
    void accept(JsonNode chunk) {
        if (chunk.path("error").isObject()) {
            throw Errors.inStream(chunk.get("error"));
        }
        if (id == null && chunk.path("id").isTextual()) {
            id = chunk.get("id").asText();
        }
        if (chunk.path("model").isTextual()) {
            model = chunk.get("model").asText();
        }
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String reasoning = OpenAiResponses.reasoning(delta);
        if (reasoning != null && !reasoning.isEmpty() && !handle.isCancelled()) {
            thinking.append(reasoning);
            deliver(() -> handler.onPartialThinking(new PartialThinking(reasoning), new PartialThinkingContext(handle)));
        }
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty() && !handle.isCancelled()) {
            text.append(content.asText());
            deliver(() -> handler.onPartialResponse(new PartialResponse(content.asText()),
                    new PartialResponseContext(handle)));
        }
        for (JsonNode callDelta : delta.path("tool_calls")) {
            toolCall(callDelta);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").asText();
        }
    }

    private void toolCall(JsonNode delta) {
        int index = delta.path("index").asInt(current == null ? 0 : current);
        if (current != null && current != index) {
            complete(calls.get(current));
        }
        current = index;
        Call call = calls.computeIfAbsent(index, Call::new);
        if (delta.path("id").isTextual() && !delta.get("id").asText().isEmpty()) {
            call.id = delta.get("id").asText();
        }
        JsonNode function = delta.path("function");
        if (function.path("name").isTextual() && !function.get("name").asText().isEmpty()) {
            call.name = function.get("name").asText();
        }
        String fragment = function.path("arguments").isTextual() ? function.get("arguments").asText() : "";
        if (!fragment.isEmpty()) {
            call.arguments.append(fragment);
            if (call.name != null && !handle.isCancelled()) {
                PartialToolCall partial = PartialToolCall.builder().index(index).id(call.id).name(call.name)
                        .partialArguments(fragment).build();
                deliver(() -> handler.onPartialToolCall(partial, new PartialToolCallContext(handle)));
            }
        }
    }

    private void complete(Call call) {
        if (call == null || call.completed) {
            return;
        }
        call.completed = true;
        if (!handle.isCancelled()) {
            CompleteToolCall complete = new CompleteToolCall(call.index, call.request());
            deliver(() -> handler.onCompleteToolCall(complete));
        }
    }

    /** The stream ended: completes the open tool call and delivers the whole response. */
    void finish() {
        calls.values().forEach(this::complete);
        List<ToolExecutionRequest> requests = new ArrayList<>();
        calls.values().forEach(call -> requests.add(call.request()));
        ChatResponse response = OpenAiResponses.response(text.toString(), thinking.toString(), requests, id, model,
                finishReason, usage);
        deliver(() -> handler.onCompleteResponse(response));
    }

    /** Whether the upstream said why it stopped (a stream cut short never does). */
    boolean finished() {
        return finishReason != null;
    }

    private void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            error(handler, e);
        }
    }

    /** {@code onError}, whose own exceptions are logged and ignored: there is nobody left to tell. */
    static void error(StreamingChatResponseHandler handler, Throwable error) {
        try {
            handler.onError(error);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "StreamingChatResponseHandler.onError() threw; ignored", e);
        }
    }
}
