package io.llmgateway.upstream;

import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;

/**
 * A successful upstream answer whose body has not been read yet. Closing it before the end aborts the
 * upstream request, which is how a client disconnect cancels inference.
 */
public final class UpstreamResponse implements AutoCloseable {
    private final Response response;
    private final Duration latency;

    UpstreamResponse(Response response, Duration latency) {
        this.response = response;
        this.latency = latency;
    }

    public int status() {
        return response.getStatus();
    }

    public String header(String name) {
        return response.getHeaderString(name);
    }

    public String contentType() {
        String type = response.getHeaderString("Content-Type");
        return type == null ? "application/json" : type;
    }

    /** Time from sending the request to the upstream's response headers. */
    public Duration latency() {
        return latency;
    }

    public InputStream body() {
        return response.readEntity(InputStream.class);
    }

    @Override
    public void close() {
        response.close();
    }
}
