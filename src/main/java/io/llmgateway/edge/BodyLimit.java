package io.llmgateway.edge;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * Caps a request body as it is read, for bodies without a Content-Length (chunked); crossing the cap throws
 * {@link TooLarge}, which the endpoints turn into a 413 in the caller's dialect.
 */
public final class BodyLimit extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private long read;

    public BodyLimit(ServletInputStream in, long max) {
        this.in = in;
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
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
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

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
