package io.llmgateway.upstream;

/** Passes every call on to another listener; a subclass overrides the calls it steps into. */
abstract class ForwardingStreamListener implements StreamListener {
    private final StreamListener next;

    ForwardingStreamListener(StreamListener next) {
        this.next = next;
    }

    @Override
    public void onOpen(UpstreamStream stream) {
        next.onOpen(stream);
    }

    @Override
    public void onEvent(SseEvent event) {
        next.onEvent(event);
    }

    @Override
    public void onEnd() {
        next.onEnd();
    }

    @Override
    public void onFailure(UpstreamException failure) {
        next.onFailure(failure);
    }
}
