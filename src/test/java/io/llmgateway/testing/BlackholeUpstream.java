package io.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address where connecting hangs, as it does towards a firewalled host: a listening socket that
 * never accepts, with its accept queue filled, so the kernel drops further connection attempts.
 */
public final class BlackholeUpstream implements AutoCloseable {
    private static final int MAX_FILL = 64;

    private final ServerSocket socket;
    private final List<Socket> queued = new ArrayList<>();

    public BlackholeUpstream() {
        try {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < MAX_FILL; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(socket.getLocalSocketAddress(), 200);
                    queued.add(filler);
                } catch (SocketTimeoutException full) {
                    filler.close();
                    return;
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : queued) {
            filler.close();
        }
        socket.close();
    }
}
