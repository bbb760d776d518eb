package io.llmgateway;

import static io.llmgateway.testing.ScriptedUpstream.json;
import static io.llmgateway.testing.ScriptedUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.config.Json;
import io.llmgateway.testing.GatewayServer;
import io.llmgateway.testing.ScriptedUpstream;
import io.llmgateway.testing.TestForwardProxy;
import io.llmgateway.testing.TestPki;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corporate networks, against real servers on loopback: a forward proxy (plain and CONNECT, with and without
 * Basic credentials) and TLS upstreams whose certificates come from a CA generated in the test. An upstream
 * configured at 127.0.0.2 is reachable only through the proxy, which maps that address to 127.0.0.1.
 */
class CorporateNetworkTest {
    private static final String CHAT = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String STREAM =
            "{\"model\":\"test-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"test-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private GatewayServer gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(resource);
        return resource;
    }

    private ScriptedUpstream plainUpstream() {
        return closing(new ScriptedUpstream()).onChat(json(200, COMPLETION));
    }

    /** Token, catalog and chat URLs of {@code upstream}, at {@code host} instead of 127.0.0.1. */
    private Map<String, String> config(ScriptedUpstream upstream, String host) {
        Map<String, String> config = new LinkedHashMap<>();
        upstream.gatewayConfig(dir.resolve(".env").toString()).forEach((key, value) ->
                config.put(key, value.replace("127.0.0.1", host)));
        config.put("OAUTH_REFRESH_TOKEN", "rt");
        return config;
    }

    private void startGateway(Map<String, String> config) {
        gateway = GatewayServer.start(config, null, waits::add);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stream's upstream connection goes back to the pool just after the client has the last byte. */
    private void awaitNoUpstreamConnectionInUse() throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Json.MAPPER.readTree(health()).path("load").path("upstream_connections_in_use").asInt() == 0) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private String health() throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("health")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void anUpstreamReachableOnlyThroughTheProxyIsReachedByFallingBackAndTheProxyStaysFirst() throws Exception {
        // given
        ScriptedUpstream upstream = plainUpstream();
        TestForwardProxy proxy = closing(new TestForwardProxy()).mapHost("127.0.0.2", "127.0.0.1");
        Map<String, String> config = config(upstream, "127.0.0.2");
        config.put("HTTP_PROXY_URL", proxy.uri().toString());
        startGateway(config);

        // when
        HttpResponse<String> first = post(CHAT);
        HttpResponse<String> second = post(CHAT);

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).anySatisfy(t -> assertThat(t).contains("/oauth2/v1/token"))
                .filteredOn(t -> t.contains("/chat/completions")).hasSize(2);
        assertThat(waits).isEmpty();
        assertThat(health()).contains("\"last_route\":\"proxy\"").contains("\"proxy_preferred\":true");
    }

    @Test
    void forceProxyRoutesTokenCatalogInferenceAndStreamingThroughTheProxy() throws Exception {
        // given an upstream that is also reachable directly
        ScriptedUpstream upstream = plainUpstream()
                .onModels(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\"}]}"));
        TestForwardProxy proxy = closing(new TestForwardProxy());
        Map<String, String> config = config(upstream, "127.0.0.1");
        config.put("FORCE_PROXY", "true");
        config.put("HTTP_PROXY_URL", proxy.uri().toString());
        config.put("LLM_MODELS_API_URL", upstream.uri("/v1/models").toString());
        startGateway(config);

        // when
        http.send(HttpRequest.newBuilder(gateway.uri("v1/models")).build(), HttpResponse.BodyHandlers.ofString());
        post(CHAT);
        upstream.onChat(ScriptedUpstream.sse(List.of("data: {\"choices\":[]}\n\n", "data: [DONE]\n\n")));
        HttpResponse<String> stream = post(STREAM);

        // then
        assertThat(stream.body()).endsWith("data: [DONE]\n\n");
        assertThat(proxy.targets()).anySatisfy(t -> assertThat(t).contains("/oauth2/v1/token"))
                .anySatisfy(t -> assertThat(t).contains("/v1/models"))
                .filteredOn(t -> t.contains("/chat/completions")).hasSize(2);
        assertThat(upstream.received()).hasSameSizeAs(proxy.targets());
    }

    @Test
    void forceProxyWithAnUnreachableProxyWarnsFallsBackToDirectAndSaysSoOnHealth() throws Exception {
        // given
        ScriptedUpstream upstream = plainUpstream();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> config = config(upstream, "127.0.0.1");
        config.put("FORCE_PROXY", "true");
        config.put("HTTP_PROXY_URL", "http://user:secret@127.0.0.1:" + closedPort);
        startGateway(config);

        // when
        HttpResponse<String> response = post(CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health()).contains("FORCE_PROXY=true but the proxy is unreachable")
                .contains("\"last_route\":\"direct\"").contains("****@127.0.0.1").doesNotContain("secret");
    }

    @Test
    void proxyCredentialsWorkForAPlainHttpUpstream() throws Exception {
        // given
        ScriptedUpstream upstream = plainUpstream();
        TestForwardProxy proxy = closing(TestForwardProxy.withCredentials("corp user", "p@ss:w0rd"))
                .mapHost("127.0.0.2", "127.0.0.1");
        Map<String, String> config = config(upstream, "127.0.0.2");
        config.put("HTTP_PROXY_URL", proxy.uriWithCredentials().toString());
        startGateway(config);

        // when
        HttpResponse<String> response = post(CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).filteredOn(t -> t.contains("/chat/completions")).hasSize(1);
        assertThat(upstream.lastChat().headers()).doesNotContainKey("proxy-authorization");
    }

    @Test
    void proxyCredentialsWorkForAnHttpsUpstreamThroughConnect() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Corp Test CA");
        ScriptedUpstream upstream = closing(ScriptedUpstream.https(
                ca.issueServer(List.of("localhost"), List.of("127.0.0.1", "127.0.0.2")).sslContext()))
                .onChat(json(200, COMPLETION));
        TestForwardProxy proxy = closing(TestForwardProxy.withCredentials("corp", "secret"))
                .mapHost("127.0.0.2", "127.0.0.1");
        Map<String, String> config = config(upstream, "127.0.0.2");
        config.put("HTTP_PROXY_URL", proxy.uriWithCredentials().toString());
        config.put("MULTI_CA_BUNDLE", ca.writePem(dir.resolve("corp-ca.pem")).toString());
        startGateway(config);

        // when
        HttpResponse<String> response = post(CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).anySatisfy(t -> assertThat(t).startsWith("CONNECT 127.0.0.2:"));
        assertThat(upstream.lastChat().headers()).doesNotContainKey("proxy-authorization");
    }

    @Test
    void anUntrustedCertificateFailsWithAClearMessageAndTheCaInMultiCaBundleFixesIt() throws Exception {
        // given a TLS upstream whose CA the JDK does not know, and a static key so only inference talks TLS
        TestPki.Ca ca = TestPki.newCa("Intercepting Proxy CA");
        ScriptedUpstream upstream = closing(ScriptedUpstream.https(
                ca.issueServer(List.of("localhost"), List.of("127.0.0.1")).sslContext())).onChat(json(200, COMPLETION));
        Map<String, String> config = config(upstream, "127.0.0.1");
        config.put("LLM_API_KEY", "static");
        startGateway(config);

        // when
        HttpResponse<String> untrusted = post(CHAT);
        gateway.close();
        config.put("MULTI_CA_BUNDLE", ca.writePem(dir.resolve("ca.pem")).toString());
        startGateway(config);
        HttpResponse<String> trusted = post(CHAT);

        // then
        assertThat(untrusted.statusCode()).isEqualTo(502);
        assertThat(untrusted.body()).contains("TLS handshake").contains("certification path")
                .contains("MULTI_CA_BUNDLE");
        assertThat(trusted.statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingCaBundleStopsTheDeploymentNamingKeyAndFile() {
        // given
        Map<String, String> config = config(plainUpstream(), "127.0.0.1");
        config.put("MULTI_CA_BUNDLE", dir.resolve("no-such-ca.pem").toString());

        // when / then
        assertThatThrownBy(() -> startGateway(config)).hasStackTraceContaining("MULTI_CA_BUNDLE")
                .hasStackTraceContaining("no-such-ca.pem");
    }

    @Test
    void aReplacementBundleInRequestsCaBundleIsTrustedForTokenAndInference() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Internal PKI");
        ScriptedUpstream upstream = closing(ScriptedUpstream.https(
                ca.issueServer(List.of("localhost"), List.of("127.0.0.1")).sslContext())).onChat(json(200, COMPLETION));
        Map<String, String> config = config(upstream, "127.0.0.1");
        config.put("REQUESTS_CA_BUNDLE", ca.writePem(dir.resolve("bundle.pem")).toString());
        startGateway(config);

        // when
        HttpResponse<String> response = post(CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.tokenCalls()).isEqualTo(1);
    }

    @Test
    void disableSslVerifyAcceptsAnUntrustedCertificateForTheWrongHostAndSaysSoOnHealth() throws Exception {
        // given a certificate from an unknown CA, issued for another host name
        TestPki.Ca ca = TestPki.newCa("Burp-like CA");
        ScriptedUpstream upstream = closing(ScriptedUpstream.https(
                ca.issueServer(List.of("wrong.example"), List.of()).sslContext())).onChat(json(200, COMPLETION));
        Map<String, String> config = config(upstream, "127.0.0.1");
        config.put("DISABLE_SSL_VERIFY", "true");
        startGateway(config);

        // when
        HttpResponse<String> response = post(CHAT);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health()).contains("DISABLE_SSL_VERIFY=true").contains("\"tls_verification\":false");
    }

    @Test
    void proxySettingsChangedInTheEnvFileApplyToTheNextRequest() throws Exception {
        // given an upstream only reachable through a proxy the gateway does not know yet
        ScriptedUpstream upstream = plainUpstream();
        TestForwardProxy proxy = closing(new TestForwardProxy()).mapHost("127.0.0.2", "127.0.0.1");
        Map<String, String> config = config(upstream, "127.0.0.2");
        config.put("LLM_API_KEY", "static");
        startGateway(config);
        HttpResponse<String> before = post(CHAT);

        // when
        Path env = dir.resolve(".env");
        Files.writeString(env, "HTTP_PROXY_URL=" + proxy.uri() + "\nFORCE_PROXY=true\n");
        Files.setLastModifiedTime(env, FileTime.from(Instant.now().plusSeconds(5)));
        HttpResponse<String> after = post(CHAT);

        // then
        assertThat(before.statusCode()).isEqualTo(502);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(proxy.targets()).filteredOn(t -> t.contains("/chat/completions")).hasSize(1);
    }

    @Test
    void upstreamConnectionsAreReusedAcrossRequests() throws Exception {
        // given
        ScriptedUpstream upstream = plainUpstream();
        startGateway(config(upstream, "127.0.0.1"));

        // when
        for (int i = 0; i < 5; i++) {
            assertThat(post(CHAT).statusCode()).isEqualTo(200);
        }

        // then: six calls (a token and five chats) over at most two pooled connections
        assertThat(upstream.received()).hasSize(6);
        assertThat(upstream.clientPorts()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void upstreamConnectionsAreReusedAcrossStreams() throws Exception {
        // given: chunked streams whose head also carries Date and Content-Type, which the gateway lets go of
        ScriptedUpstream upstream = closing(new ScriptedUpstream()).onChat(sse(List.of(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n", "data: [DONE]\n\n")));
        startGateway(config(upstream, "127.0.0.1"));

        // when
        List<HttpResponse<String>> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            streams.add(post(STREAM));
            awaitNoUpstreamConnectionInUse();
        }

        // then: the token call on the quick client's connection, the five streams on one pooled connection
        assertThat(streams).allSatisfy(stream -> {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("\"ok\"").endsWith("data: [DONE]\n\n");
        });
        assertThat(upstream.received()).hasSize(6);
        assertThat(upstream.clientPorts()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void upstreamConnectionsAreReusedAcrossAnthropicRequests() throws Exception {
        // given
        ScriptedUpstream upstream = plainUpstream();
        startGateway(config(upstream, "127.0.0.1"));

        // when
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(http.send(HttpRequest.newBuilder(gateway.uri("v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"test-model\",\"max_tokens\":64,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        // then: the translated answers are read to their end, so their connection goes back to the pool
        assertThat(answers).allSatisfy(answer -> assertThat(answer.body()).contains("\"text\":\"ok\""));
        assertThat(upstream.received()).hasSize(6);
        assertThat(upstream.clientPorts()).hasSizeLessThanOrEqualTo(2);
    }
}
