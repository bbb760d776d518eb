package io.llmgateway.openai;

import io.llmgateway.upstream.SseFrames;
import io.llmgateway.upstream.SseReader;
import io.llmgateway.upstream.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Relays an OpenAI chat completions stream event by event, flushing each one as it arrives (no coalescing).
 * States: RELAYING until the upstream's {@code [DONE]} (DONE) or its end (ENDED); an upstream failure after
 * the first byte becomes an in-stream {@code data: {"error":...}} event (FAILED), because the HTTP status is
 * already committed. A failing client write propagates, so the caller can abort the upstream call.
 */
final class OpenAiStreamRelay {
    enum State { RELAYING, DONE, ENDED, FAILED }

    private final SseReader upstream;
    private final OutputStream client;
    private State state = State.RELAYING;
    private int events;

    OpenAiStreamRelay(SseReader upstream, OutputStream client) {
        this.upstream = upstream;
        this.client = client;
    }

    State run() throws ClientGoneException {
        while (state == State.RELAYING) {
            SseEvent event;
            try {
                event = upstream.next();
            } catch (IOException e) {
                fail(e instanceof SocketTimeoutException
                        ? "The upstream model stopped sending for longer than LLM_REQUEST_TIMEOUT"
                        : "The upstream connection failed mid-stream: " + e.getMessage(),
                        e instanceof SocketTimeoutException ? "upstream_timeout" : "upstream_stream_error");
                return state;
            }
            if (event == null) {
                state = State.ENDED;
            } else {
                write(SseFrames.encode(event.event(), event.data()));
                events++;
                if ("[DONE]".equals(event.data())) {
                    state = State.DONE;
                }
            }
        }
        return state;
    }

    int events() {
        return events;
    }

    private void fail(String message, String code) throws ClientGoneException {
        state = State.FAILED;
        int status = "upstream_timeout".equals(code) ? 504 : 502;
        write(("data: " + OpenAiErrors.body(status, message, null, code) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] frame) throws ClientGoneException {
        try {
            client.write(frame);
            client.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** The client went away; the caller aborts the upstream call. */
    static final class ClientGoneException extends Exception {
        ClientGoneException(IOException cause) {
            super(cause);
        }
    }
}
