package io.llmgateway.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The floor under the gateway's added latency: a bare servlet on the same embedded Jetty that forwards a POST
 * to the mock with the same Apache client the gateway uses, and copies the answer back. No JAX-RS, no
 * parsing, no edge: what one more HTTP hop through a servlet container costs on this machine.
 */
final class ServletProxy implements AutoCloseable {
    private final Server server = new Server();
    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(200).setMaxConnPerRoute(200).build())
            .disableContentCompression().build();

    ServletProxy(String target) throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(64); // as the gateway's embedded Jetty
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                HttpPost post = new HttpPost(target);
                post.setEntity(new ByteArrayEntity(request.getInputStream().readAllBytes(), ContentType.APPLICATION_JSON));
                client.execute(post, answer -> {
                    response.setContentType(answer.getEntity().getContentType());
                    answer.getEntity().writeTo(response.getOutputStream());
                    return null;
                });
            }
        }), "/*");
        server.setHandler(context);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
        server.stop();
        client.close();
    }
}
