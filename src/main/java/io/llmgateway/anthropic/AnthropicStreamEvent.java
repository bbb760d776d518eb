package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.upstream.SseFrames;

/**
 * One Anthropic server-sent event: its {@code event:} name and its data, whose {@code "type"} is the same name.
 *
 * @param type the event name, e.g. {@code content_block_delta}
 * @param data the event's JSON, including {@code "type"}
 */
record AnthropicStreamEvent(String type, ObjectNode data) {

    /** The wire frame: {@code event: <type>}, {@code data: <json>}, blank line. */
    byte[] toSse() {
        return SseFrames.encode(type, data.toString());
    }
}
