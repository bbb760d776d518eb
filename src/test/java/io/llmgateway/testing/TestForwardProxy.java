package io.llmgateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP forward proxy on 127.0.0.1, for tests that route the gateway through a corporate proxy.
 *
 * <ul>
 *   <li>Absolute-URI requests ({@code GET http://host:port/path}) are forwarded as origin-form requests with
 *       {@code Connection: close}; the response is relayed byte for byte, flushed as it arrives (chunked and
 *       event-stream bodies stream through), with {@code Connection: close}, and the client connection is closed
 *       afterwards. One request per forwarded connection keeps the proxy simple and still correct: clients must
 *       (and do) honour {@code Connection: close} by opening a new connection for the next request.</li>
 *   <li>{@code CONNECT host:port} answers {@code 200 Connection established} and pipes bytes both ways until
 *       either side closes (TLS passes through untouched).</li>
 *   <li>With credentials, requests without a valid {@code Proxy-Authorization: Basic} get a 407 with
 *       {@code Proxy-Authenticate: Basic realm="test-proxy"} and a {@code Content-Length} body, and the connection
 *       stays open for the retry (as Apache HttpClient 5 retries a CONNECT on the same connection); a retry on a
 *       new connection works too. The 407 closes the connection only when the client asked for that or announced
 *       a body with {@code Expect: 100-continue}. {@code Proxy-Authorization} never reaches the target.</li>
 *   <li>{@link #mapHost} redirects a target host, so an upstream listening on 127.0.0.1:P can be addressed as
 *       127.0.0.2:P, where nothing listens: it is then reachable only through this proxy.</li>
 *   <li>Targets must resolve to loopback addresses (a 502 otherwise), so tests never reach out.</li>
 * </ul>
 *
 * Every socket has connect and idle timeouts; {@link #stop()} (or {@link #close()}) closes the listening socket
 * and every open connection, after which the port refuses connections until {@link #restart()}.
 */
public final class TestForwardProxy implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int IDLE_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and the proxy's own, never passed on. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade", "expect");

    private final String user;
    private final String password;
    private final int port;
    private final Map<String, String> hostMap = new ConcurrentHashMap<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicInteger authFailures = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile Thread acceptor;

    /** An open proxy (no credentials required). */
    public TestForwardProxy() {
        this(null, null);
    }

    /** A proxy requiring Basic credentials. */
    public static TestForwardProxy withCredentials(String user, String password) {
        if (user == null || password == null) {
            throw new IllegalArgumentException("user and password are required");
        }
        return new TestForwardProxy(user, password);
    }

    private TestForwardProxy(String user, String password) {
        this.user = user;
        this.password = password;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        this.acceptor = accept(listener);
    }

    /** Connects requests for {@code from} (a host name or address as the client wrote it) to {@code to}. */
    public TestForwardProxy mapHost(String from, String to) {
        hostMap.put(from.toLowerCase(Locale.ROOT), to);
        return this;
    }

    /** {@code http://127.0.0.1:port}. */
    public URI uri() {
        return URI.create("http://" + LOOPBACK + ":" + port);
    }

    /** {@code http://user:password@127.0.0.1:port} (user info percent-encoded). */
    public URI uriWithCredentials() {
        if (user == null) {
            throw new IllegalStateException("this proxy has no credentials");
        }
        return URI.create("http://" + userInfo(user) + ":" + userInfo(password) + "@" + LOOPBACK + ":" + port);
    }

    public int port() {
        return port;
    }

    /**
     * What the proxy accepted (authorized), in arrival order: {@code "CONNECT host:port"} or
     * {@code "METHOD absolute-uri"}, as the client wrote them (before host mapping). Requests answered with 407
     * are not listed; they are counted by {@link #authFailures()}.
     */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** Requests answered with 407 (missing or wrong credentials). */
    public int authFailures() {
        return authFailures.get();
    }

    /** Client connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Closes the listening socket and every open connection: the proxy becomes unreachable (connections refused). */
    public synchronized void stop() {
        ServerSocket current = listener;
        listener = null;
        closeQuietly(current);
        // a thread blocked in accept() keeps the port bound until it wakes: wait, so the port refuses from now on
        joinQuietly(acceptor);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Listens again on the same port after {@link #stop()}. */
    public synchronized TestForwardProxy restart() {
        if (listener == null) {
            listener = listen(port);
            acceptor = accept(listener);
        }
        return this;
    }

    @Override
    public void close() {
        stop();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            // rebinding the port of a stopped proxy must not wait for TIME_WAIT
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 50);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Thread accept(ServerSocket socket) {
        return daemon("test-proxy-accept-" + socket.getLocalPort(), () -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    return; // stopped
                }
                connections.incrementAndGet();
                open.add(client);
                if (listener != socket) {
                    closeQuietly(client); // stopped while accepting
                    open.remove(client);
                    return;
                }
                daemon("test-proxy-connection-" + client.getPort(), () -> serve(client));
            }
        });
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                Head request = Head.read(in);
                if (request == null) {
                    return; // the client closed its idle connection
                }
                String[] line = request.startLine().split(" ");
                if (line.length != 3) {
                    respond(out, 400, "Bad Request", "malformed request line", true);
                    return;
                }
                if (!authorized(request)) {
                    authFailures.incrementAndGet();
                    // keep the connection for the retry unless the client is waiting to send a body or leaving
                    boolean close = request.hasToken("connection", "close")
                            || request.hasToken("proxy-connection", "close")
                            || request.hasToken("expect", "100-continue");
                    if (!close) {
                        copyBody(request, in, OutputStream.nullOutputStream());
                    }
                    respond407(out, close);
                    if (close) {
                        return;
                    }
                    continue;
                }
                if (line[0].equalsIgnoreCase("CONNECT")) {
                    tunnel(client, in, out, line[1]);
                } else {
                    forward(request, in, out, line[0], line[1]);
                }
                return;
            }
        } catch (IOException | NumberFormatException e) {
            // a client or target went away or sent a bad length, or the proxy was stopped: the connection ends
        } finally {
            open.remove(client);
        }
    }

    private boolean authorized(Head request) {
        if (user == null) {
            return true;
        }
        String header = request.value("proxy-authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void tunnel(Socket client, InputStream clientIn, OutputStream clientOut, String authority)
            throws IOException {
        targets.add("CONNECT " + authority);
        URI target = authority(authority);
        if (target == null) {
            respond(clientOut, 400, "Bad Request", "CONNECT needs host:port", true);
            return;
        }
        Socket upstream = connect(target.getHost(), target.getPort(), clientOut);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            clientOut.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            clientOut.flush();
            AtomicLong lastActivity = new AtomicLong(System.nanoTime());
            InputStream upstreamIn = upstream.getInputStream();
            // either direction ending ends the tunnel: closing both sockets unblocks the other direction
            Thread down = daemon("test-proxy-tunnel-" + client.getPort(), () -> {
                pipe(upstream, upstreamIn, clientOut, lastActivity);
                closeQuietly(client);
                closeQuietly(upstream);
            });
            pipe(client, clientIn, upstream.getOutputStream(), lastActivity);
            closeQuietly(upstream);
            closeQuietly(client);
            joinQuietly(down);
        } finally {
            open.remove(upstream);
        }
    }

    private void forward(Head request, InputStream clientIn, OutputStream clientOut, String method, String target)
            throws IOException {
        targets.add(method + " " + target);
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            respond(clientOut, 400, "Bad Request", "a proxy request needs an absolute http URI", true);
            return;
        }
        Socket upstream = connect(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort(), clientOut);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            if (request.hasToken("expect", "100-continue")) {
                // answered here, since Expect is not passed on: the client may send its body
                clientOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                clientOut.flush();
            }
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            List<String[]> headers = passedOn(request);
            if (request.value("host") == null) {
                headers.add(0, new String[] {"Host", uri.getRawAuthority()});
            }
            headers.add(new String[] {"Connection", "close"});
            OutputStream upstreamOut = upstream.getOutputStream();
            upstreamOut.write(Head.format(method + " " + path + " HTTP/1.1", headers));
            copyBody(request, clientIn, upstreamOut);
            upstreamOut.flush();

            InputStream upstreamIn = new BufferedInputStream(upstream.getInputStream());
            Head response = Head.read(upstreamIn);
            while (response != null && isInterim(response)) {
                clientOut.write(Head.format(response.startLine(), response.headers()));
                response = Head.read(upstreamIn);
            }
            if (response == null) {
                respond(clientOut, 502, "Bad Gateway", "the target closed without answering", true);
                return;
            }
            List<String[]> responseHeaders = passedOn(response);
            responseHeaders.add(new String[] {"Connection", "close"});
            clientOut.write(Head.format(response.startLine(), responseHeaders));
            clientOut.flush();
            long length = bodyLength(method, response);
            if (length != 0) {
                stream(upstreamIn, clientOut, length);
            }
        } finally {
            open.remove(upstream);
        }
    }

    /** Connects to a (mapped) loopback target, or answers 502 and returns null. */
    private Socket connect(String host, int targetPort, OutputStream clientOut) throws IOException {
        String mapped = hostMap.getOrDefault(host.toLowerCase(Locale.ROOT), host);
        Socket upstream = new Socket();
        try {
            InetAddress address = InetAddress.getByName(mapped);
            if (!address.isLoopbackAddress()) {
                throw new IOException("refusing a non-loopback target " + address);
            }
            open.add(upstream);
            upstream.connect(new InetSocketAddress(address, targetPort), CONNECT_TIMEOUT_MILLIS);
            upstream.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            upstream.setTcpNoDelay(true);
            return upstream;
        } catch (IOException e) {
            open.remove(upstream);
            closeQuietly(upstream);
            respond(clientOut, 502, "Bad Gateway", "cannot connect to " + mapped + ":" + targetPort + ": " + e, true);
            return null;
        }
    }

    /** Copies one direction of a tunnel until end of stream, an error, or both directions idle too long. */
    private static void pipe(Socket source, InputStream in, OutputStream out, AtomicLong lastActivity) {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    // one quiet direction is normal (a streamed answer); end only when the whole tunnel is idle
                    if (System.nanoTime() - lastActivity.get() < IDLE_TIMEOUT_MILLIS * 1_000_000L
                            && !source.isClosed()) {
                        continue;
                    }
                    return;
                }
                if (n < 0) {
                    return;
                }
                lastActivity.set(System.nanoTime());
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away
        }
    }

    /** Relays a response body as it arrives: {@code length} bytes, or everything until close when negative. */
    private static void stream(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long remaining = length;
        while (length < 0 || remaining > 0) {
            int n = in.read(buffer, 0, length < 0 ? buffer.length : (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            out.flush();
            remaining -= n;
        }
    }

    /** Copies a request body as framed by its headers (chunked framing is copied verbatim). */
    private static void copyBody(Head request, InputStream in, OutputStream out) throws IOException {
        if (request.hasToken("transfer-encoding", "chunked")) {
            while (true) {
                String sizeLine = Head.readLine(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size line: " + sizeLine, e);
                }
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = Head.readLine(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return;
                }
                copyExactly(in, out, size);
                Head.readLine(in);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        String length = request.value("content-length");
        if (length != null) {
            copyExactly(in, out, Long.parseLong(length.trim()));
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long remaining = length;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new EOFException("body ended early");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }

    /** 0 for bodiless responses, the Content-Length when given, otherwise -1 (until the target closes). */
    private static long bodyLength(String method, Head response) {
        int status = response.status();
        if (method.equalsIgnoreCase("HEAD") || status == 204 || status == 304) {
            return 0;
        }
        if (response.hasToken("transfer-encoding", "chunked")) {
            return -1;
        }
        String length = response.value("content-length");
        return length == null ? -1 : Long.parseLong(length.trim());
    }

    private static boolean isInterim(Head response) {
        int status = response.status();
        return status >= 100 && status < 200 && status != 101;
    }

    /** The end-to-end headers: hop-by-hop ones and those named by Connection are dropped. */
    private static List<String[]> passedOn(Head head) {
        Set<String> named = new HashSet<>();
        String connection = head.value("connection");
        if (connection != null) {
            for (String token : connection.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<String[]> kept = new ArrayList<>();
        for (String[] header : head.headers()) {
            String name = header[0].toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                kept.add(header);
            }
        }
        return kept;
    }

    private static void respond407(OutputStream out, boolean close) throws IOException {
        byte[] body = "proxy authentication required\n".getBytes(StandardCharsets.US_ASCII);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Proxy-Authenticate", "Basic realm=\"test-proxy\""});
        headers.add(new String[] {"Content-Type", "text/plain; charset=utf-8"});
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        if (close) {
            headers.add(new String[] {"Connection", "close"});
        }
        out.write(Head.format("HTTP/1.1 407 Proxy Authentication Required", headers));
        out.write(body);
        out.flush();
    }

    private static void respond(OutputStream out, int status, String reason, String message, boolean close)
            throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", "text/plain; charset=utf-8"});
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        if (close) {
            headers.add(new String[] {"Connection", "close"});
        }
        out.write(Head.format("HTTP/1.1 " + status + " " + reason, headers));
        out.write(body);
        out.flush();
    }

    private static URI authority(String authority) {
        try {
            URI uri = new URI("//" + authority);
            return uri.getHost() == null || uri.getPort() == -1 ? null : uri;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String userInfo(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(CONNECT_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }

    /** A request or response head: start line and headers in arrival order. */
    private record Head(String startLine, List<String[]> headers) {
        /** Reads a head, or returns null when the stream ends before its first byte. */
        static Head read(InputStream in) throws IOException {
            String start;
            try {
                do {
                    start = readLine(in); // tolerate blank lines before a request (RFC 9112 §2.2)
                } while (start.isEmpty());
            } catch (EOFException e) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            int size = start.length();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                size += line.length();
                if (size > MAX_HEAD_BYTES) {
                    throw new IOException("head too large");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + line);
                }
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
            return new Head(start, headers);
        }

        /** One line without its CRLF (or bare LF); EOFException when the stream ends first. */
        static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException();
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
                if (line.size() >= MAX_HEAD_BYTES) {
                    throw new IOException("line too long");
                }
                line.write(b);
            }
        }

        static byte[] format(String startLine, List<String[]> headers) {
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            for (String[] header : headers) {
                head.append(header[0]).append(": ").append(header[1]).append("\r\n");
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        String value(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        /** Whether a comma-separated header (any occurrence) holds this token, case-insensitively. */
        boolean hasToken(String name, String token) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    for (String value : header[1].split(",")) {
                        if (value.trim().equalsIgnoreCase(token)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        int status() {
            String[] parts = startLine.split(" ", 3);
            try {
                return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
