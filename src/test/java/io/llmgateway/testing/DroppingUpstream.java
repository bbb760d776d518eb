package io.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream that starts a chunked event stream, sends one frame, and drops the connection in the middle of
 * the chunk carrying it: what an upstream that crashed while writing looks like to the gateway. Serves every
 * request that way until closed.
 *
 * <p>It breaks mid-chunk on purpose: when a close arrives in the same read as a complete final chunk, Apache's
 * non-blocking chunk decoder reports "premature end" without handing over that chunk's bytes, so that case
 * would lose the last frame (the gateway still ends the stream with an in-stream error).
 */
public final class DroppingUpstream implements AutoCloseable {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private final ServerSocket socket;
    private final Thread server;

    public DroppingUpstream(String frame) {
        try {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new Thread(() -> serve(frame.getBytes(StandardCharsets.UTF_8)), "dropping-upstream");
        server.setDaemon(true);
        server.start();
    }

    public String chatUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1/chat/completions";
    }

    private void serve(byte[] frame) {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                readRequest(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(frame.length + 100) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
                out.flush();
            } catch (IOException e) {
                // closed, or the gateway hung up: the test judges the gateway's side
            }
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
