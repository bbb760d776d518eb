package io.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.auth.CredentialsProviderBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestForwardProxyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void proxiesAPlainGetToTheTarget() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy());

        // when
        HttpResponse<String> response = get(jdkClient(proxy, null), upstream.uri("/v1/models"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
        assertThat(proxy.targets()).containsExactly("GET " + upstream.uri("/v1/models"));
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void nothingListensOn127002AtTheUpstreamPort() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());

        // when / then: the premise of every "reachable only through the proxy" test
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.2", upstream.port()),
                    SOCKET_TIMEOUT_MILLIS)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void mappedHostMakesTheUpstreamReachableOnlyThroughTheProxy() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy().mapHost("127.0.0.2", "127.0.0.1"));
        URI hidden = URI.create("http://127.0.0.2:" + upstream.port() + "/v1/models");

        // when
        HttpResponse<String> response = get(jdkClient(proxy, null), hidden);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).containsExactly("GET " + hidden);
        assertThat(upstream.received().get(0).headers()).containsEntry("host", "127.0.0.2:" + upstream.port());
        assertThatThrownBy(() -> get(jdkClient(null, null), hidden)).isInstanceOf(ConnectException.class);
    }

    @Test
    void eventStreamFlowsThroughBeforeTheUpstreamFinishes() throws Exception {
        // given: the upstream holds the rest of its stream until the test has seen the first event
        CountDownLatch firstEventSeen = new CountDownLatch(1);
        AtomicBoolean releasedByTheTest = new AtomicBoolean();
        ScriptedUpstream upstream = track(new ScriptedUpstream()).onChat(ScriptedUpstream.sse(
                List.of("data: first\n\n", "data: second\n\n", "data: [DONE]\n\n"), frame -> {
                    if (frame == 0) {
                        releasedByTheTest.set(await(firstEventSeen));
                    }
                }));
        TestForwardProxy proxy = track(new TestForwardProxy());
        HttpRequest request = HttpRequest.newBuilder(upstream.uri("/v1/chat/completions")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build();

        // when
        HttpResponse<InputStream> response = jdkClient(proxy, null).send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            lines.add(reader.readLine());
            firstEventSeen.countDown();
            reader.lines().forEach(lines::add);
        }

        // then
        assertThat(lines.get(0)).isEqualTo("data: first");
        assertThat(releasedByTheTest).as("first event arrived while the upstream was still streaming").isTrue();
        assertThat(lines).containsSubsequence("data: first", "data: second", "data: [DONE]");
        assertThat(upstream.lastChat().body()).isEqualTo("{\"stream\":true}");
    }

    @Test
    void chunkedRequestBodyIsForwardedIntact() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy());
        byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(upstream.uri("/v1/chat/completions")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        // when
        HttpResponse<String> response = jdkClient(proxy, null).send(request, HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastChat().headers()).containsEntry("transfer-encoding", "chunked");
        assertThat(upstream.lastChat().body()).isEqualTo("{\"messages\":[]}");
    }

    @Test
    void expectContinueIsAnsweredByTheProxy() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy());
        HttpRequest request = HttpRequest.newBuilder(upstream.uri("/v1/chat/completions")).timeout(TIMEOUT)
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        // when
        HttpResponse<String> response = jdkClient(proxy, null).send(request, HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastChat().body()).isEqualTo("{}");
        assertThat(upstream.lastChat().headers()).doesNotContainKey("expect");
    }

    @Test
    void connectTunnelCarriesTlsToTheMappedUpstream() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");
        TestPki.Server identity = ca.issueServer(List.of("localhost"), List.of("127.0.0.1", "127.0.0.2"));
        ScriptedUpstream upstream = track(ScriptedUpstream.https(identity.sslContext()));
        TestForwardProxy proxy = track(new TestForwardProxy().mapHost("127.0.0.2", "127.0.0.1"));
        URI hidden = URI.create("https://127.0.0.2:" + upstream.port() + "/v1/models");

        // when
        HttpResponse<String> response = get(jdkClient(proxy, ca.clientSslContext()), hidden);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).containsExactly("CONNECT 127.0.0.2:" + upstream.port());
    }

    @Test
    void connectWithoutCredentialsGets407AndTheRetryOnTheSameConnectionSucceeds() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "s3cret"));
        String target = "127.0.0.1:" + upstream.port();

        try (Socket socket = rawSocket(proxy)) {
            // when
            Response refused = exchange(socket, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
            Response accepted = exchange(socket, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target
                    + "\r\nProxy-Authorization: " + basic("alice", "s3cret") + "\r\n\r\n");
            Response tunnelled = exchange(socket, "GET /v1/models HTTP/1.1\r\nHost: " + target
                    + "\r\nConnection: close\r\n\r\n");

            // then
            assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 407 Proxy Authentication Required");
            assertThat(refused.headers()).containsEntry("proxy-authenticate", "Basic realm=\"test-proxy\"");
            assertThat(accepted.statusLine()).isEqualTo("HTTP/1.1 200 Connection established");
            assertThat(tunnelled.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(proxy.authFailures()).isEqualTo(1);
            assertThat(proxy.connections()).isEqualTo(1);
            assertThat(proxy.targets()).containsExactly("CONNECT " + target);
        }
    }

    @Test
    void retryWithCredentialsOnANewConnectionSucceedsToo() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "s3cret"));
        String target = "127.0.0.1:" + upstream.port();
        try (Socket first = rawSocket(proxy)) {
            exchange(first, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target
                    + "\r\nProxy-Authorization: " + basic("alice", "wrong") + "\r\nConnection: close\r\n\r\n");
            assertThat(first.getInputStream().read()).as("closed after the 407, as asked").isEqualTo(-1);
        }

        // when
        try (Socket second = rawSocket(proxy)) {
            Response accepted = exchange(second, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target
                    + "\r\nProxy-Authorization: " + basic("alice", "s3cret") + "\r\n\r\n");

            // then
            assertThat(accepted.statusLine()).isEqualTo("HTTP/1.1 200 Connection established");
            assertThat(proxy.authFailures()).isEqualTo(1);
            assertThat(proxy.connections()).isEqualTo(2);
        }
    }

    @Test
    void apacheClientRetriesConnectWithBasicCredentialsOverTls() throws Exception {
        // given: the gateway's HTTP stack, answering the 407 on the connection it keeps open
        TestPki.Ca ca = TestPki.newCa("Test CA");
        TestPki.Server identity = ca.issueServer(List.of(), List.of("127.0.0.2"));
        ScriptedUpstream upstream = track(ScriptedUpstream.https(identity.sslContext()));
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "s3cret")
                .mapHost("127.0.0.2", "127.0.0.1"));
        HttpHost proxyHost = new HttpHost("http", "127.0.0.1", proxy.port());
        CredentialsProvider credentials = CredentialsProviderBuilder.create()
                .add(new AuthScope(proxyHost), "alice", "s3cret".toCharArray()).build();
        CloseableHttpClient client = track(HttpClients.custom().setProxy(proxyHost)
                .setDefaultCredentialsProvider(credentials)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setSSLSocketFactory(SSLConnectionSocketFactoryBuilder.create()
                                .setSslContext(ca.clientSslContext()).build())
                        .build())
                .build());

        // when
        String body = client.execute(new HttpGet("https://127.0.0.2:" + upstream.port() + "/v1/models"),
                response -> response.getCode() + " " + EntityUtils.toString(response.getEntity()));

        // then
        assertThat(body).isEqualTo("200 {\"object\":\"list\",\"data\":[]}");
        assertThat(proxy.authFailures()).isEqualTo(1);
        assertThat(proxy.connections()).as("the CONNECT was retried on the same connection").isEqualTo(1);
        assertThat(proxy.targets()).containsExactly("CONNECT 127.0.0.2:" + upstream.port());
    }

    @Test
    void plainRequestIsRetriedWithCredentialsAndForwardedWithoutThem() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "s3cret"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return getRequestorType() == RequestorType.PROXY
                                ? new PasswordAuthentication("alice", "s3cret".toCharArray()) : null;
                    }
                }).build();

        // when
        HttpResponse<String> response = get(client, upstream.uri("/v1/models"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.authFailures()).isEqualTo(1);
        assertThat(upstream.received()).hasSize(1);
        assertThat(upstream.received().get(0).headers()).doesNotContainKey("proxy-authorization");
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        // given
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "s3cret"));

        try (Socket socket = rawSocket(proxy)) {
            // when
            Response refused = exchange(socket, "GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\n"
                    + "Proxy-Authorization: " + basic("alice", "guess") + "\r\n\r\n");

            // then
            assertThat(refused.statusLine()).startsWith("HTTP/1.1 407 ");
            assertThat(proxy.authFailures()).isEqualTo(1);
            assertThat(proxy.targets()).isEmpty();
        }
    }

    @Test
    void uriWithCredentialsCarriesThemAsUserInfo() {
        // given
        TestForwardProxy proxy = track(TestForwardProxy.withCredentials("alice", "p@ss word"));

        // when
        URI uri = proxy.uriWithCredentials();

        // then
        assertThat(uri.getUserInfo()).isEqualTo("alice:p@ss word");
        assertThat(uri.toString()).isEqualTo("http://alice:p%40ss%20word@127.0.0.1:" + proxy.port());
        assertThat(proxy.uri().toString()).isEqualTo("http://127.0.0.1:" + proxy.port());
    }

    @Test
    void unreachableTargetGets502() throws Exception {
        // given: a port where nothing listens any more
        ScriptedUpstream gone = new ScriptedUpstream();
        gone.close();
        TestForwardProxy proxy = track(new TestForwardProxy());

        // when
        HttpResponse<String> response = get(jdkClient(proxy, null), gone.uri("/v1/models"));

        // then
        assertThat(response.statusCode()).isEqualTo(502);
    }

    @Test
    void nonLoopbackTargetsAreRefused() throws Exception {
        // given
        TestForwardProxy proxy = track(new TestForwardProxy());

        try (Socket socket = rawSocket(proxy)) {
            // when
            Response refused = exchange(socket, "CONNECT 192.0.2.1:443 HTTP/1.1\r\nHost: 192.0.2.1:443\r\n\r\n");

            // then
            assertThat(refused.statusLine()).startsWith("HTTP/1.1 502 ");
        }
    }

    @Test
    void stoppingClosesOpenTunnelsAndRefusesNewConnections() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy());
        String target = "127.0.0.1:" + upstream.port();
        try (Socket tunnel = rawSocket(proxy)) {
            Response accepted = exchange(tunnel, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
            assertThat(accepted.statusLine()).isEqualTo("HTTP/1.1 200 Connection established");

            // when
            proxy.stop();

            // then
            assertThat(readOrReset(tunnel.getInputStream())).isEqualTo(-1);
            assertThatThrownBy(() -> rawSocket(proxy)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void restartedProxyServesOnTheSamePort() throws Exception {
        // given
        ScriptedUpstream upstream = track(new ScriptedUpstream());
        TestForwardProxy proxy = track(new TestForwardProxy());
        proxy.stop();

        // when
        proxy.restart();

        // then
        assertThat(get(jdkClient(proxy, null), upstream.uri("/v1/models")).statusCode()).isEqualTo(200);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(0, resource);
        return resource;
    }

    private static HttpClient jdkClient(TestForwardProxy proxy, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT);
        if (proxy != null) {
            builder.proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())));
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Socket rawSocket(TestForwardProxy proxy) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), SOCKET_TIMEOUT_MILLIS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** A response as a raw client sees it: status line, headers (lower-case names) and a Content-Length body. */
    private record Response(String statusLine, Map<String, String> headers, String body) {
    }

    private static Response exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = length > 0 ? new String(in.readNBytes(length), StandardCharsets.UTF_8) : "";
        return new Response(statusLine, headers, body);
    }

    // unbuffered, so the bytes after a response head stay in the socket for the tunnel
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketTimeoutException e) {
            throw e; // still open: not what the caller expects
        } catch (IOException e) {
            return -1; // a reset is a close too
        }
    }
}
