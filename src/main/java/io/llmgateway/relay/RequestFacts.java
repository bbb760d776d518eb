package io.llmgateway.relay;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.time.Duration;

/**
 * What the edge's access log reports about one request: its id, and what the dialect learned (model, stream, the
 * upstream's latency). The edge passes on a request that carries them ({@link Carrier}); plain fields rather than
 * request attributes, which cost a concurrent map per request on the hot path.
 */
public final class RequestFacts {
    private final String id;
    private volatile String model;
    private volatile boolean stream;
    private volatile long upstreamMillis = -1;

    public RequestFacts(String id) {
        this.id = id;
    }

    /** Implemented by the request the edge passes on. */
    public interface Carrier {
        RequestFacts facts();
    }

    /** The facts this request carries, or a set nobody reads when no edge wrapped it. */
    public static RequestFacts of(ServletRequest request) {
        for (ServletRequest r = request; ; r = ((ServletRequestWrapper) r).getRequest()) {
            if (r instanceof Carrier carrier) {
                return carrier.facts();
            }
            if (!(r instanceof ServletRequestWrapper)) {
                return new RequestFacts(null);
            }
        }
    }

    public String id() {
        return id;
    }

    public void call(String model, boolean stream) {
        this.model = model;
        this.stream = stream;
    }

    public void upstreamLatency(Duration latency) {
        this.upstreamMillis = latency.toMillis();
    }

    /** Null until the dialect resolved it. */
    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** Negative until the upstream answered. */
    public long upstreamMillis() {
        return upstreamMillis;
    }
}
