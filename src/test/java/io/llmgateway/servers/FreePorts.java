package io.llmgateway.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free loopback ports for a server about to bind them. */
final class FreePorts {
    private static final int LOWEST_BASE = 10_000;

    private FreePorts() {
    }

    static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A base port with {@code count} free ports after it, for servers configured by a port offset. The range lies
     * below the kernel's ephemeral ports: a server that binds dozens of ports over seconds of startup otherwise
     * loses one now and then to an outgoing connection made meanwhile (Payara failed with "Address already in
     * use" that way).
     */
    static int freeRange(int count) {
        int below = Math.max(firstEphemeralPort() - count, LOWEST_BASE + 1);
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = LOWEST_BASE + (int) (Math.random() * (below - LOWEST_BASE));
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    /** Linux publishes its ephemeral range; elsewhere, the IANA dynamic range's start is a safe bound. */
    private static int firstEphemeralPort() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 49_152;
        }
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
