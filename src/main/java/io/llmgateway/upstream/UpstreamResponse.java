package io.llmgateway.upstream;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A successful upstream answer whose body has not been read yet. Closing it before the end aborts the
 * upstream request, which is how a client disconnect cancels inference.
 */
public final class UpstreamResponse implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UpstreamResponse.class.getName());

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

    /** Never throws: closing a stream the upstream already broke must not turn into a second failure. */
    @Override
    public void close() {
        try {
            response.close();
        } catch (ProcessingException e) {
            LOG.fine(() -> "Upstream response closed after a failure: " + e.getMessage());
        }
    }
}
