package io.llmgateway.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A fast OpenAI-shaped upstream for benchmarks, on Jetty's core API: a fixed completion, or a stream of
 * {@code EVENTS} chunks (about 3 KB in all), back to back or {@code paceMillis} apart when the request's model
 * is {@code paced}.
 */
final class MockUpstream implements AutoCloseable {
    static final int EVENTS = 20;
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello from the mock upstream, a short answer of a few words.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":14,\"total_tokens\":26}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[][] CHUNKS = chunks();

    private final Server server;
    private final int paceMillis;

    MockUpstream(int paceMillis) throws Exception {
        this.paceMillis = paceMillis;
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("mock-upstream");
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                if (body.contains("\"stream\":true")) {
                    stream(response, callback, body.contains("\"model\":\"paced\""));
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(COMPLETION), callback);
                }
                return true;
            }
        });
        server.start();
    }

    private void stream(Response response, Callback callback, boolean paced) throws InterruptedException, IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        for (byte[] chunk : CHUNKS) {
            Callback.Completable written = new Callback.Completable();
            response.write(false, ByteBuffer.wrap(chunk), written);
            try {
                written.get();
            } catch (Exception e) {
                callback.failed(e);
                return;
            }
            if (paced) {
                Thread.sleep(paceMillis);
            }
        }
        response.write(true, ByteBuffer.wrap("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static byte[][] chunks() {
        byte[][] chunks = new byte[EVENTS + 1][];
        for (int i = 0; i < EVENTS; i++) {
            chunks[i] = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i
                    + " of the streamed answer\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
        }
        chunks[EVENTS] = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":20,"
                + "\"total_tokens\":32}}\n\n").getBytes(StandardCharsets.UTF_8);
        return chunks;
    }

    String chatUrl() {
        return "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort() + "/v1/chat/completions";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
