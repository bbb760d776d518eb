package io.llmgateway.upstream;

import java.time.Duration;

/** An open upstream stream, as its listener controls it. */
public interface UpstreamStream {
    /** Time from sending the request to the upstream's response headers. */
    Duration latency();

    /** Stops reading from the upstream (the client is behind); events stop until {@link #resume()}. */
    void pause();

    void resume();

    /** Aborts the upstream call and closes its connection, so the model stops generating; no more callbacks. */
    void cancel();
}
