package io.llmgateway.upstream;

/**
 * What a streamed inference call reports. Callbacks come from the upstream I/O threads, one at a time, and
 * must not block: a slow client is handled with {@link UpstreamStream#pause()}, not by waiting.
 */
public interface StreamListener {
    /** The upstream answered 2xx: the client's status can be committed, and events follow. */
    void onOpen(UpstreamStream stream);

    /** One upstream event, in order. */
    void onEvent(SseEvent event);

    /** The upstream ended the stream. */
    void onEnd();

    /**
     * The call failed. Before {@link #onOpen} nothing reached the client, so it gets the failure's status;
     * after it, the stream broke ({@link UpstreamException.Kind#TIMEOUT} when the upstream went silent).
     */
    void onFailure(UpstreamException failure);
}
