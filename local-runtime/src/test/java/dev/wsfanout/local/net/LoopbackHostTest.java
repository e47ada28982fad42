package dev.wsfanout.local.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackHostTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:8084", "127.1.2.3", "127.255.255.255:1", "localhost", "LocalHost:80",
            "[::1]", "[::1]:8084", "[0:0:0:0:0:0:0:1]:9", "[::ffff:127.0.0.1]:80", " 127.0.0.1:8084 "})
    void loopbackHostsAreAccepted(String host) {
        assertTrue(LoopbackHost.isLoopback(host), host);
        assertEquals(java.util.Optional.empty(), LoopbackHost.refusal(List.of(host), "test"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8084", "localhost.evil.example", "127.0.0.1.evil.example",
            "127.0.0.1.nip.io:8084", "localhost.", "128.0.0.1", "127.0.0.256", "127.0.0", "127.1", "0.0.0.0:8084", "10.0.0.1",
            "[::2]", "[::]", "[127.0.0.1]", "[abc]", "[::1", "::1", "127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:80:80",
            "127.0.0.1@evil.example", "", " "})
    void anyOtherHostIsRefused(String host) {
        assertFalse(LoopbackHost.isLoopback(host), host);
        assertTrue(LoopbackHost.refusal(List.of(host), "test").isPresent(), host);
    }

    @Test
    void theRefusalNamesTheHostAndWhatIsServed() {
        assertEquals("the local Step Functions server refuses Host 'evil.example:8083': it serves only Host 127.0.0.1, "
                        + "localhost or [::1] (with or without a port), so a web page cannot reach it through DNS rebinding",
                LoopbackHost.refusal(List.of("evil.example:8083"), "the local Step Functions server").orElseThrow());
    }

    @Test
    void noHostOrSeveralAreRefused() {
        assertTrue(LoopbackHost.refusal(null, "x").orElseThrow().contains("without a Host header"));
        assertTrue(LoopbackHost.refusal(List.of(), "x").isPresent());
        assertTrue(LoopbackHost.refusal(List.of("127.0.0.1", "evil.example"), "x").orElseThrow().contains("2 Host headers"));
    }
}
