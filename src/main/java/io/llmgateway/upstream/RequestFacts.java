package io.llmgateway.upstream;

/** Request attributes the dialects set so the edge's access log can report them, and the edge's request id. */
public final class RequestFacts {
    public static final String REQUEST_ID = "gateway.requestId";
    public static final String MODEL = "gateway.model";
    public static final String STREAM = "gateway.stream";
    public static final String UPSTREAM_LATENCY_MS = "gateway.upstreamLatencyMs";

    private RequestFacts() {
    }
}
