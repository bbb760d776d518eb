package io.llmgateway.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A streamed request's JSON body that lets go of its bytes once they are written. Apache's own producer keeps them
 * until the exchange ends, and a stream's exchange lasts as long as the answer: a Claude Code request of a few
 * hundred kilobytes would stay on the heap for every minute of every open stream. Not repeatable: a retry builds a
 * new one from the caller's bytes.
 */
final class SentOnceBody implements AsyncEntityProducer {
    private static final String JSON = ContentType.APPLICATION_JSON.toString();

    private final long length;
    private ByteBuffer unsent;

    SentOnceBody(byte[] body) {
        this.length = body.length;
        this.unsent = ByteBuffer.wrap(body);
    }


    @Override
    public synchronized int available() {
        return unsent == null ? 0 : unsent.remaining();
    }

    @Override
    public synchronized void produce(DataStreamChannel channel) throws IOException {
        if (unsent == null) {
            return;
        }
        channel.write(unsent);
        if (!unsent.hasRemaining()) {
            unsent = null;
            channel.endStream();
        }
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public void failed(Exception cause) {
        releaseResources();
    }

    @Override
    public synchronized void releaseResources() {
        unsent = null;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public String getContentType() {
        return JSON;
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return false;
    }

    @Override
    public Set<String> getTrailerNames() {
        return Set.of();
    }
}
