package dev.wsfanout.local.gateway;

/**
 * Told of every message the gateway delivers to a virtual connection, so a run can check which
 * connection received what (the gateway itself only counts them, see
 * {@link GatewayCounters#virtualMessagesDelivered()}): virtual connections have no client to ask.
 * Called on the gateway's event loop as each post is answered 200, so it must be quick and
 * thread-safe; it must not modify {@code utf8Text}.
 */
@FunctionalInterface
public interface VirtualDeliveryListener {

    /** Nobody listens: the default. */
    VirtualDeliveryListener NONE = (connectionId, utf8Text) -> { };

    /** One message delivered to {@code connectionId}: exactly the posted body, UTF-8. */
    void delivered(String connectionId, byte[] utf8Text);
}
