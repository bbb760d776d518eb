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
 * An upstream that starts a chunked event stream, sends one frame, and drops the connection without ending
 * the body: what a crashed or reset upstream looks like to the gateway. Serves every request that way until
 * closed.
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
                        + Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
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
