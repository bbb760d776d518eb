package io.llmgateway.auth;

/** How close the held access token is to its expiry. */
public enum TokenState {
    /** Far from expiry: served as is. */
    FRESH,
    /** Near expiry: still served while one background refresh replaces it. */
    STALE,
    /** Too close to expiry to send (or no token at all): callers wait for a refresh. */
    EXPIRED
}
