package io.llmgateway.openai;

import io.llmgateway.relay.StreamDialect;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.SseFrames;
import io.llmgateway.upstream.UpstreamException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Relays an OpenAI chat completions stream event by event (no coalescing: one frame per upstream event).
 * States: RELAYING until the upstream's {@code [DONE]} (DONE) or its end (ENDED); an upstream failure after
 * the first byte becomes an in-stream {@code data: {"error":...}} event (FAILED), because the HTTP status is
 * already committed.
 */
final class OpenAiStreamRelay implements StreamDialect {
    enum State { RELAYING, DONE, ENDED, FAILED }

    private State state = State.RELAYING;
    private int events;

    @Override
    public void open(Consumer<byte[]> out) {
        // OpenAI streams start with the upstream's first chunk
    }

    @Override
    public boolean onEvent(SseEvent event, Consumer<byte[]> out) {
        if (state != State.RELAYING) {
            return true;
        }
        out.accept(SseFrames.encode(event.event(), event.data()));
        events++;
        if ("[DONE]".equals(event.data())) {
            state = State.DONE;
        }
        return state != State.RELAYING;
    }

    @Override
    public void onEnd(Consumer<byte[]> out) {
        if (state == State.RELAYING) {
            state = State.ENDED;
        }
    }

    @Override
    public void onFailure(UpstreamException failure, Consumer<byte[]> out) {
        if (state != State.RELAYING) {
            return;
        }
        state = State.FAILED;
        boolean timeout = failure.kind() == UpstreamException.Kind.TIMEOUT;
        String message = timeout
                ? "The upstream model stopped sending for longer than LLM_REQUEST_TIMEOUT"
                : "The upstream connection failed mid-stream: " + failure.getMessage();
        String body = OpenAiErrors.body(timeout ? 504 : 502, message, null,
                timeout ? "upstream_timeout" : "upstream_stream_error").toString();
        out.accept(("data: " + body + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Response errorResponse(UpstreamException failure) {
        return OpenAiErrors.of(failure);
    }

    State state() {
        return state;
    }

    int events() {
        return events;
    }
}
