package io.llmgateway.relay;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the edge adds to a response that bypasses Jersey's writer (a non-blocking stream): its headers when the
 * stream opens, and the access-log line and limit release when it ends. The edge puts itself on every request
 * under {@link #PROPERTY}.
 */
public interface EdgeHooks {
    String PROPERTY = "gateway.edgeHooks";

    /** Response headers the edge would have added (request id, CORS, demo mode), in order. */
    Map<String, String> headers(ContainerRequestContext request);

    /**
     * Called with the final status once the response is over; takes what it needs from the request now, so the
     * request itself need not be kept for the stream's lifetime.
     */
    IntConsumer finisher(ContainerRequestContext request);
}
