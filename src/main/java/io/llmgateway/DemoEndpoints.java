package io.llmgateway;

import io.llmgateway.upstream.Endpoints;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;

/**
 * The built-in simulated upstream, reached over loopback HTTP like a real one. A web application does not
 * know its own port until a request arrives, so the first request teaches it (as a servlet filter).
 */
final class DemoEndpoints implements Endpoints, Filter {
    private volatile URI base;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (base == null && request instanceof HttpServletRequest http) {
            String host = http.getLocalAddr();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            base = URI.create("http://" + host + ":" + http.getLocalPort() + http.getContextPath() + "/demo/");
        }
        chain.doFilter(request, response);
    }

    private URI base() {
        if (base == null) {
            throw new IllegalStateException("demo upstream address not known before the first request");
        }
        return base;
    }

    @Override
    public URI chatCompletions() {
        return base().resolve("v1/chat/completions");
    }

    @Override
    public URI models() {
        return base().resolve("v1/models");
    }

    @Override
    public URI token() {
        return base().resolve("oauth2/v1/token");
    }

    @Override
    public boolean demo() {
        return true;
    }
}
