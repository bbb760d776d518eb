package io.llmgateway.bench;

import io.llmgateway.openai.RelayBench;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-event cost of the OpenAI passthrough stream: {@link SseReader} parsing an upstream
 * {@code chat.completion.chunk} stream, and the real {@code OpenAiStreamRelay} re-encoding
 * ({@code SseFrames.encode}) and writing each event to a discarding client. One operation is one event; each
 * invocation is a whole stream of {@value #EVENTS} events (~260 bytes of JSON each), so the per-stream
 * allocations (the reader's 8 KB buffer) are amortised over it.
 *
 * <p>{@code reads}: {@code bulk} hands the reader up to 8 KB per read (an upstream that is ahead of the
 * gateway); {@code perEvent} one event per read, as a paced upstream's flushes arrive.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseRelayBenchmark {
    /** 999 chunk events and {@code [DONE]}. */
    static final int EVENTS = 1000;

    @Param({"bulk", "perEvent"})
    public String reads;

    private ReplayStream upstream;
    private BlackholeOutputStream client;

    @Setup
    public void setUp(Blackhole bh) throws IOException {
        List<String> chunks = Fixtures.textStream(EVENTS - 1);
        byte[] wire = Fixtures.sseBytes(chunks);
        upstream = new ReplayStream(wire, "perEvent".equals(reads));
        client = new BlackholeOutputStream(bh);
        // Sanity: the fixture is what the per-event numbers claim.
        upstream.rewind();
        if (RelayBench.relay(upstream, client) != EVENTS) {
            throw new IllegalStateException("fixture does not have " + EVENTS + " events");
        }
    }

    /** Parse only: {@code SseReader.next()} per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parse(Blackhole bh) throws IOException {
        upstream.rewind();
        SseReader reader = new SseReader(upstream);
        for (SseEvent event = reader.next(); event != null; event = reader.next()) {
            bh.consume(event);
        }
    }

    /** Parse + re-encode + write + flush per event: what the relay does per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int relay() {
        upstream.rewind();
        return RelayBench.relay(upstream, client);
    }

    /** Replays a byte array without locking (unlike ByteArrayInputStream), optionally one SSE event per read. */
    static final class ReplayStream extends InputStream {
        private final byte[] bytes;
        private final boolean perEvent;
        private int pos;

        ReplayStream(byte[] bytes, boolean perEvent) {
            this.bytes = bytes;
            this.perEvent = perEvent;
        }

        void rewind() {
            pos = 0;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int end = Math.min(bytes.length, pos + len);
            if (perEvent) {
                // Up to and including the next blank line ("\n\n"), i.e. one whole event.
                for (int i = pos + 1; i < end; i++) {
                    if (bytes[i] == '\n' && bytes[i - 1] == '\n') {
                        end = i + 1;
                        break;
                    }
                }
            }
            int n = end - pos;
            System.arraycopy(bytes, pos, b, off, n);
            pos = end;
            return n;
        }
    }

    /** A client that swallows every frame into the Blackhole. */
    static final class BlackholeOutputStream extends OutputStream {
        private final Blackhole bh;

        BlackholeOutputStream(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void write(int b) {
            bh.consume(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bh.consume(b);
        }

        @Override
        public void flush() {
        }
    }
}
