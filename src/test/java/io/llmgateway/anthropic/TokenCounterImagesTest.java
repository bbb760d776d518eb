package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TokenCounterImagesTest {

    @Test
    void pngGifAndJpegSizesAreReadFromTheirHeaders() {
        // given
        String png = base64Image("png", 640, 480);
        String gif = base64Image("gif", 33, 17);
        String jpeg = base64Image("jpg", 1000, 500);

        // when / then
        assertThat(TokenCounterImages.dimensions(png)).containsExactly(640, 480);
        assertThat(TokenCounterImages.dimensions(gif)).containsExactly(33, 17);
        assertThat(TokenCounterImages.dimensions(jpeg)).containsExactly(1000, 500);
    }

    @Test
    void webpSizesAreReadFromTheExtendedLossyAndLosslessHeaders() {
        // given
        byte[] vp8x = webpHeader("VP8X");
        vp8x[24] = (byte) (799 & 0xFF); // canvas width - 1, 24 bits little-endian
        vp8x[25] = (byte) (799 >> 8);
        vp8x[27] = (byte) (599 & 0xFF); // canvas height - 1
        vp8x[28] = (byte) (599 >> 8);
        byte[] vp8 = webpHeader("VP8 ");
        vp8[26] = (byte) (320 & 0xFF);
        vp8[27] = (byte) (320 >> 8);
        vp8[28] = (byte) (240 & 0xFF);
        vp8[29] = (byte) (240 >> 8);
        byte[] vp8l = webpHeader("VP8L");
        long bits = (100 - 1) | (50 - 1) << 14;
        vp8l[20] = 0x2F;
        vp8l[21] = (byte) bits;
        vp8l[22] = (byte) (bits >> 8);
        vp8l[23] = (byte) (bits >> 16);
        vp8l[24] = (byte) (bits >> 24);
        Base64.Encoder b64 = Base64.getEncoder();

        // when / then
        assertThat(TokenCounterImages.dimensions(b64.encodeToString(vp8x))).containsExactly(800, 600);
        assertThat(TokenCounterImages.dimensions(b64.encodeToString(vp8))).containsExactly(320, 240);
        assertThat(TokenCounterImages.dimensions(b64.encodeToString(vp8l))).containsExactly(100, 50);
    }

    @Test
    void aKnownSizeCostsWidthTimesHeightOver750RoundedUp() {
        // given / when / then
        assertThat(TokenCounterImages.tokensFor(300, 200)).isEqualTo(80);
        assertThat(TokenCounterImages.tokensFor(1000, 1000)).isEqualTo(1334);
        assertThat(TokenCounterImages.tokensFor(10, 10)).isEqualTo(1);
    }

    @Test
    void aLargeImageIsScaledToTheLongEdgeLimitAndCappedAt1600() {
        // given / when / then
        assertThat(TokenCounterImages.tokensFor(3136, 200)).isEqualTo(TokenCounterImages.tokensFor(1568, 100));
        assertThat(TokenCounterImages.tokensFor(4000, 3000)).isEqualTo(TokenCounterImages.MAX_TOKENS);
        assertThat(TokenCounterImages.tokensFor(1092, 1092)).isEqualTo(1590);
    }

    @Test
    void anImageWhoseSizeCannotBeKnownCostsTheMaximum() {
        // given
        ObjectNode url = source("url").put("url", "https://example.com/a.png");
        ObjectNode file = source("file").put("file_id", "file_011");
        ObjectNode garbage = source("base64").put("data", "!!!! this is not base64 at all !!!!");
        ObjectNode otherFormat = source("base64")
                .put("data", Base64.getEncoder().encodeToString("BM this is a bitmap header, unsupported".getBytes()));
        ObjectNode truncated = source("base64").put("data", base64Image("png", 64, 64).substring(0, 12));
        ObjectNode noData = source("base64");

        // when / then
        for (JsonNode source : new JsonNode[] {url, file, garbage, otherFormat, truncated, noData, null,
                JsonNodeFactory.instance.textNode("x")}) {
            assertThat(TokenCounterImages.estimate(source)).as(String.valueOf(source))
                    .isEqualTo(TokenCounterImages.MAX_TOKENS);
        }
    }

    @Test
    void aBase64SourceOfKnownSizeIsEstimatedFromItsPixels() {
        // given
        ObjectNode source = source("base64").put("media_type", "image/jpeg").put("data", base64Image("jpg", 750, 100));

        // when
        int tokens = TokenCounterImages.estimate(source);

        // then
        assertThat(tokens).isEqualTo(100);
    }

    private static ObjectNode source(String type) {
        return JsonNodeFactory.instance.objectNode().put("type", type);
    }

    private static byte[] webpHeader(String chunk) {
        byte[] b = new byte[40];
        System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
        System.arraycopy("WEBP".getBytes(), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(), 0, b, 12, 4);
        return b;
    }

    /** A real image file of the given format and size, base64-encoded as an Anthropic image source carries it. */
    static String base64Image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
