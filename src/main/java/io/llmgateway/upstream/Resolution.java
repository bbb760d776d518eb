package io.llmgateway.upstream;

import java.util.List;

/**
 * The outcome of resolving a requested model name.
 *
 * @param model     found: the upstream model id to send; not found: the name the client asked for (may be null)
 * @param found     whether the request can go upstream
 * @param reason    found: why this model, for debug logs; not found: the client-facing error message
 *                  ("The model 'x' does not exist. Available models: a, b")
 * @param available not found: the model ids the client may use instead; empty when found
 */
public record Resolution(String model, boolean found, String reason, List<String> available) {

    public Resolution {
        available = available == null ? List.of() : List.copyOf(available);
    }

    static Resolution found(String model, String reason) {
        return new Resolution(model, true, reason, List.of());
    }

    static Resolution notFound(String requested, String problem, List<String> available) {
        String choices = available.isEmpty() ? " No models are available."
                : " Available models: " + String.join(", ", available);
        return new Resolution(requested, false, problem + choices, available);
    }
}
