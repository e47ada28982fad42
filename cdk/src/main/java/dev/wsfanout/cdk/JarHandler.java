package dev.wsfanout.cdk;

/**
 * A handler class of the shaded handlers jar, deployed as one {@link HandlerFunction}: the cells'
 * {@link FanoutFunction}s and the home Region's {@link GlobalFunction}s.
 */
public interface JarHandler {

    String HANDLER_PACKAGE = "dev.wsfanout.handlers.";

    /** The camelCase name used in construct ids (and, for the cells' functions, context keys). */
    String key();

    /** The class's simple name in {@link #HANDLER_PACKAGE}. */
    String handlerClass();

    /** The Lambda handler string (the class implements RequestHandler or RequestStreamHandler). */
    default String handler() {
        return HANDLER_PACKAGE + handlerClass();
    }
}
