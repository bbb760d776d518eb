package io.llmgateway.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * A fast OpenAI-shaped upstream for benchmarks, on Jetty's core API with non-blocking writes: a fixed
 * completion, or a stream of {@code EVENTS} chunks (about 3 KB in all), back to back, or {@code paceMillis}
 * apart when the request's model is {@code paced}; model {@code long} streams {@code LONG_EVENTS} chunks
 * {@code LONG_PACE_MS} apart (capacity runs). Pacing uses a timer, not a thread per stream, so thousands of
 * streams can be open at once.
 */
final class MockUpstream implements AutoCloseable {
    static final int EVENTS = 20;
    static final int LONG_EVENTS = 100;
    static final int LONG_PACE_MS = 200;
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello from the mock upstream, a short answer of a few words.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":14,\"total_tokens\":26}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[][] CHUNKS = chunks();

    private final Server server;
    private final int paceMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    MockUpstream(int paceMillis) throws Exception {
        this.paceMillis = paceMillis;
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("mock-upstream");
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setAcceptQueueSize(4096);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                if (body.contains("\"stream\":true")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                    if (body.contains("\"model\":\"long\"")) {
                        write(response, callback, LONG, 0, LONG_PACE_MS);
                    } else {
                        write(response, callback, CHUNKS, 0, body.contains("\"model\":\"paced\"") ? paceMillis : 0);
                    }
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(COMPLETION), callback);
                }
                return true;
            }
        });
        server.start();
    }

    /** Writes frames[i..] then ends the response, {@code pace} ms apart, without holding a thread. */
    private void write(Response response, Callback done, byte[][] frames, int i, int pace) {
        boolean last = i == frames.length - 1;
        response.write(last, ByteBuffer.wrap(frames[i]), Callback.from(() -> {
            if (last) {
                done.succeeded();
            } else if (pace == 0) {
                write(response, done, frames, i + 1, pace);
            } else {
                timer.schedule(() -> write(response, done, frames, i + 1, pace), pace, TimeUnit.MILLISECONDS);
            }
        }, done::failed));
    }

    private static final byte[][] LONG = chunks(LONG_EVENTS);

    private static byte[][] chunks() {
        return chunks(EVENTS);
    }

    /** {@code events} content chunks, a usage chunk and {@code [DONE]}. */
    private static byte[][] chunks(int events) {
        byte[][] chunks = new byte[events + 2][];
        for (int i = 0; i < events; i++) {
            chunks[i] = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i
                    + " of the streamed answer\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
        }
        chunks[events] = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":20,"
                + "\"total_tokens\":32}}\n\n").getBytes(StandardCharsets.UTF_8);
        chunks[events + 1] = DONE;
        return chunks;
    }

    String chatUrl() {
        return "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort() + "/v1/chat/completions";
    }

    @Override
    public void close() throws Exception {
        server.stop();
        timer.shutdownNow();
    }
}
