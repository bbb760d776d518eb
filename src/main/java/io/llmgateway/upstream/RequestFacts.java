package io.llmgateway.upstream;

/** Request properties the dialects set so the edge's access log can report them. */
public final class RequestFacts {
    public static final String MODEL = "gateway.model";
    public static final String STREAM = "gateway.stream";
    public static final String UPSTREAM_LATENCY_MS = "gateway.upstreamLatencyMs";

    private RequestFacts() {
    }
}
