package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void blankLineDispatchesEvent() throws IOException {
        // given
        String stream = "data: hello\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).containsExactly(new SseEvent(null, "hello", null));
    }

    @Test
    void multiLineDataIsJoinedWithNewline() throws IOException {
        // given
        String stream = "data: first\ndata: second\ndata:\ndata: fourth\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("first\nsecond\n\nfourth");
    }

    @Test
    void onlyOneSpaceAfterColonIsStripped() throws IOException {
        // given
        String stream = "data:  two spaces \n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly(" two spaces ");
    }

    @Test
    void dataWithoutSpaceAfterColonIsKeptWhole() throws IOException {
        // given
        String stream = "data:{\"a\":1}\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":1}");
    }

    @Test
    void dataLineWithoutColonIsFieldWithEmptyValue() throws IOException {
        // given
        String stream = "data\n\ndata\ndata\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("", "\n");
    }

    @Test
    void valueKeepsLaterColons() throws IOException {
        // given
        String stream = "data: a: b:c\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("a: b:c");
    }

    @Test
    void commentsAreIgnored() throws IOException {
        // given
        String stream = ": keep-alive\n\n:\ndata: a\n: in the middle\ndata: b\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("a\nb");
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndItsNameIsReset() throws IOException {
        // given
        String stream = "event: lonely\n\ndata: x\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).containsExactly(new SseEvent(null, "x", null));
    }

    @Test
    void eventFieldNamesTheEventAndIsResetAfterDispatch() throws IOException {
        // given
        String stream = "event: message_start\ndata: {}\n\ndata: plain\n\nevent:\ndata: empty name\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).containsExactly(
                new SseEvent("message_start", "{}", null),
                new SseEvent(null, "plain", null),
                new SseEvent(null, "empty name", null));
    }

    @Test
    void idPersistsAcrossEventsUntilChanged() throws IOException {
        // given
        String stream = "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::id).containsExactly("1", "1", "2", null);
    }

    @Test
    void idContainingNulIsIgnored() throws IOException {
        // given
        String stream = "id: 7\ndata: a\n\nid: bad\u0000id\ndata: b\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::id).containsExactly("7", "7");
    }

    @Test
    void retryAndUnknownFieldsAreIgnored() throws IOException {
        // given
        String stream = "retry: 3000\nfoo: bar\nDATA: upper case is another field\ndata: kept\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).containsExactly(new SseEvent(null, "kept", null));
    }

    @Test
    void carriageReturnLineFeedAndCarriageReturnAloneEndLines() throws IOException {
        // given
        String stream = "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("a\nb\nc", "d");
    }

    @Test
    void carriageReturnLineFeedSplitAcrossReadsIsOneLineBreak() throws IOException {
        // given
        byte[] stream = "data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n".getBytes(StandardCharsets.UTF_8);

        // when
        List<SseEvent> oneByteAtATime = readAll(new ChunkedInputStream(stream, 1));
        List<SseEvent> everyReadEndingInCr = readAll(new ChunkedInputStream(stream, 8, 9, 2, 9, 2, 1));

        // then
        assertThat(oneByteAtATime).extracting(SseEvent::data).containsExactly("a\nb", "c");
        assertThat(everyReadEndingInCr).isEqualTo(oneByteAtATime);
    }

    @Test
    void oddChunkSizesGiveTheSameEventsAsOneRead() throws IOException {
        // given
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("event: e").append(i).append("\r\nid: ").append(i).append("\r\n: note\r\n")
                    .append("data: {\"n\":").append(i).append(",\"text\":\"żółw \uD83D\uDC22\"}\r\ndata: tail\r\n\r\n");
        }
        byte[] stream = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<SseEvent> expected = readAll(new ByteArrayInputStream(stream));

        // when
        List<SseEvent> chunked = readAll(new ChunkedInputStream(stream, 3, 7, 1, 13, 2, 5));

        // then
        assertThat(expected).hasSize(50);
        assertThat(expected.get(49))
                .isEqualTo(new SseEvent("e49", "{\"n\":49,\"text\":\"żółw \uD83D\uDC22\"}\ntail", "49"));
        assertThat(chunked).isEqualTo(expected);
    }

    @Test
    void multiByteCharactersSplitAcrossReadsDecodeIntact() throws IOException {
        // given
        String text = "é€\uD83D\uDE00日本";
        byte[] stream = ("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);

        // when
        List<SseEvent> events = readAll(new ChunkedInputStream(stream, 1));

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly(text);
    }

    @Test
    void lineSeparatorsInsideJsonAreData() throws IOException {
        // given
        String json = "{\"content\":\"a\u2028b\u2029c\u0085d\"}";
        byte[] stream = ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);

        // when
        List<SseEvent> events = readAll(new ChunkedInputStream(stream, 2));

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly(json);
    }

    @Test
    void leadingByteOrderMarkIsIgnored() throws IOException {
        // given
        byte[] stream = "\uFEFFdata: a\n\n".getBytes(StandardCharsets.UTF_8);

        // when
        List<SseEvent> events = readAll(new ChunkedInputStream(stream, 1));

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("a");
    }

    @Test
    void byteOrderMarkAfterTheStartIsData() throws IOException {
        // given
        String stream = "data: a\n\ndata: \uFEFFb\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("a", "\uFEFFb");
    }

    @Test
    void incompleteEventAtEndOfStreamIsDiscarded() throws IOException {
        // given
        String stream = "data: complete\n\ndata: incomplete\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("complete");
    }

    @Test
    void unterminatedLastLineIsDiscarded() throws IOException {
        // given
        String stream = "data: complete\n\ndata: no line end";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly("complete");
    }

    @Test
    void nextKeepsReturningNullAfterEnd() throws IOException {
        // given
        SseReader reader = reader("data: a\n\n");
        reader.next();

        // when
        SseEvent first = reader.next();
        SseEvent second = reader.next();

        // then
        assertThat(first).isNull();
        assertThat(second).isNull();
    }

    @Test
    void emptyStreamHasNoEvents() throws IOException {
        // given
        String stream = "";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).isEmpty();
    }

    @Test
    void lineLongerThanLimitFailsWithClearMessage() {
        // given
        byte[] stream = ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8);
        SseReader reader = new SseReader(new ChunkedInputStream(stream, 7), 64);

        // when / then
        assertThatThrownBy(reader::next)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("SSE line longer than 64 bytes");
    }

    @Test
    void lineExactlyAtLimitIsAccepted() throws IOException {
        // given
        String line = "data: " + "x".repeat(58);
        SseReader reader = new SseReader(new ChunkedInputStream((line + "\n\n").getBytes(StandardCharsets.UTF_8), 5), 64);

        // when
        SseEvent event = reader.next();

        // then
        assertThat(line).hasSize(64);
        assertThat(event.data()).isEqualTo("x".repeat(58));
    }

    @Test
    void eventDataLongerThanLimitFailsWithClearMessage() {
        // given
        String line = "data: " + "x".repeat(30) + "\n";
        SseReader reader = new SseReader(new ByteArrayInputStream(
                (line + line + line + "\n").getBytes(StandardCharsets.UTF_8)), 64);

        // when / then
        assertThatThrownBy(reader::next)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("SSE event data longer than 64 bytes");
    }

    @Test
    void closeClosesTheStream() throws IOException {
        // given
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        SseReader reader = new SseReader(in);

        // when
        reader.close();

        // then
        assertThat(closed[0]).isTrue();
    }

    @Test
    void openAiStreamIsReadEventByEvent() throws IOException {
        // given
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                + ": OPENROUTER PROCESSING\n\n"
                + "data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n"
                + "data: [DONE]\n\n";

        // when
        List<SseEvent> events = readAll(stream);

        // then
        assertThat(events).extracting(SseEvent::data).containsExactly(
                "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}",
                "{\"choices\":[],\"usage\":{\"total_tokens\":3}}",
                "[DONE]");
    }

    private static SseReader reader(String stream) {
        return new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<SseEvent> readAll(String stream) throws IOException {
        return readAll(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
    }

    static List<SseEvent> readAll(InputStream in) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(in)) {
            for (SseEvent e = reader.next(); e != null; e = reader.next()) {
                events.add(e);
            }
        }
        return events;
    }
}
