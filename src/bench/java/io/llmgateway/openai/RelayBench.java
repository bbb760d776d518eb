package io.llmgateway.openai;

import io.llmgateway.upstream.SseReader;
import java.io.InputStream;
import java.io.OutputStream;

/** Bench-only access to the package-private {@link OpenAiStreamRelay}. */
public final class RelayBench {
    private RelayBench() {
    }

    /** Relays one whole upstream stream exactly as the gateway does; returns the number of events relayed. */
    public static int relay(InputStream upstream, OutputStream client) {
        OpenAiStreamRelay relay = new OpenAiStreamRelay(new SseReader(upstream), client);
        OpenAiStreamRelay.State state;
        try {
            state = relay.run();
        } catch (OpenAiStreamRelay.ClientGoneException e) {
            throw new IllegalStateException(e);
        }
        if (state != OpenAiStreamRelay.State.DONE) {
            throw new IllegalStateException("relay ended in " + state);
        }
        return relay.events();
    }
}
