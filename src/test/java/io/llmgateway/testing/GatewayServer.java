package io.llmgateway.testing;

import io.llmgateway.GatewayBootstrap;
import io.llmgateway.upstream.UpstreamClient;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/** The real WAR layout (src/main/webapp + compiled classes) on embedded Jetty ee10, on a free loopback port. */
public final class GatewayServer implements AutoCloseable {
    private final Server server;
    private final URI base;

    private GatewayServer(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    /** Starts the gateway with these context parameters (highest configuration layer below system properties). */
    public static GatewayServer start(Map<String, String> params) {
        return start(params, null);
    }

    public static GatewayServer start(Map<String, String> params, Clock clock) {
        return start(params, clock, null);
    }

    /** As {@link #start(Map, Clock)}, with a sleeper that records retry waits instead of sleeping. */
    public static GatewayServer start(Map<String, String> params, Clock clock, UpstreamClient.Sleeper sleeper) {
        return start("/", params, clock, sleeper);
    }

    /** Deployed at a context path other than the root, as Tomcat deploys the WAR ({@code /llm-gateway}). */
    public static GatewayServer startAt(String contextPath, Map<String, String> params) {
        return start(contextPath, params, null, null);
    }

    private static GatewayServer start(String contextPath, Map<String, String> params, Clock clock,
            UpstreamClient.Sleeper sleeper) {
        Server server = new Server();
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        // Jetty's per-connection header cache (1,024 entries by default) costs about 20 KB of heap on every
        // open connection, most of a long stream's footprint; 64 entries keep the common headers fast.
        http.setHeaderCacheSize(64);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024); // bursts of a thousand connections in the fault tests
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setBaseResourceAsString("src/main/webapp");
        // The WAR's WEB-INF/lib jars are on the test class path here: serve the WebJars' META-INF/resources
        webapp.setAttribute(MetaInfConfiguration.CONTAINER_JAR_PATTERN, ".*/org/webjars/.*\\.jar$");
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        params.forEach(webapp::setInitParameter);
        if (clock != null) {
            webapp.setAttribute(GatewayBootstrap.CLOCK_ATTRIBUTE, clock);
        }
        if (sleeper != null) {
            webapp.setAttribute(GatewayBootstrap.SLEEPER_ATTRIBUTE, sleeper);
        }
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            throw new IllegalStateException("gateway did not start: " + e.getMessage(), e);
        }
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        String path = contextPath.endsWith("/") ? contextPath : contextPath + "/";
        return new GatewayServer(server, URI.create("http://127.0.0.1:" + port + path));
    }

    /** Base of the gateway (with its context path), ending in a slash. */
    public URI base() {
        return base;
    }

    public URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
