package io.llmgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.anthropic.AnthropicBench;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-chunk cost of turning an OpenAI chunk stream into Anthropic events ({@code AnthropicStreamTranslator}).
 * One operation is one upstream chunk; each invocation is a whole stream of {@value #CHUNKS} chunks through a
 * fresh translator, including {@code message_start}/{@code ping} and the end events (amortised). Unless the
 * name says otherwise, each emitted event is serialised with {@code AnthropicStreamEvent.toSse()}; the
 * {@code *Parse} variants also parse each chunk's JSON text first, as the relay does for every upstream event.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnthropicTranslationBenchmark {
    static final int CHUNKS = 200;

    private List<String> textJson;
    private List<JsonNode> text;
    private List<String> toolJson;
    private List<JsonNode> tool;

    @Setup
    public void setUp() {
        textJson = Fixtures.textStream(CHUNKS);
        text = Fixtures.parseAll(textJson);
        toolJson = Fixtures.toolStream(CHUNKS);
        tool = Fixtures.parseAll(toolJson);
        if (text.size() != CHUNKS || tool.size() != CHUNKS) {
            throw new IllegalStateException("fixtures must have " + CHUNKS + " chunks");
        }
    }

    /** {@code Json.MAPPER.readTree} of each text chunk alone: the parse share of the {@code *Parse} variants. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public void chunkParseOnly(Blackhole bh) throws IOException {
        for (String chunk : textJson) {
            bh.consume(Json.MAPPER.readTree(chunk));
        }
    }

    /** Text deltas: translate only, events not serialised. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public int textTranslateOnly(Blackhole bh) {
        return AnthropicBench.translate(text, false, bh);
    }

    /** Text deltas: translate + {@code toSse()}. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public int text(Blackhole bh) {
        return AnthropicBench.translate(text, true, bh);
    }

    /** Text deltas: {@code readTree} + translate + {@code toSse()}. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public int textParse(Blackhole bh) {
        return AnthropicBench.parseAndTranslate(textJson, bh);
    }

    /** A tool call streamed in small argument fragments: translate + {@code toSse()}. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public int toolCall(Blackhole bh) {
        return AnthropicBench.translate(tool, true, bh);
    }

    /** A tool call streamed in small argument fragments: {@code readTree} + translate + {@code toSse()}. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public int toolCallParse(Blackhole bh) {
        return AnthropicBench.parseAndTranslate(toolJson, bh);
    }
}
