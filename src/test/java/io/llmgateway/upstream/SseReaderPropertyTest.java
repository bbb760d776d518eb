package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import io.llmgateway.testing.SeededCases;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property tests of {@link SseReader}: for any bytes, split into reads of any sizes, it returns exactly the
 * events (then the end, or an {@link IOException} for an over-long line or event) that a direct transcription
 * of the WHATWG event-stream rules gives for the whole input at once; and every stream {@link SseFrames}
 * writes reads back as the events written.
 *
 * <p>Deterministic: every case has its own seed, printed with the failing input; replay one by setting
 * {@code -Dprop.seed=<seed>} (the property then runs that single case).
 */
class SseReaderPropertyTest {
    private static final long BASE_SEED = 0x55E_12EADL;
    private static final int RANDOM_CASES = 3_000;
    private static final int ROUND_TRIP_CASES = 2_000;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    @Timeout(60)
    void anyBytesInAnyReadsGiveTheEventsOfTheSpecOrAnIoException() {
        // given
        int[] outcomes = new int[2];

        forEachCase(1, RANDOM_CASES, (seed, random) -> {
            byte[] bytes = randomStream(random);
            int maxLineBytes = pickInt(random, SseReader.DEFAULT_MAX_LINE_BYTES, SseReader.DEFAULT_MAX_LINE_BYTES, 1, 3,
                    16, 100, 9_000, 20_000);
            Outcome expected = Spec.read(bytes, maxLineBytes);
            outcomes[expected.failure() == null ? 0 : 1]++;

            for (int split = 0; split < 3; split++) {
                // when
                int[] reads = split == 0 ? new int[] {bytes.length + 1} : split == 1 ? new int[] {1} : randomReads(random);
                Outcome actual = read(new RandomReads(bytes, reads, random.nextLong()), maxLineBytes, bytes.length);

                // then
                if (!actual.equals(expected)) {
                    throw new AssertionError("reads of " + Arrays.toString(Arrays.copyOf(reads, Math.min(reads.length, 20)))
                            + " bytes, maxLineBytes " + maxLineBytes + "\nexpected " + expected + "\n but got " + actual
                            + "\n" + replay(seed, bytes));
                }
            }
        });
        assertThat(outcomes).as("streams read to the end, and streams over the limits").doesNotContain(0);
    }

    @Test
    @Timeout(60)
    void encodedEventsReadBackAsWrittenWhateverTheReads() {
        forEachCase(2, ROUND_TRIP_CASES, (seed, random) -> {
            // given
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            List<SseEvent> written = new ArrayList<>();
            if (random.nextInt(10) == 0) {
                wire.writeBytes(BOM);
            }
            for (int i = random.nextInt(0, 12); i > 0; i--) {
                if (random.nextInt(5) == 0) {
                    wire.writeBytes(SseFrames.KEEP_ALIVE.getBytes(StandardCharsets.US_ASCII));
                }
                String event = random.nextInt(3) == 0 ? null : eventName(random);
                String data = text(random, random.nextInt(0, 60));
                wire.writeBytes(SseFrames.encode(event, data));
                written.add(new SseEvent(event == null || event.isEmpty() ? null : utf8(event), asRead(data), null));
            }
            byte[] bytes = wire.toByteArray();

            for (int split = 0; split < 3; split++) {
                // when
                int[] reads = split == 0 ? new int[] {bytes.length + 1} : split == 1 ? new int[] {1} : randomReads(random);
                Outcome actual = read(new RandomReads(bytes, reads, random.nextLong()), SseReader.DEFAULT_MAX_LINE_BYTES,
                        bytes.length);

                // then
                Outcome expected = new Outcome(written, null);
                if (!actual.equals(expected)) {
                    throw new AssertionError("reads of " + Arrays.toString(Arrays.copyOf(reads, Math.min(reads.length, 20)))
                            + " bytes\nexpected " + expected + "\n but got " + actual + "\n" + replay(seed, bytes));
                }
            }
        });
    }

