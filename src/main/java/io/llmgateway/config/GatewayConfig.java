package io.llmgateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import org.eclipse.microprofile.config.Config;

/**
 * One immutable snapshot of the gateway's configuration. Built from MicroProfile Config (system properties ›
 * servlet context parameters › environment › {@code .env} › defaults) and rebuilt by {@link LiveConfig} when
 * the {@code .env} file changes. Keys marked "restart" keep their startup value until the next start.
 */
public record GatewayConfig(
        Path envFile,
        URI oauthTokenUrl,
        String oauthClientId,
        Secret oauthRefreshTokenSeed,
        Duration oauthKeepAlive,
        URI llmApiUrl,
        Secret llmApiKey,
        List<String> modelNames,
        URI modelsApiUrl,
        String modelPrefix,
        boolean modelFallback,
        String modelAliases,
        Duration modelsCacheTtl,
        String systemPrompt,
        double temperature,
        Duration requestTimeout,
        Duration connectTimeout,
        boolean forceProxy,
        URI httpProxyUrl,
        List<Path> extraCaBundles,
        Path caBundle,
        boolean disableSslVerify,
        Level logLevel,
        List<InboundKey> apiKeys,
        KeyLimits keyLimits,
        long maxBodyBytes,
        List<String> corsOrigins,
        boolean stripBillingHeader,
        boolean reasoningEffortEnabled,
        List<ReasoningBucket> reasoningBuckets,
        String adaptiveReasoningEffort,
        boolean replayReasoning,
        OutputTokenLimits maxOutputTokens,
        String maxTokensField,
        boolean streamUsage,
        Duration pingInterval,
        String tokenizer) {

    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";

    /** True when no upstream is configured: the built-in simulated upstream answers instead. */
    public boolean demoMode() {
        return llmApiUrl == null;
    }

    public String defaultModel() {
        return modelNames.isEmpty() ? null : modelNames.get(0);
    }

    static GatewayConfig read(Config config, Path envFile, GatewayConfig previous, List<String> warnings) {
        KeyReader r = new KeyReader(config, previous, warnings);
        URI tokenUrl = r.read("OAUTH_TOKEN_URL", Parsers::httpUrl, null, GatewayConfig::oauthTokenUrl);
        if (tokenUrl == null) {
            tokenUrl = r.read("OAUTH_HOST", GatewayConfig::tokenUrlOfHost, null, GatewayConfig::oauthTokenUrl);
        }
        URI apiUrl = r.restartOnly("LLM_API_URL",
                r.read("LLM_API_URL", Parsers::httpUrl, null, GatewayConfig::llmApiUrl), GatewayConfig::llmApiUrl);
        String caBundle = r.raw("REQUESTS_CA_BUNDLE").or(() -> r.raw("SSL_CERT_FILE")).orElse(null);
        return new GatewayConfig(
                envFile,
                tokenUrl,
                r.raw("OAUTH_CLIENT_ID").orElse(null),
                Secret.ofNullable(r.raw("OAUTH_REFRESH_TOKEN").orElse(null)),
                r.restartOnly("OAUTH_KEEPALIVE_HOURS", r.read("OAUTH_KEEPALIVE_HOURS", Parsers::hoursOrZero,
                        Duration.ofHours(6), GatewayConfig::oauthKeepAlive), GatewayConfig::oauthKeepAlive),
                apiUrl,
                Secret.ofNullable(r.raw("LLM_API_KEY").orElse(null)),
                r.read("LLM_MODEL_NAME", Parsers::list, List.of(), GatewayConfig::modelNames),
                r.read("LLM_MODELS_API_URL", Parsers::httpUrl, null, GatewayConfig::modelsApiUrl),
                r.raw("LLM_MODEL_PREFIX").orElse(null),
                r.read("LLM_MODEL_FALLBACK", Parsers::bool, true, GatewayConfig::modelFallback),
                r.raw("GATEWAY_MODEL_ALIASES").orElse(""),
                r.read("GATEWAY_MODELS_CACHE_SECONDS", Parsers::seconds, Duration.ofMinutes(10),
                        GatewayConfig::modelsCacheTtl),
                r.raw("LLM_SYSTEM_PROMPT").orElse(DEFAULT_SYSTEM_PROMPT),
                r.read("LLM_TEMPERATURE", Parsers.decimalBetween(0, 2), 0.7, GatewayConfig::temperature),
                r.read("LLM_REQUEST_TIMEOUT", Parsers::seconds, Duration.ofSeconds(180), GatewayConfig::requestTimeout),
                r.read("CONNECTION_TIMEOUT", Parsers::seconds, Duration.ofSeconds(2), GatewayConfig::connectTimeout),
                r.read("FORCE_PROXY", Parsers::bool, false, GatewayConfig::forceProxy),
                r.read("HTTP_PROXY_URL", Parsers::httpUrl, null, GatewayConfig::httpProxyUrl),
                r.restartOnly("MULTI_CA_BUNDLE", r.read("MULTI_CA_BUNDLE", GatewayConfig::paths, List.of(),
                        GatewayConfig::extraCaBundles), GatewayConfig::extraCaBundles),
                r.restartOnly("REQUESTS_CA_BUNDLE", caBundle == null ? null : Path.of(caBundle), GatewayConfig::caBundle),
                r.restartOnly("DISABLE_SSL_VERIFY", r.read("DISABLE_SSL_VERIFY", Parsers::bool, false,
                        GatewayConfig::disableSslVerify), GatewayConfig::disableSslVerify),
                r.read("LOG_LEVEL", GatewayConfig::level, Level.INFO, GatewayConfig::logLevel),
                r.read("GATEWAY_API_KEYS", InboundKey::parseList, List.of(), GatewayConfig::apiKeys),
                r.read("GATEWAY_KEY_LIMITS", KeyLimits::parse, KeyLimits.NONE, GatewayConfig::keyLimits),
                r.read("GATEWAY_MAX_BODY_BYTES", GatewayConfig::positiveLong, 32L << 20, GatewayConfig::maxBodyBytes),
                r.read("GATEWAY_CORS_ORIGINS", Parsers::list, List.of(), GatewayConfig::corsOrigins),
                r.read("GATEWAY_STRIP_BILLING_HEADER", Parsers::bool, true, GatewayConfig::stripBillingHeader),
                r.read("LLM_REASONING_EFFORT_ENABLED", Parsers::bool, true, GatewayConfig::reasoningEffortEnabled),
                r.read("LLM_REASONING_BUCKETS", ReasoningBucket::parseList, ReasoningBucket.DEFAULTS,
                        GatewayConfig::reasoningBuckets),
                r.read("LLM_REASONING_ADAPTIVE_EFFORT", GatewayConfig::effort, "medium",
                        GatewayConfig::adaptiveReasoningEffort),
                r.read("LLM_REPLAY_REASONING", Parsers::bool, false, GatewayConfig::replayReasoning),
                r.read("LLM_MAX_OUTPUT_TOKENS", OutputTokenLimits::parse, OutputTokenLimits.NONE,
                        GatewayConfig::maxOutputTokens),
                r.read("LLM_MAX_TOKENS_FIELD", GatewayConfig::maxTokensField, "max_tokens",
                        GatewayConfig::maxTokensField),
                r.read("LLM_STREAM_USAGE", Parsers::bool, true, GatewayConfig::streamUsage),
                r.read("GATEWAY_PING_SECONDS", Parsers::seconds, Duration.ofSeconds(10), GatewayConfig::pingInterval),
                r.read("GATEWAY_TOKENIZER", GatewayConfig::tokenizer, "o200k_base", GatewayConfig::tokenizer));
    }

    private static long positiveLong(String s) {
        try {
            long n = Long.parseLong(s.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a positive whole number");
    }

    private static String effort(String s) {
        if (!List.of("minimal", "low", "medium", "high").contains(s)) {
            throw new IllegalArgumentException("expected minimal, low, medium or high");
        }
        return s;
    }

    private static String maxTokensField(String s) {
        if (!s.equals("max_tokens") && !s.equals("max_completion_tokens")) {
            throw new IllegalArgumentException("expected max_tokens or max_completion_tokens");
        }
        return s;
    }

    private static String tokenizer(String s) {
        if (!List.of("o200k_base", "cl100k_base", "p50k_base", "r50k_base").contains(s)) {
            throw new IllegalArgumentException("expected o200k_base, cl100k_base, p50k_base or r50k_base");
        }
        return s;
    }

    private static URI tokenUrlOfHost(String host) {
        if (host.contains("/") || host.contains(" ")) {
            throw new IllegalArgumentException("expected a bare host name such as login.example.com "
                    + "(use OAUTH_TOKEN_URL for a full URL)");
        }
        return URI.create("https://" + host + "/oauth2/v1/token");
    }

    private static List<Path> paths(String s) {
        return Parsers.list(s).stream().map(Path::of).toList();
    }

    /** Python's level names, as the seed's LOG_LEVEL used them, mapped onto java.util.logging. */
    private static Level level(String s) {
        return switch (s.toUpperCase(Locale.ROOT)) {
            case "DEBUG", "FINE" -> Level.FINE;
            case "TRACE", "FINEST" -> Level.FINEST;
            case "INFO" -> Level.INFO;
            case "WARNING", "WARN" -> Level.WARNING;
            case "ERROR", "CRITICAL", "SEVERE" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("expected DEBUG, INFO, WARNING or ERROR");
        };
    }

    @Override
    public String toString() {
        return "GatewayConfig[envFile=" + envFile + ", oauthTokenUrl=" + oauthTokenUrl
                + ", llmApiUrl=" + (demoMode() ? "(demo)" : llmApiUrl) + ", llmApiKey=" + (llmApiKey == null ? "unset" : "set")
                + ", modelNames=" + modelNames + ", modelsApiUrl=" + modelsApiUrl
                + ", forceProxy=" + forceProxy + ", httpProxyUrl=" + (httpProxyUrl == null ? "unset" : redactUserInfo(httpProxyUrl))
                + ", apiKeys=" + apiKeys.size() + "]";
    }

    /** A proxy URL for logs: any {@code user:pass@} is replaced by {@code ****@}. */
    public static String redactUserInfo(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo(), "****");
    }
}
