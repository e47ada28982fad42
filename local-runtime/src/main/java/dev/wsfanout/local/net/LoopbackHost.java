package dev.wsfanout.local.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Host check of the local control endpoints (the live page server, the local Step Functions
 * server, the gateway's {@code @connections} API). They listen on 127.0.0.1 only, but a web page
 * can still reach them through DNS rebinding: its own name, re-pointed at 127.0.0.1, reaches the
 * port with {@code Host: evil.example}. A request is therefore served only when it has exactly one
 * Host header and that header names a loopback address, with or without a port:
 * {@code 127.0.0.1} or any {@code 127.x.y.z}, {@code localhost} (any case), {@code [::1]} (or
 * another IPv6 literal of the loopback address). Names are never resolved.
 */
public final class LoopbackHost {

    /** {@code host[:port]}, where host is a name, an IPv4 address, or an IPv6 literal in brackets. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+)(?::([0-9]{1,5}))?");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final int MAX_SHOWN = 200;

    private LoopbackHost() {
    }

    /** Whether one Host header value names a loopback address (a port may follow). */
    public static boolean isLoopback(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        Matcher match = HOST_AND_PORT.matcher(hostHeader.trim());
        if (!match.matches() || match.group(2) != null && Integer.parseInt(match.group(2)) > 65_535) {
            return false;
        }
        String host = match.group(1);
        if (host.startsWith("[")) {
            return isIpv6Loopback(host);
        }
        return host.toLowerCase(Locale.ROOT).equals("localhost") || IPV4_LOOPBACK.matcher(host).matches();
    }

    /**
     * Why a request with these Host header values must be refused, or empty when it may be served.
     *
     * @param hostHeaders every Host header of the request (null or empty: none)
     * @param endpoint    what refuses, for the message: "the live page server"
     */
    public static Optional<String> refusal(List<String> hostHeaders, String endpoint) {
        if (hostHeaders == null || hostHeaders.isEmpty()) {
            return Optional.of(endpoint + " refuses a request without a Host header: it serves only Host 127.0.0.1, localhost or [::1]");
        }
        if (hostHeaders.size() > 1) {
            return Optional.of(endpoint + " refuses a request with " + hostHeaders.size() + " Host headers");
        }
        String host = hostHeaders.get(0);
        if (isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of(endpoint + " refuses Host " + shown(host) + ": it serves only Host 127.0.0.1, localhost or [::1] "
                + "(with or without a port), so a web page cannot reach it through DNS rebinding");
    }

    /** The refused value quoted for a message, cut when long and with control characters escaped. */
    private static String shown(String host) {
        String cut = host.length() > MAX_SHOWN ? host.substring(0, MAX_SHOWN) + "..." : host;
        StringBuilder quoted = new StringBuilder("'");
        for (char c : cut.toCharArray()) {
            quoted.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return quoted.append('\'').toString();
    }

    /**
     * A bracketed IPv6 literal. With a colon inside the brackets InetAddress parses it as a literal
     * or refuses it, never looking a name up ({@code [abc]} would be looked up: refused first).
     */
    private static boolean isIpv6Loopback(String bracketed) {
        if (!bracketed.contains(":")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(bracketed);
            // ::ffff:127.0.0.1 comes back as an Inet4Address: loopback too.
            return address.isLoopbackAddress() && (address instanceof Inet6Address || bracketed.contains("."));
        } catch (UnknownHostException notALiteral) {
            return false;
        }
    }
}
