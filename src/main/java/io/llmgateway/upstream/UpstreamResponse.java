package io.llmgateway.upstream;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.logging.Logger;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.http.Header;

/**
 * A successful upstream answer whose body has not been read yet. Closing it before the end aborts the
 * upstream request, which is how a client disconnect cancels inference.
 */
public final class UpstreamResponse implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UpstreamResponse.class.getName());

    private final Response response;
    private final SimpleHttpResponse buffered;
    private final Duration latency;

    /** A streamed answer, read as it arrives. */
    UpstreamResponse(Response response, Duration latency) {
        this.response = response;
        this.buffered = null;
        this.latency = latency;
    }

    /** A whole answer, already read. */
    UpstreamResponse(SimpleHttpResponse buffered, Duration latency) {
        this.response = null;
        this.buffered = buffered;
        this.latency = latency;
    }

    public int status() {
        return buffered != null ? buffered.getCode() : response.getStatus();
    }

    public String header(String name) {
        if (buffered != null) {
            Header header = buffered.getFirstHeader(name);
            return header == null ? null : header.getValue();
        }
        return response.getHeaderString(name);
    }

    public String contentType() {
        String type = header("Content-Type");
        return type == null ? "application/json" : type;
    }

    /** Time from sending the request to the upstream's response headers. */
    public Duration latency() {
        return latency;
    }

    public InputStream body() {
        if (buffered != null) {
            byte[] bytes = buffered.getBodyBytes();
            return new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
        }
        return response.readEntity(InputStream.class);
    }

    /** Never throws: closing a stream the upstream already broke must not turn into a second failure. */
    @Override
    public void close() {
        if (buffered != null) {
            return;
        }
        try {
            response.close();
        } catch (ProcessingException e) {
            LOG.fine(() -> "Upstream response closed after a failure: " + e.getMessage());
        }
    }
}
