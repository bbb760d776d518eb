package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import io.llmgateway.config.LiveConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * All HTTP to the upstream and the authorization server, under two policies. <b>Quick</b> calls (token,
 * catalog) use {@code CONNECTION_TIMEOUT} and are retried with backoff and jitter, honouring
 * {@code Retry-After}, across direct and proxy. <b>Inference</b> uses {@code LLM_REQUEST_TIMEOUT} as the read
 * timeout (between bytes, not for the whole stream) and is retried, on either route, only while no connection
 * could be made at all, so a prompt is never sent twice.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Waits between retries; injected so tests do not sleep. */
    public interface Sleeper {
        /** Really waits: quick calls block, streamed calls wait on a timer without holding a thread. */
        Sleeper REAL = new Sleeper() {
            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }

            @Override
            public void schedule(Duration duration, Runnable then, ScheduledExecutorService timer) {
                timer.schedule(then, duration.toNanos(), TimeUnit.NANOSECONDS);
            }
        };

        /** Blocks the caller (a quick call, which holds its thread anyway). */
        void sleep(Duration duration) throws InterruptedException;

        /**
         * Runs {@code then} once {@code duration} has passed, on {@code timer}. This default hands the wait to
         * {@link #sleep} on the timer's thread, so a test's recording sleeper runs {@code then} at once.
         */
        default void schedule(Duration duration, Runnable then, ScheduledExecutorService timer) {
            timer.execute(() -> {
                try {
                    sleep(duration);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                then.run();
            });
        }
    }

    static final int QUICK_ATTEMPTS = 3;
    private static final int MAX_ERROR_BODY = 1 << 20;
    static final List<String> RELAYED_HEADERS =
            List.of("retry-after", "retry-after-ms", "x-should-retry", "x-request-id", "content-type");

    private final LiveConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final BlockingClients clients;
    private final AsyncClients streams;
    private final Routes routes;
    private final BearerHeader bearers = new BearerHeader();
    /** Blocking work a stream may need (a token refresh after a 401), kept off the I/O threads. */
    private final ExecutorService blockingWork = Executors.newCachedThreadPool(daemon("gateway-upstream-refresh"));
    /** Where a streamed call waits out its retry backoff: one thread for all of them. */
    private final ScheduledExecutorService retryTimer =
            Executors.newSingleThreadScheduledExecutor(daemon("gateway-upstream-retry"));

    public UpstreamClient(LiveConfig config, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        // Built once: reading the CA bundles (and warning about DISABLE_SSL_VERIFY) is not worth doing twice
        SSLContext tls = TlsTrust.sslContext(config.current());
        this.clients = new BlockingClients(config, tls);
        this.streams = new AsyncClients(config, tls);
        this.routes = new Routes(clock);
    }

    /** Answer of a quick call that reached the server: status and JSON body (null when not JSON). */
    public record QuickAnswer(int status, JsonNode body) {
    }

    /** Quick GET of a JSON document; any non-2xx is an {@link UpstreamException}. */
    public JsonNode getJson(URI url, String bearer) {
        QuickAnswer answer = quick(url, true, () -> {
            HttpGet get = new HttpGet(url);
            if (bearer != null) {
                get.setHeader(bearers.of(bearer));
            }
            return get;
        });
        return answer.body();
    }

    /** Quick form POST (the token call); the caller interprets error statuses. A lost answer is not retried. */
    public QuickAnswer postForm(URI url, Map<String, String> fields) {
        List<NameValuePair> form = new ArrayList<>();
        fields.forEach((name, value) -> form.add(new BasicNameValuePair(name, value)));
        return quick(url, false, () -> {
            HttpPost post = new HttpPost(url);
            post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
            return post;
        });
    }

    /**
     * Sends an inference request and returns once the upstream has answered with its headers. A non-2xx
     * answer is an {@link UpstreamException} carrying the upstream's status, headers and body.
     */
    public UpstreamResponse postJson(URI url, byte[] body, String bearer, boolean stream) {
        GatewayConfig current = config.current();
        UpstreamException unreachable = null;
        for (int attempt = 1; attempt <= QUICK_ATTEMPTS; attempt++) {
            for (Optional<URI> route : routes.order(current)) {
                HttpPost post = new HttpPost(url);
                post.setHeader("Accept", stream ? "text/event-stream" : "application/json");
                if (bearer != null) {
                    post.setHeader(bearers.of(bearer));
                }
                proxyAuthorization(post, route, url);
                post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                Instant start = clock.instant();
                ClassicHttpResponse response;
                try {
                    // Open: the answer streams to the client after this returns; closing it releases the connection.
                    response = clients.client(route).executeOpen(null, post, context(current.requestTimeout()));
                } catch (IOException e) {
                    UpstreamException failure = classify(e, url, route);
                    if (failure.kind() != UpstreamException.Kind.UNREACHABLE) {
                        throw failure; // the request may have reached the model: never send a prompt twice
                    }
                    unreachable = failure;
                    continue;
                }
                routes.worked(route, current);
                if (response.getCode() / 100 != 2) {
                    throw errorOf(response);
                }
                return new UpstreamResponse(post, response, Duration.between(start, clock.instant()));
            }
            if (attempt < QUICK_ATTEMPTS) {
                pause(backoff(attempt));
            }
        }
        throw unreachable;
    }

    /**
     * Sends a streaming inference request without blocking: the answer, its events and its end or failure go
     * to {@code listener} from the I/O threads. Same routes and retry rule as {@link #postJson}: another route
     * or attempt only while no connection could be made, so a prompt is never sent twice.
     */
    public void stream(URI url, byte[] body, String bearer, StreamListener listener) {
        new StreamCall(url, body, bearer, listener).next(null);
    }

    /** Runs blocking work on behalf of a stream (never on an I/O thread). */
    void offload(Runnable task) {
        blockingWork.execute(task);
    }

    /** One streamed call's walk over routes and attempts. */
    private final class StreamCall {
        private final URI url;
        /** Kept for another route or attempt until the upstream answers, then let go (see {@link SentOnceBody}). */
        private byte[] body;
        private final String bearer;
        private final StreamListener listener;
        private final GatewayConfig current = config.current();
        private List<Optional<URI>> order = routes.order(current);
        private int attempt = 1;
        private int index;

        StreamCall(URI url, byte[] body, String bearer, StreamListener listener) {
            this.url = url;
            this.body = body;
            this.bearer = bearer;
            this.listener = listener;
        }

        /** Tries the next route (or, after the last one, the next attempt after a backoff). */
        void next(UpstreamException unreachable) {
            if (index == order.size()) {
                if (attempt == QUICK_ATTEMPTS) {
                    listener.onFailure(unreachable);
                    return;
                }
                try {
                    sleeper.schedule(backoff(attempt), () -> {
                        attempt++;
                        index = 0;
                        order = routes.order(current);
                        next(unreachable);
                    }, retryTimer);
                } catch (RejectedExecutionException e) {
                    listener.onFailure(unreachable); // shutting down
                }
                return;
            }
            Optional<URI> route = order.get(index++);
            SseExchange exchange = new SseExchange(new RouteListener(route), cause -> {
                UpstreamException failure = classify(cause, url, route);
                if (failure.kind() == UpstreamException.Kind.UNREACHABLE) {
                    next(failure);
                } else {
                    listener.onFailure(failure); // the request may have reached the model: never send a prompt twice
                }
            }, clock);
            // On the non-blocking client the read timeout is the connection's idle timeout for the whole
            // exchange: between bytes of the stream, not for the stream as a whole.
            exchange.started(streams.client(route).execute(producer(route), exchange, null,
                    context(current.requestTimeout()), exchange));
        }

        /** The request for one route: the body, the bearer and, for a plain-http proxy, its credentials. */
        private AsyncRequestProducer producer(Optional<URI> route) {
            AsyncRequestBuilder builder = AsyncRequestBuilder.post(url)
                    .setHeader("Accept", "text/event-stream")
                    .setEntity(new SentOnceBody(body));
            if (bearer != null) {
                builder.setHeader(bearers.of(bearer));
            }
            String proxyAuthorization = BlockingClients.proxyAuthorization(route, url);
            if (proxyAuthorization != null) {
                builder.setHeader("Proxy-Authorization", proxyAuthorization);
            }
            return builder.build();
        }

        /** Marks the route as working once it answered, then passes everything on. */
        private final class RouteListener extends ForwardingStreamListener {
            private final Optional<URI> route;

            RouteListener(Optional<URI> route) {
                super(listener);
                this.route = route;
            }

            @Override
            public void onOpen(UpstreamStream stream) {
                body = null; // answered: no other route will be tried
                routes.worked(route, current);
                super.onOpen(stream);
            }

            @Override
            public void onFailure(UpstreamException failure) {
                if (failure.kind() == UpstreamException.Kind.HTTP_STATUS) {
                    routes.worked(route, current);
                }
                super.onFailure(failure);
            }
        }
    }

    private QuickAnswer quick(URI url, boolean retryTimeouts, Supplier<HttpUriRequestBase> requests) {
        GatewayConfig current = config.current();
        UpstreamException last = null;
        for (int attempt = 1; attempt <= QUICK_ATTEMPTS; attempt++) {
            Duration wait = backoff(attempt);
            for (Optional<URI> route : routes.order(current)) {
                HttpUriRequestBase request = requests.get();
                request.setHeader("Accept", "application/json");
                proxyAuthorization(request, route, url);
                try (ClassicHttpResponse response = clients.client(route).executeOpen(null, request,
                        context(current.connectTimeout()))) {
                    routes.worked(route, current);
                    int status = response.getCode();
                    if ((status == 429 || status >= 500) && attempt < QUICK_ATTEMPTS) {
                        last = errorOf(response);
                        wait = retryAfter(response).orElse(wait);
                        break;
                    }
                    if (status / 100 != 2 && retryTimeouts) {
                        throw errorOf(response);
                    }
                    return new QuickAnswer(status, jsonOrNull(response));
                } catch (IOException e) {
                    last = classify(e, url, route);
                    if (last.kind() == UpstreamException.Kind.TIMEOUT && !retryTimeouts) {
                        throw last;
                    }
                }
            }
            if (attempt < QUICK_ATTEMPTS) {
                pause(wait);
            }
        }
        throw last;
    }

    /** The read timeout of one call: the longest wait for the answer's headers, and between its bytes. */
    private static HttpClientContext context(Duration readTimeout) {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout)).build());
        return context;
    }

    private static void proxyAuthorization(HttpUriRequestBase request, Optional<URI> route, URI url) {
        String credentials = BlockingClients.proxyAuthorization(route, url);
        if (credentials != null) {
            request.setHeader("Proxy-Authorization", credentials);
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** 0.5 s, 1 s, 2 s … with ±25 % jitter so many gateways do not retry in lockstep. */
    private static Duration backoff(int attempt) {
        long base = 500L << (attempt - 1);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(-base / 4, base / 4 + 1));
    }

    private static Optional<Duration> retryAfter(HttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.getValue().strip());
            return Optional.of(Duration.ofSeconds(Math.min(Math.max(seconds, 0), 30)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.unreachable("interrupted while waiting to retry", e);
        }
    }

    private static JsonNode jsonOrNull(ClassicHttpResponse response) {
        try {
            byte[] bytes = bodyOf(response);
            return bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads an error's (or quick answer's) body, up to 1 MB, and closes the response. */
    private static byte[] bodyOf(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new byte[0];
        }
        try (InputStream in = entity.getContent()) {
            return in.readNBytes(MAX_ERROR_BODY);
        }
    }

    private static UpstreamException errorOf(ClassicHttpResponse response) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : response.getHeaders()) {
            String lower = header.getName().toLowerCase(Locale.ROOT);
            if (RELAYED_HEADERS.contains(lower)) {
                headers.putIfAbsent(lower, header.getValue());
            }
        }
        byte[] body;
        try (response) {
            body = bodyOf(response);
        } catch (IOException e) {
            body = new byte[0];
        }
        return UpstreamException.status(response.getCode(), Map.copyOf(headers), body);
    }

    private static UpstreamException classify(Throwable e, URI url, Optional<URI> route) {
        String where = url.getScheme() + "://" + url.getAuthority() + " (" + Routes.describe(route) + ")";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return UpstreamException.unreachable("Cannot connect to " + where + ": " + t.getMessage(), e);
            }
            if (t instanceof SSLException) {
                return UpstreamException.unreachable("TLS handshake with " + where + " failed: " + t.getMessage()
                        + " (a corporate CA may be missing: see MULTI_CA_BUNDLE)", e);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return UpstreamException.timeout("No answer from " + where + " in time", e);
            }
        }
        return UpstreamException.unreachable("Call to " + where + " failed: " + e.getMessage(), e);
    }

    /** Pooled upstream connections: {@code [leased, available]}. */
    public int[] poolStats() {
        int[] blocking = clients.poolStats();
        int[] streaming = streams.poolStats();
        return new int[] {blocking[0] + streaming[0], blocking[1] + streaming[1]};
    }

    public NetworkStatus networkStatus() {
        return routes.status(config.current());
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        blockingWork.shutdownNow();
        streams.close();
        clients.close();
    }
}
