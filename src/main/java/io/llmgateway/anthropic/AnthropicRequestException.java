package io.llmgateway.anthropic;

/**
 * An Anthropic Messages request the translator cannot accept. The message names the offending field the way
 * Anthropic does ({@code max_tokens: Field required}, {@code messages.2.content.0.source.data: Field required});
 * the caller answers HTTP 400 {@code invalid_request_error} with it.
 */
final class AnthropicRequestException extends Exception {
    private final String field;

    /**
     * @param field   dotted path of the offending field ({@code messages.0.role}), or null for the whole body
     * @param problem what is wrong with it
     */
    AnthropicRequestException(String field, String problem) {
        super(field == null ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The dotted path of the offending field, or null when the whole body is at fault. */
    String field() {
        return field;
    }
}
