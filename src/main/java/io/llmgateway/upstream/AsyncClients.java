package io.llmgateway.upstream;

import io.llmgateway.config.LiveConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;

/**
 * Non-blocking Apache 5 clients for streamed inference, one per route (direct, or a given proxy), built once.
 * A few I/O threads serve every open stream, so thousands of streams cost sockets and small buffers, not
 * threads. Same trust, proxy credentials and pool discipline as {@link BlockingClients}.
 */
final class AsyncClients implements AutoCloseable {
    /** One connection per open stream (HTTP/1.1): sized for thousands of them. */
    private static final int MAX_CONNECTIONS = 20_000;
    /**
     * Apache gives every connection three buffers of this size (input, output, decoded content) for its whole
     * life, and an open stream is mostly idle. Stream events are a few hundred bytes (larger ones take several
     * reads; a large request body bypasses the output buffer). 512 bytes instead of 1 KB: 1.5 KB less heap per
     * open stream, with no CPU per streamed request measurable above this machine's noise.
     */
    private static final int BUFFER_BYTES = 512;
    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);

    private final LiveConfig config;
    private final SSLContext sslContext;
    private final boolean skipHostnameCheck;
    private final Map<String, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();
    private final List<PoolingAsyncClientConnectionManager> managers = new CopyOnWriteArrayList<>();

    /** @param sslContext the gateway's trust ({@link TlsTrust}), built once for both kinds of client */
    AsyncClients(LiveConfig config, SSLContext sslContext) {
        this.config = config;
        this.sslContext = sslContext;
        this.skipHostnameCheck = config.current().disableSslVerify();
    }

    /** The client for a route: {@code proxy} empty means direct. */
    CloseableHttpAsyncClient client(Optional<URI> proxy) {
        return clients.computeIfAbsent(proxy.map(URI::toString).orElse("direct"), key -> build(proxy));
    }

    private CloseableHttpAsyncClient build(Optional<URI> proxy) {
        ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(sslContext);
        if (skipHostnameCheck) {
            tls.setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
        PoolingAsyncClientConnectionManager manager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(tls.build())
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setConnectionConfigResolver(BlockingClients.liveConnectTimeout(config))
                // HTTP/1.1 even where TLS could negotiate h2: one connection per stream is what the pool is sized for
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
        managers.add(manager);
        var builder = HttpAsyncClients.custom()
                .setConnectionManager(manager)
                .setHttp1Config(Http1Config.custom().setBufferSize(BUFFER_BYTES).setChunkSizeHint(BUFFER_BYTES).build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(2, Runtime.getRuntime().availableProcessors())).build())
                .setThreadFactory(runnable -> {
                    Thread thread = new Thread(runnable, "gateway-upstream-io");
                    thread.setDaemon(true);
                    return thread;
                })
                // After a burst of streams, idle upstream connections would otherwise stay open (and in memory)
                .evictIdleConnections(IDLE_EVICTION)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                // Pooled connections carry no per-user state here (one gateway identity, no TLS client
                // certificates), and Apache's check for it costs a context lookup and a scan per request.
                .disableConnectionState();
        proxy.ifPresent(uri -> {
            builder.setProxy(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()));
            BlockingClients.credentials(uri).ifPresent(provider -> builder.setDefaultCredentialsProvider(provider));
        });
        CloseableHttpAsyncClient client = builder.build();
        client.start();
        return client;
    }

    /** Connections in use and idle, summed over routes: {@code [leased, available]}. */
    int[] poolStats() {
        return BlockingClients.poolStats(managers);
    }

    @Override
    public void close() {
        clients.values().forEach(client -> client.close(CloseMode.IMMEDIATE));
        clients.clear();
        managers.forEach(manager -> manager.close(CloseMode.IMMEDIATE));
    }
}
