package io.llmgateway.relay;

import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.UpstreamException;
import jakarta.ws.rs.core.Response;
import java.util.function.Consumer;

/**
 * One client dialect's side of a relayed stream: the frames it sends for what the upstream does. Called one
 * callback at a time; {@code out} takes whole SSE frames, each flushed to the client on its own.
 */
public interface StreamDialect {
    /** Frames that open the stream, sent as soon as the upstream has answered. */
    void open(Consumer<byte[]> out);

    /** Frames for one upstream event; true once the client's stream is complete. */
    boolean onEvent(SseEvent event, Consumer<byte[]> out);

    /** The upstream ended its stream. */
    void onEnd(Consumer<byte[]> out);

    /** The upstream stream broke after it opened: an in-stream error, since the status is committed. */
    void onFailure(UpstreamException failure, Consumer<byte[]> out);

    /** The error response for a failure before the stream opened. */
    Response errorResponse(UpstreamException failure);

    /** A frame sent after each interval of silence (null: none); it is also how a departed client is noticed. */
    default byte[] keepAlive() {
        return null;
    }
}
