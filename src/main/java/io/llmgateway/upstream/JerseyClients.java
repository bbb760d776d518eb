package io.llmgateway.upstream;

import io.llmgateway.config.GatewayConfig;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.glassfish.jersey.apache5.connector.Apache5ClientProperties;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.apache5.connector.Apache5HttpClientBuilderConfigurator;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.ClientProperties;

/**
 * Jersey clients on the Apache 5 connector, one per route (direct, or a given proxy), built once and reused.
 * Apache 5 because it streams responses, pools connections explicitly, and aborts a response whose stream
 * is closed early, which is how a client disconnect cancels the upstream call.
 */
final class JerseyClients implements AutoCloseable {
    /** Enough for many concurrent open streams to one upstream host; the default pool allows 5. */
    private static final int MAX_CONNECTIONS = 2_000;

    private final SSLContext sslContext;
    private final boolean skipHostnameCheck;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final List<PoolingHttpClientConnectionManager> managers = new CopyOnWriteArrayList<>();

    JerseyClients(GatewayConfig config) {
        this.sslContext = TlsTrust.sslContext(config);
        this.skipHostnameCheck = config.disableSslVerify();
    }

    /** The client for a route: {@code proxy} empty means direct. */
    Client client(Optional<URI> proxy) {
        return clients.computeIfAbsent(proxy.map(URI::toString).orElse("direct"), key -> build(proxy));
    }

    private Client build(Optional<URI> proxy) {
        PoolingHttpClientConnectionManager manager = connectionManager();
        managers.add(manager);
        ClientConfig config = new ClientConfig()
                .connectorProvider(new Apache5ConnectorProvider())
                .property(Apache5ClientProperties.CONNECTION_MANAGER, manager)
                // Jersey may build more than one Apache client per Jersey client; none of them may close the pool.
                .property(Apache5ClientProperties.CONNECTION_MANAGER_SHARED, true)
                .property(ClientProperties.FOLLOW_REDIRECTS, false)
                // Apache would otherwise ask for gzip and decode it, holding back SSE events in its inflater.
                .register((Apache5HttpClientBuilderConfigurator) builder ->
                        builder.disableContentCompression().disableAutomaticRetries().disableCookieManagement());
        proxy.ifPresent(uri -> {
            config.property(ClientProperties.PROXY_URI, withoutUserInfo(uri));
            userInfo(uri).ifPresent(credentials -> {
                config.property(ClientProperties.PROXY_USERNAME, credentials[0]);
                config.property(ClientProperties.PROXY_PASSWORD, credentials[1]);
            });
        });
        return ClientBuilder.newBuilder().withConfig(config).sslContext(sslContext).build();
    }

    private PoolingHttpClientConnectionManager connectionManager() {
        SSLConnectionSocketFactoryBuilder tls = SSLConnectionSocketFactoryBuilder.create().setSslContext(sslContext);
        if (skipHostnameCheck) {
            tls.setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setSSLSocketFactory(tls.build())
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .build();
    }

    /**
     * A {@code Proxy-Authorization} header for a plain-http request through a proxy with credentials. Apache
     * answers a proxy's 407 by resending, which a streamed request body cannot be, so the credentials go with the
     * first try. Never for https: there the header would travel inside the tunnel to the upstream, and the
     * CONNECT carries the credentials instead.
     */
    static String proxyAuthorization(Optional<URI> route, URI target) {
        if (route.isEmpty() || !"http".equalsIgnoreCase(target.getScheme())) {
            return null;
        }
        return userInfo(route.get()).map(credentials -> "Basic " + java.util.Base64.getEncoder().encodeToString(
                (credentials[0] + ":" + credentials[1]).getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    private static String withoutUserInfo(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    static Optional<String[]> userInfo(URI uri) {
        String raw = uri.getRawUserInfo();
        if (raw == null || !raw.contains(":")) {
            return Optional.empty();
        }
        int colon = raw.indexOf(':');
        return Optional.of(new String[] {
            URLDecoder.decode(raw.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(raw.substring(colon + 1), StandardCharsets.UTF_8)});
    }

    /** Upstream connections in use and idle in the pools, summed over routes (a leak shows as leased > 0 at rest). */
    int[] poolStats() {
        int leased = 0;
        int available = 0;
        for (PoolingHttpClientConnectionManager manager : managers) {
            leased += manager.getTotalStats().getLeased();
            available += manager.getTotalStats().getAvailable();
        }
        return new int[] {leased, available};
    }

    @Override
    public void close() {
        clients.values().forEach(Client::close);
        clients.clear();
        managers.forEach(PoolingHttpClientConnectionManager::close);
    }
}
