package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * Token estimates for image blocks, after Anthropic's published rule of thumb: {@code tokens ≈ width × height / 750},
 * where an image whose long edge exceeds 1568 px is first scaled down (aspect ratio kept), and no image costs
 * more than about 1,600 tokens. Dimensions are read from the header of base64 PNG, GIF, WebP and JPEG data; when
 * they cannot be known (URL or file sources, other formats, damaged data) the maximum of 1,600 is assumed, so the
 * estimate errs towards "the context is fuller than it is". Stateless and thread-safe; never throws.
 */
final class TokenCounterImages {
    /** Anthropic: "tokens = (width px * height px) / 750". */
    static final int PIXELS_PER_TOKEN = 750;
    /** Anthropic scales an image down until its long edge is at most this many pixels. */
    static final int MAX_LONG_EDGE = 1568;
    /** Anthropic scales an image down until it costs at most about this many tokens; also the unknown-size guess. */
    static final int MAX_TOKENS = 1600;

    /** Base64 characters decoded at most to find a JPEG frame header (EXIF thumbnails can precede it). */
    private static final int JPEG_SCAN_BASE64_CHARS = 128 * 1024;
    /** Base64 characters needed for the PNG, GIF and WebP headers (48 bytes, more than any of them needs). */
    private static final int SMALL_HEADER_BASE64_CHARS = 64;

    private TokenCounterImages() {
    }

    /** Tokens for an image block's {@code source}; {@link #MAX_TOKENS} when the size is unknown. */
    static int estimate(JsonNode source) {
        if (source == null || !source.isObject() || !"base64".equals(source.path("type").asText(""))) {
            return MAX_TOKENS;
        }
        JsonNode data = source.get("data");
        if (data == null || !data.isTextual()) {
            return MAX_TOKENS;
        }
        long[] size = dimensions(data.textValue());
        return size == null ? MAX_TOKENS : tokensFor(size[0], size[1]);
    }

    /** Anthropic's rule for a known size: scale the long edge down to 1568 px, then w×h/750, capped at 1,600. */
    static int tokensFor(long width, long height) {
        if (width <= 0 || height <= 0) {
            return MAX_TOKENS;
        }
        double w = width;
        double h = height;
        double longEdge = Math.max(w, h);
        if (longEdge > MAX_LONG_EDGE) {
            double scale = MAX_LONG_EDGE / longEdge;
            w = Math.max(1, Math.floor(w * scale));
            h = Math.max(1, Math.floor(h * scale));
        }
        double tokens = Math.ceil(w * h / PIXELS_PER_TOKEN);
        return (int) Math.max(1, Math.min(MAX_TOKENS, tokens));
    }

    /** {width, height} read from the image header in base64 {@code data}, or null when unknown. */
    static long[] dimensions(String data) {
        byte[] head = decodePrefix(data, SMALL_HEADER_BASE64_CHARS);
        if (head == null || head.length < 10) {
            return null;
        }
        if (isPng(head)) {
            return head.length >= 24 ? new long[] {be32(head, 16), be32(head, 20)} : null;
        }
        if (head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') {
            return new long[] {le16(head, 6), le16(head, 8)};
        }
        if (isWebp(head)) {
            return webp(head);
        }
        if ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
            return jpeg(decodePrefix(data, JPEG_SCAN_BASE64_CHARS));
        }
        return null;
    }

    /** Decodes the first {@code maxChars} (rounded down to whole quanta) of base64 text; null when it is not. */
    private static byte[] decodePrefix(String data, int maxChars) {
        int end = Math.min(data.length(), maxChars) & ~3;
        if (end == 0) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(data.substring(0, end));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isPng(byte[] b) {
        return (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isWebp(byte[] b) {
        return b.length >= 16 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }

    private static long[] webp(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (chunk) {
            case "VP8 ":
                // frame tag (3 bytes) and start code 9d 01 2a, then 14-bit width and height
                return new long[] {le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF};
            case "VP8L": {
                long bits = (b[21] & 0xFFL) | (b[22] & 0xFFL) << 8 | (b[23] & 0xFFL) << 16 | (b[24] & 0xFFL) << 24;
                return new long[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
            }
            case "VP8X":
                return new long[] {le24(b, 24) + 1, le24(b, 27) + 1};
            default:
                return null;
        }
    }

    /** Walks JPEG segments to the first start-of-frame marker; null when it is not within the decoded prefix. */
    private static long[] jpeg(byte[] b) {
        if (b == null) {
            return null;
        }
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF
                    && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return new long[] {be16(b, i + 7), be16(b, i + 5)};
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            int length = be16(b, i + 2);
            if (length < 2) {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }

    private static int be16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static long be32(byte[] b, int i) {
        return (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFFL) << 16 | (b[i + 2] & 0xFFL) << 8 | (b[i + 3] & 0xFFL);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long le24(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16;
    }
}
