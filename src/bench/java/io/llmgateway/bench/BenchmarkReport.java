package io.llmgateway.bench;

import static io.llmgateway.bench.LoadBenchmark.format;
import static io.llmgateway.bench.LoadBenchmark.median;
import static io.llmgateway.bench.LoadBenchmark.spread;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders BENCHMARKS.md: method, machine, every measured lane, the targets with pass/fail, and JMH. */
final class BenchmarkReport {
    private final Map<String, List<Double>> results;
    private final Path jmh;
    private final Map<String, String> environment;
    private final StringBuilder out = new StringBuilder();

    BenchmarkReport(Map<String, List<Double>> results, Path jmh, Map<String, String> environment) {
        this.results = results;
        this.jmh = jmh;
        this.environment = environment;
    }

    private double m(String key) {
        List<Double> values = results.get(key);
        return values == null ? Double.NaN : median(values);
    }

    /** All values recorded under names starting with {@code prefix}, added up (0 when none). */
    private double sum(String prefix) {
        return results.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().stream()).mapToDouble(Double::doubleValue).sum();
    }

    String markdown() throws IOException {
        out.append("# Benchmarks\n\n");
        out.append("Written by `./mvnw -Pbench verify` (JMH, then `io.llmgateway.bench.LoadBenchmark`); do not edit by hand.\n\n");
        out.append("## Method\n\n");
        out.append("- The **direct arm** is the same client calling the same mock upstream (Jetty, in the same JVM) "
                + "without the gateway; the **gateway arm** goes through the WAR on embedded Jetty with a static "
                + "`LLM_API_KEY`. Arms are interleaved within each of the rounds below, after a warm-up, because a "
                + "shared 2-core machine is noisy. Client, gateway and mock share the machine, as they do in both arms. "
                + "The closed-loop lanes (c=32 and the steady load) use Apache's classic client, 64 pooled "
                + "connections; the JDK client limited the direct arm to about 15k req/s and failed now and then.\n");
        out.append("- Non-stream lanes and time to first token use a zero-delay mock (many requests per round at "
                + "concurrency 1); gaps, events and first-to-last use a paced mock (20 events of about 150 bytes, "
                + "20 ms apart, plus a usage chunk and `[DONE]`). Values are medians over rounds; spread is max − min. "
                + "Anthropic's added cost per request is its c=1 p50 over the OpenAI passthrough's. In each round "
                + "the three c=32 non-stream arms run interleaved, six short pieces each (direct, passthrough, "
                + "Anthropic, then the reverse); an arm's rate is the mean of its pieces, and the gateway's share of "
                + "direct and Anthropic's share of passthrough are medians over rounds of the ratio of two rates.\n");
        out.append("- For scale, the **servlet proxy** arm is a bare servlet on the same embedded Jetty that forwards "
                + "the request to the mock with the same Apache client and copies the answer back (no JAX-RS, no "
                + "parsing, no edge): the cost of one more HTTP hop through a servlet container on this machine.\n\n");
        out.append("## Machine\n\n| what | value |\n|---|---|\n");
        environment.forEach((key, value) -> out.append("| ").append(key).append(" | `").append(value).append("` |\n"));
        out.append("\n## Lanes\n\n| metric | median | spread | rounds |\n|---|---:|---:|---:|\n");
        results.forEach((key, values) -> out.append("| ").append(key).append(" | ").append(format(median(values)))
                .append(" | ").append(format(spread(values))).append(" | ").append(values.size()).append(" |\n"));
        targets();
        jmh();
        return out.toString();
    }

    private void targets() {
        double directRps = m("rps c=32 direct");
        double gatewayRps = m("rps c=32 gateway");
        double addedP50 = m("non-stream c=1 gateway p50 ms") - m("non-stream c=1 direct p50 ms");
        double addedP99 = m("non-stream c=1 gateway p99 ms") - m("non-stream c=1 direct p99 ms");
        double ttftP50 = m("ttft p50 ms gateway") - m("ttft p50 ms direct");
        double ttftP99 = m("ttft p99 ms gateway") - m("ttft p99 ms direct");
        double gap = m("gap p50 ms gateway") - m("gap p50 ms direct");
        // Shares are medians of per-round ratios of interleaved arms, not ratios of medians.
        double gatewayShare = m("rps c=32 gateway share of direct %") / 100;
        double anthropicRatio = m("rps c=32 anthropic share of passthrough %") / 100;
        double anthropicAddedMs = m("non-stream c=1 anthropic p50 ms") - m("non-stream c=1 gateway p50 ms");
        // The gateway's failed requests decide the target; the direct arm's are the load client's or the mock's.
        double errors = sum("errors rps c=32 gateway");
        double directErrors = sum("errors rps c=32 direct");
        out.append("\n## Targets\n\n");
        if (directRps < 3 * gatewayRps) {
            out.append("**mock-bound:** the direct arm (").append(format(directRps)).append(" req/s) is less than 3× the "
                    + "gateway's rate, so the throughput ratio is limited by the mock and client, not only the gateway.\n\n");
        }
        out.append("| metric | target | measured | result |\n|---|---|---|---|\n");
        row("added latency, non-stream, c=1, p50", "≤ 0.15 ms", addedP50, addedP50 <= 0.15);
        row("added latency, non-stream, c=1, p99", "≤ 1 ms", addedP99, addedP99 <= 1);
        row("throughput c=32, share of direct (gateway arm: " + format(errors) + " errors)", "≥ 30 %, 0 errors",
                gatewayShare * 100, gatewayShare >= 0.30 && errors == 0);
        row("added time to first token p50", "≤ 0.5 ms", ttftP50, ttftP50 <= 0.5);
        row("added time to first token p99", "≤ 2 ms", ttftP99, ttftP99 <= 2);
        row("added gap between events p50", "≤ 0.05 ms", gap, gap <= 0.05);
        boolean sameEvents = m("events per stream gateway") == m("events per stream direct");
        row("events out = events in (per stream)", "equal", m("events per stream gateway"), sameEvents);
        double spreadMs = m("first-to-last ms gateway");
        row("short stream: first event long before the last (ms between)", "≈ 20 × 20 ms", spreadMs, spreadMs > 300);
        row("Anthropic translation, share of passthrough req/s", "≥ 95 %", anthropicRatio * 100, anthropicRatio >= 0.95);
        row("Anthropic translation, added per request (c=1 p50 over passthrough)", "≤ 0.1 ms", anthropicAddedMs,
                anthropicAddedMs <= 0.1);
        double openErrors = m("open streams 5000 errors");
        double threadsOpen = m("open streams 5000 gateway threads while open");
        double threadsRest = m("open streams 1000 gateway threads at rest");
        double threads1000 = m("open streams 1000 gateway threads while open");
        row("concurrent open paced streams (5,000; errors or incomplete)", "≥ 5,000, bounded threads, 0 errors",
                openErrors, openErrors == 0 && threadsOpen - threads1000 < 50);
        row("gateway threads added by 4,000 more open streams (1,000 → 5,000)", "bounded (≈ 0)",
                threadsOpen - threads1000, threadsOpen - threads1000 < 50);
        double heap = m("open streams 5000 heap KB per stream");
        row("heap per open stream (gateway JVM only, live objects)", "≤ 16 KB", heap, heap <= 16);
        double first = m("steady load heap MB first third");
        double growth = m("steady load heap MB last third") - first;
        double soakErrors = m("steady load errors");
        row("heap growth under " + format(m("steady load minutes")) + " minutes of steady load (MB, last third − "
                + "first third of the samples after GC; " + format(m("steady load requests")) + " requests, "
                + format(soakErrors) + " errors)", "no growth trend (≤ 1 MB or 5 %)", growth,
                soakErrors == 0 && growth <= Math.max(1, first * 0.05));
        if (directErrors > 0) {
            out.append("\nThe direct arm of the c=32 lane had ").append(format(directErrors)).append(" failed requests: "
                    + "the load client against the mock, without the gateway (the run's log names the first).\n");
        }
        out.append("\nA bare servlet proxy (see Method) adds ").append(format(m("non-stream c=1 servlet proxy p50 ms")
                - m("non-stream c=1 direct p50 ms"))).append(" ms p50 over direct by itself; the gateway adds ")
                .append(format(m("non-stream c=1 gateway p50 ms") - m("non-stream c=1 servlet proxy p50 ms")))
                .append(" ms p50 over that bare hop.\n");
        out.append("\nOpen streams run in a gateway JVM of its own (`GatewayMain`), so its threads and heap are not "
                + "mixed with the load client's and the mock's. Threads at rest: ").append(format(threadsRest))
                .append("; with 1,000 streams open: ").append(format(threads1000))
                .append("; with 5,000: ").append(format(threadsOpen)).append(". Its heap is the total of a class "
                + "histogram (`jcmd GC.class_histogram`, live objects after a full GC), not G1's used bytes, which "
                + "also count the dead objects of regions a full GC leaves uncompacted.\n");
    }

    private void row(String metric, String target, double measured, boolean pass) {
        out.append("| ").append(metric).append(" | ").append(target).append(" | ").append(format(measured))
                .append(" | ").append(Double.isNaN(measured) ? "—" : pass ? "pass" : "**fail**").append(" |\n");
    }

    private void jmh() throws IOException {
        out.append("\n## JMH micro-benchmarks (`-prof gc`)\n\n");
        if (!Files.exists(jmh)) {
            out.append("No JMH results found at `").append(jmh).append("`.\n");
            return;
        }
        out.append("| benchmark | score | error | unit | allocated per op (B) |\n|---|---:|---:|---|---:|\n");
        for (JsonNode run : Json.MAPPER.readTree(jmh.toFile())) {
            JsonNode primary = run.path("primaryMetric");
            JsonNode alloc = run.path("secondaryMetrics").path("·gc.alloc.rate.norm");
            if (alloc.isMissingNode()) {
                alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            }
            String name = run.path("benchmark").asText().replace("io.llmgateway.bench.", "")
                    + (run.path("params").isObject() ? " " + run.path("params") : "");
            out.append("| ").append(name).append(" | ").append(format(primary.path("score").asDouble()))
                    .append(" | ").append(format(primary.path("scoreError").asDouble())).append(" | ")
                    .append(primary.path("scoreUnit").asText()).append(" | ")
                    .append(alloc.isMissingNode() ? "—" : format(alloc.path("score").asDouble())).append(" |\n");
        }
    }
}
