package io.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ScriptedUpstreamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void plainUpstreamStillServesHttpOn127001() throws Exception {
        // given
        try (ScriptedUpstream upstream = new ScriptedUpstream()) {
            // when
            HttpResponse<String> response = get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(),
                    upstream.uri("/v1/models"));

            // then
            assertThat(upstream.uri("/v1/models").toString()).startsWith("http://127.0.0.1:");
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void httpsUpstreamServesTheSameRoutesOverTls() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");
        TestPki.Server identity = ca.issueServer(List.of("localhost"), List.of("127.0.0.1"));
        try (ScriptedUpstream upstream = ScriptedUpstream.https(identity.sslContext())) {
            upstream.onChat(ScriptedUpstream.json(200, "{\"id\":\"tls\"}"));
            HttpClient client = tlsClient(ca);

            // when
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream.uri("/v1/chat/completions"))
                    .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(upstream.uri("/x").toString()).isEqualTo("https://127.0.0.1:" + upstream.port() + "/x");
            assertThat(response.body()).isEqualTo("{\"id\":\"tls\"}");
            assertThat(upstream.lastChat().body()).isEqualTo("{}");
        }
    }

    @Test
    void httpsUpstreamIsRejectedByClientsNotTrustingItsCa() throws Exception {
        // given
        TestPki.Server identity = TestPki.newCa("Test CA").issueServer(List.of(), List.of("127.0.0.1"));
        try (ScriptedUpstream upstream = ScriptedUpstream.https(identity.sslContext())) {
            HttpClient client = tlsClient(TestPki.newCa("Other CA"));

            // when / then
            assertThatThrownBy(() -> get(client, upstream.uri("/v1/models")))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void clientPortsShowOneConnectionReusedForSequentialRequests() throws Exception {
        // given
        try (ScriptedUpstream upstream = new ScriptedUpstream()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT).build();

            // when
            get(client, upstream.uri("/v1/models"));
            get(client, upstream.uri("/v1/models"));

            // then
            assertThat(upstream.received()).hasSize(2);
            assertThat(upstream.clientPorts()).hasSize(1);
        }
    }

    @Test
    void clientPortsShowSeparateConnectionsOfSeparateClients() throws Exception {
        // given
        try (ScriptedUpstream upstream = new ScriptedUpstream()) {
            // when
            get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), upstream.uri("/v1/models"));
            get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), upstream.uri("/v1/models"));

            // then
            assertThat(upstream.clientPorts()).hasSize(2);
        }
    }

    @Test
    void upstreamCanListenOnAnotherLoopbackAddress() throws Exception {
        // given
        try (ScriptedUpstream upstream = ScriptedUpstream.http("127.0.0.2")) {
            // when
            HttpResponse<String> response = get(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(),
                    upstream.uri("/v1/models"));

            // then
            assertThat(upstream.uri("/v1/models").getHost()).isEqualTo("127.0.0.2");
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void nonLoopbackAddressesAreRefused() {
        // when / then
        assertThatThrownBy(() -> ScriptedUpstream.http("0.0.0.0")).isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpClient tlsClient(TestPki.Ca ca) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .sslContext(ca.clientSslContext()).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
