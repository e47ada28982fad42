package dev.wsfanout.local.gateway;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which web pages may open a WebSocket to the gateway ({@link WebSocketGateway.Builder#allowedOrigins}).
 * A browser always sends the page's origin in the upgrade's {@code Origin} header; other clients
 * usually send none. Unrestricted (the default), every upgrade passes. Restricted, an upgrade with
 * an {@code Origin} outside the list is refused; one without any passes, since only browsers are
 * what the list keeps out (any other client could send whatever Origin it likes).
 * Origins compare as browsers serialize them: {@code scheme://host[:port]}, case-insensitively,
 * the default port left out.
 */
final class AllowedOrigins {

    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s]+");
    private static final AllowedOrigins ANY = new AllowedOrigins(null);
    private static final int MAX_SHOWN = 200;

    /** Null: no restriction. */
    private final Set<String> origins;

    private AllowedOrigins(Set<String> origins) {
        this.origins = origins;
    }

    static AllowedOrigins any() {
        return ANY;
    }

    /**
     * @throws IllegalArgumentException for an entry that is not an origin ({@code http://127.0.0.1:8084}: no path, no trailing slash)
     */
    static AllowedOrigins of(Collection<String> allowed) {
        if (allowed == null) {
            throw new NullPointerException("allowedOrigins");
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : allowed) {
            String normalized = origin == null ? null : origin.trim().toLowerCase(Locale.ROOT);
            if (normalized == null || !ORIGIN.matcher(normalized).matches()) {
                throw new IllegalArgumentException("allowedOrigins: " + origin + " is not an origin; write scheme://host[:port] "
                        + "as a browser sends it in the Origin header, without a path or a trailing slash, e.g. http://127.0.0.1:8084");
            }
            origins.add(normalized);
        }
        return new AllowedOrigins(Set.copyOf(origins));
    }

    boolean restricted() {
        return origins != null;
    }

    /**
     * Why an upgrade with these {@code Origin} header values is refused, or empty when it passes.
     *
     * @param originHeaders every Origin header of the upgrade (empty: none)
     */
    Optional<String> refusal(List<String> originHeaders) {
        if (origins == null || originHeaders.isEmpty()) {
            return Optional.empty();
        }
        if (originHeaders.size() > 1) {
            return Optional.of("Forbidden: an upgrade with " + originHeaders.size() + " Origin headers");
        }
        String origin = originHeaders.get(0);
        if (origins.contains(origin.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String shown = origin.length() > MAX_SHOWN ? origin.substring(0, MAX_SHOWN) + "..." : origin;
        return Optional.of("Forbidden: Origin " + shown + " is not one of the gateway's allowed origins");
    }

    @Override
    public String toString() {
        return origins == null ? "any origin" : "origins " + origins;
    }
}
