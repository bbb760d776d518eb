package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.SseReader;
import io.llmgateway.upstream.UpstreamResponse;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * One streamed chat on a worker thread: every callback of one stream runs on that thread. Its
 * {@link StreamingHandle} cancels from any thread (or from inside a callback) by closing the upstream response,
 * which aborts the HTTP exchange; after a cancel no callback is made, not even {@code onError}.
 */
final class StreamingCall implements StreamingHandle, Runnable {
    private static final Logger LOG = Logger.getLogger(StreamingCall.class.getName());

    private final UpstreamChat chat;
    private final ChatRequest request;
    private final StreamingChatResponseHandler handler;
    private final Object lock = new Object();
    private volatile boolean cancelled;
    private UpstreamResponse response; // guarded by lock

    StreamingCall(UpstreamChat chat, ChatRequest request, StreamingChatResponseHandler handler) {
        this.chat = chat;
        this.request = request;
        this.handler = handler;
    }

    @Override
    public void run() {
        UpstreamResponse answer;
        try {
            ObjectNode body = chat.body(request, true);
            answer = chat.send(body);
        } catch (RuntimeException e) {
            if (!cancelled) {
                StreamAssembler.error(handler, e);
            }
            return;
        }
        synchronized (lock) {
            if (cancelled) {
                answer.close();
                return;
            }
            response = answer;
        }
        try (answer) {
            relay(new SseReader(answer.body()));
        } catch (IOException e) {
            if (!cancelled) {
                StreamAssembler.error(handler, Errors.midStream(e));
            }
        } catch (RuntimeException e) {
            if (!cancelled) {
                StreamAssembler.error(handler, e);
            }
        }
    }

    private void relay(SseReader events) throws IOException {
        StreamAssembler assembler = new StreamAssembler(handler, this);
        boolean done = false;
        SseEvent event;
        while (!cancelled && (event = events.next()) != null) {
            if ("[DONE]".equals(event.data())) {
                done = true;
                break;
            }
            JsonNode chunk;
            try {
                chunk = Json.MAPPER.readTree(event.data());
            } catch (IOException e) {
                throw new InternalServerException("The upstream sent an event that is not JSON: " + e.getMessage(), e);
            }
            assembler.accept(chunk);
        }
        if (cancelled) {
            LOG.fine("Stream cancelled by the application; upstream call aborted");
            return;
        }
        if (!done && !assembler.finished()) {
            throw new RetriableException("The upstream stream ended before the answer was complete");
        }
        assembler.finish();
    }

    @Override
    public void cancel() {
        UpstreamResponse open;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            open = response;
        }
        if (open != null) {
            open.close(); // aborts the exchange: a blocked read on the worker thread fails and is ignored
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }
}
