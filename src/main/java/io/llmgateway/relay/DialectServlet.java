package io.llmgateway.relay;

import io.llmgateway.edge.BodyLimit;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A POST endpoint of one client dialect, served by a plain servlet rather than JAX-RS: inference is the hot path,
 * and Jersey's routing, injection and filter and writer chains were about half of the gateway's CPU per request
 * (BENCHMARKS.md). Every failure becomes an error in the dialect's envelope; no stack trace reaches the client.
 * The edge filter in front of it has already authenticated and admitted the request.
 */
public abstract class DialectServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(DialectServlet.class.getName());

    /**
     * The answer to a request's body, or null once a stream was started with {@link HttpServletRequest#startAsync}
     * (it then answers on its own).
     */
    protected abstract Reply answer(byte[] body, HttpServletRequest request, RequestFacts facts);

    /** An error in this dialect's envelope. */
    protected abstract Reply error(int status, String message);

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Reply reply = reply(request);
        if (reply == null) {
            return;
        }
        try {
            reply.writeTo(response);
        } catch (RuntimeException e) {
            // A reply that generates its body as it writes can fail part way; while nothing has left the buffer,
            // the client still gets the dialect's error instead of the container's error page.
            if (response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            unexpected(RequestFacts.of(request), e).writeTo(response);
        } finally {
            if (request.isAsyncStarted()) { // a stream that failed before it could start
                request.getAsyncContext().complete();
            }
        }
    }

    private Reply reply(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"POST".equals(method)) {
            Reply refusal = error(405, "Method " + method + " is not allowed on " + request.getServletPath());
            return response -> {
                response.setHeader("Allow", "POST");
                refusal.writeTo(response);
            };
        }
        byte[] body;
        try {
            body = body(request);
        } catch (BodyLimit.TooLarge e) {
            return error(413, e.getMessage());
        } catch (IOException e) {
            return error(400, "The request body could not be read: " + e.getMessage());
        }
        RequestFacts facts = RequestFacts.of(request);
        try {
            return answer(body, request, facts);
        } catch (RuntimeException e) {
            return unexpected(facts, e);
        }
    }

    private Reply unexpected(RequestFacts facts, RuntimeException e) {
        String id = facts.id();
        LOG.log(Level.SEVERE, "Unexpected failure handling request " + id, e);
        return error(500, "Internal gateway error (request id " + id + "); see the gateway log.");
    }

    /** The whole body; read into an array of the declared length when there is one (the usual case). */
    private static byte[] body(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared > Integer.MAX_VALUE - 8) {
            return request.getInputStream().readAllBytes();
        }
        byte[] body = new byte[(int) declared];
        int read = request.getInputStream().readNBytes(body, 0, body.length);
        if (read < body.length) {
            throw new IOException("the body ended after " + read + " of " + declared + " bytes");
        }
        return body;
    }
}
