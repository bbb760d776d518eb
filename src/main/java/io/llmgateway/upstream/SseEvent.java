package io.llmgateway.upstream;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event} field, null when absent or empty (the spec's default type "message")
 * @param data  the {@code data} lines joined with {@code \n}
 * @param id    the last event id seen on the stream so far, null when none or reset by an empty {@code id}
 */
public record SseEvent(String event, String data, String id) {
}
