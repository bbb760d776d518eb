package io.llmgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.QuietLogs;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client receives when an endpoint fails unexpectedly, over real HTTP on embedded Jetty. */
class DialectServletTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static QuietLogs quietLogs;
    private Server server;

    @BeforeAll
    static void muteTheExpectedFailureLogs() {
        quietLogs = QuietLogs.mute(DialectServlet.class);
    }

    @AfterAll
    static void restoreLogs() {
        quietLogs.restore();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aReplyThatFailsWhileWritingItsBodyBecomesTheDialectsErrorWithoutThePartialBody() throws Exception {
        // given
        URI uri = start(new Endpoint(response -> {
            response.setStatus(200);
            response.getOutputStream().write("{\"partial\":".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("secret internals");
        }));

        // when
        HttpResponse<String> answer = post(uri);

        // then
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).startsWith("{\"error\":\"Internal gateway error (request id ")
                .doesNotContain("partial").doesNotContain("secret internals").doesNotContain("Exception");
    }

    @Test
    void anAnswerThatThrowsBecomesTheDialectsError() throws Exception {
        // given
        URI uri = start(new Endpoint(null));

        // when
        HttpResponse<String> answer = post(uri);

        // then
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).startsWith("{\"error\":\"Internal gateway error").doesNotContain("Exception");
    }

    private static HttpResponse<String> post(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI start(DialectServlet servlet) throws Exception {
        server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), "/endpoint");
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + "/endpoint");
    }

    /** Answers every request with {@code reply}, or throws from {@code answer} when there is none. */
    private static final class Endpoint extends DialectServlet {
        private final transient Reply reply;

        Endpoint(Reply reply) {
            this.reply = reply;
        }

        @Override
        protected Reply answer(byte[] body, HttpServletRequest request, RequestFacts facts) {
            if (reply == null) {
                throw new IllegalStateException("secret internals");
            }
            return reply;
        }

        @Override
        protected Reply error(int status, String message) {
            return Reply.json(status, ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
