package io.llmgateway.edge;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps a request body as it is read, for bodies without a Content-Length (chunked); crossing the cap throws
 * {@link TooLarge}, which the edge turns into a 413 in the caller's dialect.
 */
public final class BodyLimit extends FilterInputStream {
    private final long max;
    private long read;

    public BodyLimit(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    /** The body is larger than allowed. Unchecked, so it crosses Jersey's readers intact. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long max) {
            super("The request body is larger than " + max + " bytes (GATEWAY_MAX_BODY_BYTES)");
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > max) {
            throw new TooLarge(max);
        }
    }
}
