package io.llmgateway;

import jakarta.ws.rs.WebApplicationException;
import io.llmgateway.edge.BodyLimit;
import io.llmgateway.relay.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whatever escapes a resource becomes an error in the caller's dialect: a routing error keeps its status
 * (404, 405, 415…), anything else is a 500 that names the request id. No stack trace reaches a client.
 */
final class CatchAllExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(CatchAllExceptionMapper.class.getName());

    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(Throwable exception) {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        if (exception instanceof BodyLimit.TooLarge tooLarge) {
            return DialectErrors.response(path, 413, tooLarge.getMessage());
        }
        if (exception instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return DialectErrors.response(path, status, switch (status) {
                case 404 -> "Unknown endpoint: " + request.getMethod() + " /v1/" + path;
                case 405 -> "Method " + request.getMethod() + " is not allowed on /v1/" + path;
                case 415 -> "Unsupported content type; send application/json";
                default -> "Bad request: " + web.getResponse().getStatusInfo().getReasonPhrase();
            });
        }
        String id = RequestFacts.of(request).id();
        LOG.log(Level.SEVERE, "Unexpected failure handling request " + id, exception);
        return DialectErrors.response(path, 500, "Internal gateway error (request id " + id + "); see the gateway log.");
    }
}
