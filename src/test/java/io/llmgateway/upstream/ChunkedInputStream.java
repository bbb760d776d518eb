package io.llmgateway.upstream;

import java.io.InputStream;

/** Hands out its bytes in chunks of the given sizes (cycled), as a network stream splits them arbitrarily. */
final class ChunkedInputStream extends InputStream {
    private final byte[] bytes;
    private final int[] chunkSizes;
    private int pos;
    private int chunk;

    ChunkedInputStream(byte[] bytes, int... chunkSizes) {
        this.bytes = bytes;
        this.chunkSizes = chunkSizes;
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
        int n = Math.min(Math.min(len, chunkSizes[chunk++ % chunkSizes.length]), bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
    }
}
