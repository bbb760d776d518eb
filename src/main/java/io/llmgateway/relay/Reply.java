package io.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An answer a servlet endpoint writes once to its response: status, headers and body. Bodies are written without
 * a Content-Length and not flushed: the container adds the length when the response ends, after the edge has
 * released the caller's permit, so a client that sends its next request at once never meets its own limit.
 */
@FunctionalInterface
public interface Reply {
    void writeTo(HttpServletResponse response) throws IOException;

    /**
     * A JSON body. A 200 is left as the container's default rather than set: Jetty 12 reads on past the request body
     * before completing a response whose status was set (a read system call per request, about 0.5 % of a request's
     * CPU), but not one whose status was left alone.
     */
    static Reply json(int status, byte[] body) {
        return response -> {
            if (status != 200) {
                response.setStatus(status);
            }
            response.setContentType(MediaType.APPLICATION_JSON);
            response.getOutputStream().write(body);
        };
    }

    /**
     * A JAX-RS response, as the dialects' error helpers build them for Jersey's resources too: its status, headers
     * and a {@code String} or {@code byte[]} entity.
     */
    static Reply of(Response jaxrs) {
        return response -> {
            response.setStatus(jaxrs.getStatus());
            jaxrs.getStringHeaders().forEach((name, values) -> {
                if (!"Content-Type".equalsIgnoreCase(name)) {
                    values.forEach(value -> response.addHeader(name, value));
                }
            });
            Object entity = jaxrs.getEntity();
            if (entity == null) {
                return;
            }
            MediaType type = jaxrs.getMediaType();
            if (type != null) {
                response.setContentType(type.toString());
            }
            byte[] body = entity instanceof byte[] bytes ? bytes : entity.toString().getBytes(StandardCharsets.UTF_8);
            response.getOutputStream().write(body);
        };
    }
}