    // ---- running ------------------------------------------------------------------------------------------

    interface Case {
        void run(long seed, SplittableRandom random);
    }

    private static void forEachCase(int stream, int count, Case property) {
        SeededCases.forEach(BASE_SEED * 31 + stream, count, (seed, random) -> property.run(seed, random));
    }

    /**
     * The events a reader returns, then null (twice, to see the end is sticky) or an IOException. Bounded: a
     * reader that returned more events than there are bytes would be looping.
     */
    private static Outcome read(InputStream in, int maxLineBytes, int length) {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(in, maxLineBytes)) {
            for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
                if (events.size() > length) {
                    throw new AssertionError("more events than bytes: the reader is looping");
                }
            }
            assertThat(reader.next()).as("next() after the end").isNull();
            return new Outcome(events, null);
        } catch (IOException e) {
            return new Outcome(events, e.getMessage().startsWith("SSE line") ? "line too long"
                    : e.getMessage().startsWith("SSE event data") ? "data too long" : e.getMessage());
        }
    }

    /**
     * @param events  the events, in order
     * @param failure null when the stream ended, else "line too long" or "data too long"
     */
    record Outcome(List<SseEvent> events, String failure) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(events.size() + " events");
            for (int i = 0; i < Math.min(events.size(), 30); i++) {
                SseEvent event = events.get(i);
                text.append("\n  ").append(escape(event.event())).append(" | ").append(escape(event.data()))
                        .append(" | ").append(escape(event.id()));
            }
            return text.append(failure == null ? "\n  then the end" : "\n  then " + failure).toString();
        }
    }

    /** The WHATWG "event stream interpretation", transcribed plainly over the whole input (minus retry). */
    static final class Spec {
        static Outcome read(byte[] b, int maxLineBytes) {
            List<SseEvent> events = new ArrayList<>();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            String type = null;
            String id = null;
            int pos = 0;
            boolean first = true;
            while (true) {
                int end = pos;
                while (end < b.length && b[end] != '\r' && b[end] != '\n') {
                    end++;
                }
                if (end - pos > maxLineBytes) {
                    return new Outcome(events, "line too long");
                }
                if (end == b.length) {
                    return new Outcome(events, null); // an unterminated last line is discarded
                }
                int off = pos;
                int len = end - pos;
                pos = b[end] == '\r' && end + 1 < b.length && b[end + 1] == '\n' ? end + 2 : end + 1;
                if (first) {
                    first = false;
                    if (len >= 3 && Arrays.equals(b, off, off + 3, BOM, 0, 3)) {
                        off += 3;
                        len -= 3;
                    }
                }
                String line = new String(b, off, len, StandardCharsets.ISO_8859_1); // bytes as chars, for matching
                if (line.isEmpty()) {
                    if (data.size() > 0) {
                        byte[] bytes = data.toByteArray();
                        events.add(new SseEvent(type, new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8), id));
                        data.reset();
                    }
                    type = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                byte[] valueBytes = value.getBytes(StandardCharsets.ISO_8859_1);
                switch (name) {
                    case "data" -> {
                        if (valueBytes.length >= maxLineBytes - data.size()) {
                            return new Outcome(events, "data too long");
                        }
                        data.writeBytes(valueBytes);
                        data.write('\n');
                    }
                    case "event" -> type = value.isEmpty() ? null : new String(valueBytes, StandardCharsets.UTF_8);
                    case "id" -> {
                        if (value.indexOf('\0') < 0) {
                            id = value.isEmpty() ? null : new String(valueBytes, StandardCharsets.UTF_8);
                        }
                    }
                    default -> {
                        // retry and unknown fields are ignored
                    }
                }
            }
        }
    }

    /** Hands out the bytes in reads of the given sizes (cycled); now and then a read of nothing, as some streams do. */
    static final class RandomReads extends InputStream {
        private final byte[] bytes;
        private final int[] sizes;
        private final SplittableRandom random;
        private int pos;
        private int read;

        RandomReads(byte[] bytes, int[] sizes, long seed) {
            this.bytes = bytes;
            this.sizes = sizes;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) {
                return -1;
            }
            if (len > 0 && sizes.length > 1 && random.nextInt(20) == 0) {
                return 0;
            }
            int n = Math.min(Math.min(len, sizes[read++ % sizes.length]), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static final String[] TOKENS = {"data", "data:", "data: ", "event:", "event: ", "id:", "id: ", "retry: 5",
            ":", " ", "\r", "\n", "\r\n", "\n\n", "\r\r", "[DONE]", "{\"choices\":[]}", "é", "\u2028", "😀", "x",
            "Data:", "dat", "ping", "message_start"};

    /** Bytes that are mostly SSE-shaped, with invalid UTF-8, NULs, BOMs and lines longer than the read buffer. */
    private static byte[] randomStream(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(8) == 0) {
            out.writeBytes(BOM);
        }
        int pieces = random.nextInt(0, random.nextInt(10) == 0 ? 400 : 60);
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(100);
            if (kind < 65) {
                out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            } else if (kind < 80) {
                out.write(random.nextInt(256));
            } else if (kind < 85) {
                out.writeBytes(pick(random, BOM, new byte[] {0}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3},
                        new byte[] {(byte) 0xF0, (byte) 0x9F}, new byte[] {(byte) 0x80}));
            } else if (kind < 97) {
                out.writeBytes(text(random, random.nextInt(1, 20)).getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] run = new byte[random.nextInt(1, random.nextInt(5) == 0 ? 25_000 : 3_000)];
                Arrays.fill(run, (byte) 'x');
                out.writeBytes(run);
            }
        }
        return out.toByteArray();
    }

    /** Read sizes: tiny, around the reader's 8 KiB buffer, or large. */
    private static int[] randomReads(SplittableRandom random) {
        int[] sizes = new int[random.nextInt(1, 8)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = pickInt(random, random.nextInt(1, 4), random.nextInt(1, 100), random.nextInt(8_000, 8_400),
                    random.nextInt(1, 30_000));
        }
        return sizes;
    }

    private static String eventName(SplittableRandom random) {
        String name = pick(random, "", "message_start", "content_block_delta", " leading", "a:b", "é😀", "\u2028");
        return random.nextInt(4) == 0 ? name + text(random, 3).replace('\r', ' ').replace('\n', ' ') : name;
    }

    /** Any text: line breaks of every kind, separators, NULs, surrogate pairs and lone surrogates. */
    private static String text(SplittableRandom random, int pieces) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(10)) {
                case 0 -> text.append(pick(random, "\n", "\r", "\r\n", "\n\n", "\r\r\n"));
                case 1 -> text.append(pick(random, "\u2028", "\u2029", "\u0000", "\uFEFF", "\u0085"));
                case 2 -> text.append(pick(random, "😀", "\uD800", "\uDC00", "é", "日本"));
                case 3 -> text.append(pick(random, "data: x", ":", " ", "event: y", "[DONE]"));
                default -> text.append((char) random.nextInt(' ', 0x7f));
            }
        }
        return text.toString();
    }

    /** Data as a reader returns it: every kind of line break is one LF, unencodable characters are '?'. */
    private static String asRead(String data) {
        return utf8(data).replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom random, T... options) {
        return options[random.nextInt(options.length)];
    }

    private static int pickInt(SplittableRandom random, int... options) {
        return options[random.nextInt(options.length)];
    }

    private static String replay(long seed, byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 600));
        return "seed " + seed + " (replay: -Dprop.seed=" + seed + ")\ninput (" + bytes.length + " bytes): " + hex
                + (bytes.length > 600 ? "..." : "");
    }

    private static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 200); i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > 200 ? out + "...(" + text.length() + " chars)" : out.toString();
    }
}
