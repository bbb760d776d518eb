package io.llmgateway.openai;

import io.llmgateway.upstream.SseReader;
import io.llmgateway.upstream.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Bench-only access to the package-private {@link OpenAiStreamRelay}. */
public final class RelayBench {
    private RelayBench() {
    }

    /**
     * Relays one whole upstream stream through the real state machine, each frame written and flushed as the
     * gateway's client stream does; returns the number of events relayed.
     */
    public static int relay(InputStream upstream, OutputStream client) {
        OpenAiStreamRelay relay = new OpenAiStreamRelay();
        try {
            SseReader reader = new SseReader(upstream);
            boolean complete = false;
            for (SseEvent event = reader.next(); event != null && !complete; event = reader.next()) {
                complete = relay.onEvent(event, frame -> {
                    try {
                        client.write(frame);
                        client.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (relay.state() != OpenAiStreamRelay.State.DONE) {
            throw new IllegalStateException("relay ended in " + relay.state());
        }
        return relay.events();
    }
}
