package dev.wsfanout.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Refuses a taken port before anything starts, so the person sees one line naming the port and
 * the flag that changes it instead of a half-started stack and a bind stack trace.
 */
public final class PortCheck {

    private PortCheck() {
    }

    /** @param flag the option that sets this port, named in the message */
    public static void requireFree(int port, String flag) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException inUse) {
            throw inUse(port, flag);
        }
    }

    public static CliException inUse(int port, String flag) {
        return new CliException(CliException.REFUSED,
                "port " + port + " is in use: stop the other wsfanout or pass " + flag + " 0 for a free port");
    }
}
