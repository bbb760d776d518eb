package io.llmgateway.auth;

/** Shared wording for redacted {@code toString()}s: says whether a secret is there, never what it is. */
final class Redact {
    private Redact() {
    }

    static String presence(String secret) {
        return secret == null ? "null" : "****";
    }
}
