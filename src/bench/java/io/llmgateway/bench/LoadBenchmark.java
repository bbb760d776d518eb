package io.llmgateway.bench;

import io.llmgateway.testing.GatewayServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The load benchmark: the same client calls the same mock upstream directly (the direct arm) and through the
 * gateway, arms interleaved over several rounds because a shared 2-core machine is noisy. Writes BENCHMARKS.md
 * with medians and spreads over rounds, the machine, and the targets with pass/fail.
 */
public final class LoadBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final Duration SLICE = Duration.ofMillis(Long.getLong("bench.sliceMillis", 3000));
    /** Pieces per arm and round in the interleaved c=32 lanes. */
    private static final int PIECES = 6;
    /**
     * {@code -Dbench.lanes=capacity} runs only the open-streams and memory lanes (to iterate on memory and threads),
     * {@code -Dbench.lanes=inprocess} only the others (to iterate on latency and throughput).
     */
    private static final String LANES = System.getProperty("bench.lanes", "all");
    /** Length of the steady-load memory lane; the target is 5 minutes. */
    private static final Duration SOAK = Duration.ofSeconds(Long.getLong("bench.soakSeconds", 300));
    private static final Duration SOAK_SAMPLE = Duration.ofSeconds(30);
    private static final int PACE_MS = 20;
    private static final String OPENAI = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Say hello in a few words.\"}]}";
    private static final String ANTHROPIC = "{\"model\":\"%s\",\"max_tokens\":256,\"stream\":%s,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"Say hello in a few words.\"}]}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CloseableHttpClient closedLoop = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(64).setMaxConnPerRoute(64).build())
            .disableAutomaticRetries()
            .build();
    private final Map<String, List<Double>> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        // Jetty closes a connection idle for 30 s; the JDK client would keep it 20 minutes and, now and then, send
        // on it just as it closes (a failed request in whichever arm). The client lets go first.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("io.llmgateway").setLevel(Level.WARNING);
        Path jmh = Path.of(args[0]);
        Path report = Path.of(args[1]);
        new LoadBenchmark().run(jmh, report);
        System.exit(0);
    }

    private void run(Path jmh, Path report) throws Exception {
        Path dir = Files.createTempDirectory("bench");
        try (MockUpstream mock = new MockUpstream(PACE_MS)) {
            if (!LANES.equals("capacity")) {
                inProcessLanes(mock, dir);
            }
            if (!LANES.equals("inprocess")) {
                try (GatewayProcess gateway = new GatewayProcess(mock.chatUrl(), dir.resolve("capacity.env"))) {
                    for (int n : new int[] {1000, 5000}) {
                        openStreams(n, gateway);
                    }
                    steadyLoad(gateway);
                }
            }
        }
        Files.writeString(report, new BenchmarkReport(results, jmh, environment()).markdown());
        System.out.println("wrote " + report);
    }

    /** Every lane but capacity, against a gateway on embedded Jetty in this JVM. */
    private void inProcessLanes(MockUpstream mock, Path dir) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("GATEWAY_ENV_FILE", dir.resolve(".env").toString());
        config.put("LLM_API_URL", mock.chatUrl());
        config.put("LLM_API_KEY", "bench");
        config.put("LLM_MODEL_NAME", "zero");
        config.put("LOG_LEVEL", "WARNING"); // an access-log line per request would measure the console
        try (GatewayServer gateway = GatewayServer.start(config); ServletProxy floor = new ServletProxy(mock.chatUrl())) {
            URI direct = URI.create(mock.chatUrl());
            URI openAi = gateway.uri("v1/chat/completions");
            URI anthropic = gateway.uri("v1/messages");
            URI countTokens = gateway.uri("v1/messages/count_tokens");
            System.out.println("warming up…");
            for (int i = 0; i < 3; i++) {
                throughput("warm-up", direct, OPENAI.formatted("zero", false), 8, Duration.ofSeconds(2));
                throughput("warm-up", floor.uri(), OPENAI.formatted("zero", false), 8, Duration.ofSeconds(2));
                throughput("warm-up", openAi, OPENAI.formatted("zero", false), 8, Duration.ofSeconds(2));
                throughput("warm-up", anthropic, ANTHROPIC.formatted("zero", false), 8, Duration.ofSeconds(2));
                throughput("warm-up", openAi, OPENAI.formatted("zero", true), 8, Duration.ofSeconds(2));
                throughput("warm-up", anthropic, ANTHROPIC.formatted("zero", true), 8, Duration.ofSeconds(2));
            }
            for (int round = 1; round <= ROUNDS; round++) {
                System.out.println("round " + round + "/" + ROUNDS);
                latency("non-stream c=1 direct", direct, OPENAI.formatted("zero", false));
                latency("non-stream c=1 gateway", openAi, OPENAI.formatted("zero", false));
                latency("non-stream c=1 servlet proxy", floor.uri(), OPENAI.formatted("zero", false));
                latency("non-stream c=1 anthropic", anthropic, ANTHROPIC.formatted("zero", false));
                firstEvents("direct", direct, OPENAI.formatted("zero", true));
                firstEvents("gateway", openAi, OPENAI.formatted("zero", true));
                firstEvents("anthropic", anthropic, ANTHROPIC.formatted("zero", true));
                interleavedRps(direct, openAi, anthropic);
                rps("rps c=32 stream gateway", openAi, OPENAI.formatted("zero", true));
                rps("rps c=32 stream anthropic", anthropic, ANTHROPIC.formatted("zero", true));
                rps("rps c=32 count_tokens", countTokens, ANTHROPIC.formatted("zero", false));
                streams("direct", direct, OPENAI.formatted("paced", true));
                streams("gateway", openAi, OPENAI.formatted("paced", true));
                streams("anthropic", anthropic, ANTHROPIC.formatted("paced", true));
            }
        }
    }

    private void record(String name, double value) {
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Concurrency 1: p50 and p99 of the full request in ms. */
    private void latency(String name, URI uri, String body) throws Exception {
        List<Long> nanos = new ArrayList<>();
        Instant end = Instant.now().plus(SLICE);
        while (Instant.now().isBefore(end)) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(post(uri, body), HttpResponse.BodyHandlers.ofByteArray());
            nanos.add(System.nanoTime() - start);
            check(response.statusCode());
        }
        record(name + " p50 ms", percentile(nanos, 0.50) / 1e6);
        record(name + " p99 ms", percentile(nanos, 0.99) / 1e6);
    }

    /**
     * The three c=32 non-stream arms of one round, interleaved in {@link #PIECES} short pieces each (direct,
     * passthrough, Anthropic, then the reverse, and so on), so that a shared machine's drift falls on all three
     * alike. Each arm's rate is the mean over its pieces, and each share is the ratio of two such rates: slices a
     * few seconds apart had read Anthropic's share anywhere from 85 to 95 % on unchanged code.
     */
    private void interleavedRps(URI direct, URI openAi, URI anthropic) throws Exception {
        String openAiBody = OPENAI.formatted("zero", false);
        String anthropicBody = ANTHROPIC.formatted("zero", false);
        Duration piece = SLICE.dividedBy(PIECES);
        double directRps = 0;
        double passthrough = 0;
        double translated = 0;
        for (int i = 0; i < PIECES; i++) {
            boolean directFirst = i % 2 == 0;
            if (directFirst) {
                directRps += throughput("rps c=32 direct", direct, openAiBody, 32, piece) / PIECES;
            } else {
                translated += throughput("rps c=32 anthropic", anthropic, anthropicBody, 32, piece) / PIECES;
            }
            passthrough += throughput("rps c=32 gateway", openAi, openAiBody, 32, piece) / PIECES;
            if (directFirst) {
                translated += throughput("rps c=32 anthropic", anthropic, anthropicBody, 32, piece) / PIECES;
            } else {
                directRps += throughput("rps c=32 direct", direct, openAiBody, 32, piece) / PIECES;
            }
        }
        record("rps c=32 direct", directRps);
        record("rps c=32 gateway", passthrough);
        record("rps c=32 anthropic", translated);
        record("rps c=32 gateway share of direct %", passthrough / directRps * 100);
        record("rps c=32 anthropic share of passthrough %", translated / passthrough * 100);
    }

    private double rps(String lane, URI uri, String body) throws Exception {
        double rps = throughput(lane, uri, body, 32, SLICE);
        record(lane, rps);
        return rps;
    }

    /**
     * A started thread that sends {@code body} and drains each answer until {@code endNanos}, counting outcomes.
     * Closed-loop callers use Apache's classic client: under this load the JDK client fails now and then
     * ("header parser received no bytes") and, at about 15k req/s, is what limits the direct arm.
     */
    private Thread caller(URI uri, String body, long endNanos, AtomicLong done, AtomicInteger errors) {
        Thread caller = new Thread(() -> {
            while (System.nanoTime() < endNanos) {
                HttpPost post = new HttpPost(uri);
                post.setHeader("anthropic-version", "2023-06-01");
                post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
                try {
                    int status = closedLoop.execute(post, response -> {
                        EntityUtils.consume(response.getEntity());
                        return response.getCode();
                    });
                    if (status == 200) {
                        done.incrementAndGet();
                    } else {
                        failed(uri, "status " + status, errors);
                    }
                } catch (Exception e) {
                    failed(uri, e.toString(), errors);
                }
            }
        });
        caller.start();
        return caller;
    }

    /** Counts a failed request and says what the first one of a lane was, so an error can be told from noise. */
    private static void failed(URI uri, String what, AtomicInteger errors) {
        if (errors.incrementAndGet() == 1) {
            System.out.println("first failed request to " + uri + ": " + what);
        }
    }

    /** Closed loop with {@code concurrency} callers for {@code duration}: completed requests per second. */
    private double throughput(String lane, URI uri, String body, int concurrency, Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        long endNanos = System.nanoTime() + duration.toNanos();
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            callers[i] = caller(uri, body, endNanos, done, errors);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        if (errors.get() > 0) {
            record("errors " + lane, errors.get());
        }
        return done.get() / (duration.toNanos() / 1e9);
    }

    /**
     * Time to the first event at concurrency 1, over many zero-delay streams (the paced lane has too few streams
     * for a stable p99): the request is sent, the first {@code data:} line timed, the rest drained.
     */
    private void firstEvents(String arm, URI uri, String body) throws Exception {
        List<Long> nanos = new ArrayList<>();
        Instant end = Instant.now().plus(SLICE);
        while (Instant.now().isBefore(end)) {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = http.send(post(uri, body), HttpResponse.BodyHandlers.ofInputStream());
            check(response.statusCode());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data:")) {
                        nanos.add(System.nanoTime() - start);
                        break;
                    }
                }
                reader.transferTo(java.io.Writer.nullWriter());
            }
        }
        record("ttft p50 ms " + arm, percentile(nanos, 0.50) / 1e6);
        record("ttft p99 ms " + arm, percentile(nanos, 0.99) / 1e6);
    }

    /** Paced streams (20 events, 20 ms apart) at concurrency 1: time to first event, gaps, events counted. */
    private void streams(String arm, URI uri, String body) throws Exception {
        List<Long> firsts = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        int streams = 8;
        for (int s = 0; s < streams; s++) {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = http.send(post(uri, body), HttpResponse.BodyHandlers.ofInputStream());
            check(response.statusCode());
            long previous = -1;
            int events = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.startsWith("data:") || line.contains("\"type\":\"ping\"")) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (events == 0) {
                        firsts.add(now - start);
                    } else if (line.contains("content") || line.contains("text_delta")) {
                        gaps.add(now - previous);
                    }
                    previous = now;
                    events++;
                }
            }
            record("events per stream " + arm, events);
            record("first-to-last ms " + arm, (previous - start - firsts.get(firsts.size() - 1)) / 1e6);
        }
        record("paced ttft p50 ms " + arm, percentile(firsts, 0.5) / 1e6);
        record("gap p50 ms " + arm, percentile(gaps, 0.5) / 1e6);
    }

    /**
     * {@code n} long paced streams (100 events, 200 ms apart) open at once through a gateway in its own JVM:
     * errors, incomplete streams, the gateway's thread count, and its growth in live heap per open stream
     * (against the same gateway at rest).
     */
    private void openStreams(int n, GatewayProcess gateway) throws Exception {
        URI uri = gateway.uri("v1/chat/completions");
        String body = OPENAI.formatted("long", true);
        long heapBefore = gateway.liveHeapBytes();
        int threadsBefore = gateway.threads();
        CountDownLatch allOpen = new CountDownLatch(n);
        CountDownLatch allDone = new CountDownLatch(n);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger incomplete = new AtomicInteger();
        // 2 newlines per frame: 100 content chunks, the usage chunk and [DONE]
        long expectedNewlines = 2L * (MockUpstream.LONG_EVENTS + 2);
        System.out.println("opening " + n + " streams…");
        for (int i = 0; i < n; i++) {
            AtomicLong newlines = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
            http.sendAsync(post(uri, body), HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> {
                if (chunk.isPresent()) {
                    for (byte b : chunk.get()) {
                        if (b == '\n') {
                            newlines.incrementAndGet();
                        }
                    }
                    if (opened.compareAndSet(false, true)) {
                        allOpen.countDown();
                    }
                }
            })).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() != 200) {
                    if (errors.incrementAndGet() == 1) {
                        System.out.println("first failed stream: "
                                + (failure != null ? failure : "status " + response.statusCode()));
                    }
                } else if (newlines.get() != expectedNewlines) {
                    if (incomplete.incrementAndGet() == 1) {
                        System.out.println("first incomplete stream: " + newlines.get() + " of " + expectedNewlines
                                + " newlines");
                    }
                }
                if (opened.compareAndSet(false, true)) {
                    allOpen.countDown();
                }
                allDone.countDown();
            });
            if (i % 200 == 199) {
                Thread.sleep(50); // ramp up: the accept queues take bursts, not 5,000 connections at once
            }
        }
        allOpen.await();
        int threadsOpen = gateway.threads();
        long heapOpen = gateway.liveHeapBytes();
        allDone.await();
        record("open streams " + n + " errors", errors.get() + incomplete.get());
        if (errors.get() + incomplete.get() > 0) {
            record("open streams " + n + " failed", errors.get());
            record("open streams " + n + " incomplete", incomplete.get());
        }
        record("open streams " + n + " gateway threads at rest", threadsBefore);
        record("open streams " + n + " gateway threads while open", threadsOpen);
        record("open streams " + n + " heap KB per stream", (heapOpen - heapBefore) / 1024.0 / n);
    }

    /**
     * Steady load on the gateway in its own JVM for {@link #SOAK}: 8 callers alternating non-stream and stream
     * requests against the zero-delay mock, the live heap sampled every 30 s. Growth is the mean of
     * the last third of the samples minus the mean of the first third (the first sample, still warming, is left
     * out when there are more than two).
     */
    private void steadyLoad(GatewayProcess gateway) throws Exception {
        URI uri = gateway.uri("v1/chat/completions");
        System.out.println("steady load for " + SOAK.toSeconds() + " s…");
        List<Double> heapMb = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        long endNanos = System.nanoTime() + SOAK.toNanos();
        Thread[] callers = new Thread[8];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = caller(uri, OPENAI.formatted("zero", i % 2 == 1), endNanos, done, errors);
        }
        while (System.nanoTime() < endNanos) {
            Thread.sleep(Math.min(SOAK_SAMPLE.toMillis(), Math.max(1, (endNanos - System.nanoTime()) / 1_000_000)));
            heapMb.add(gateway.liveHeapBytes() / (1024.0 * 1024));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        List<Double> settled = heapMb.size() > 2 ? heapMb.subList(1, heapMb.size()) : heapMb; // short runs keep all
        int third = Math.max(1, settled.size() / 3);
        double first = settled.subList(0, third).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double last = settled.subList(settled.size() - third, settled.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN);
        record("steady load requests", done.get());
        record("steady load errors", errors.get());
        record("steady load heap MB first third", first);
        record("steady load heap MB last third", last);
        record("steady load minutes", SOAK.toSeconds() / 60.0);
        System.out.println("steady load heap samples (MB after GC): " + heapMb);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void check(int status) {
        if (status != 200) {
            throw new IllegalStateException("unexpected status " + status);
        }
    }

    private static double percentile(List<Long> values, double p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("jvm flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        env.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("git", gitSha());
        return env;
    }

    private static String gitSha() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String sha = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? sha : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    static double spread(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] - sorted[0];
    }

    static String list(double[] values) {
        return Arrays.toString(values);
    }
}
