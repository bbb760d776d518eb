package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompletionReaderTest {
    private static JsonNode read(String body) throws IOException {
        return CompletionReader.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenACompletionWhenReadThenOnlyTheFieldsTheTranslationUsesAreKept() throws Exception {
        // given
        String completion = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[]},"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\",\"annotations\":[],"
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2.0,\"prompt_tokens_details\":{\"cached_tokens\":4}}}";

        // when
        JsonNode lean = read(completion);

        // then
        assertThat(lean).isEqualTo(Json.MAPPER.readTree("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"content\":\"hi\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\","
                + "\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2.0,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}"));
    }

    @Test
    void givenAnEmptyBodyWhenReadThenItIsTheMissingNode() throws Exception {
        // when
        JsonNode lean = read("  ");

        // then
        assertThat(lean.isMissingNode()).isTrue();
    }

    @Test
    void givenTwoValuesWhenReadThenItIsRefused() {
        // when / then
        assertThatThrownBy(() -> read("{\"choices\":[]} {}")).isInstanceOf(IOException.class);
    }

    @Test
    void givenABodyLargerThan64MegabytesWhenReadThenItIsRefusedWithoutHoldingIt() {
        // given: an object padded with 65 MB of spaces, produced as it is read
        InputStream padding = new InputStream() {
            private long left = 65L << 20;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) ' ');
                left -= n;
                return n;
            }
        };
        InputStream body = new SequenceInputStream(new SequenceInputStream(
                new ByteArrayInputStream("{\"choices\":".getBytes(StandardCharsets.UTF_8)), padding),
                new ByteArrayInputStream("[]}".getBytes(StandardCharsets.UTF_8)));

        // when / then
        assertThatThrownBy(() -> CompletionReader.read(body)).isInstanceOf(IOException.class)
                .hasMessageContaining("Document length");
    }
}
