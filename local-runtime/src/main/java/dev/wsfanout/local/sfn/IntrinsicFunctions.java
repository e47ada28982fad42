package dev.wsfanout.local.sfn;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and evaluates an intrinsic function call of a JSONPath state ("States.Format('{}', $.x)"
 * and friends). Arguments are string literals in single quotes, numbers, booleans, null, paths and
 * nested intrinsic calls; each function, with its argument checks and AWS limits, is one
 * {@link Intrinsic} entry. A malformed call raises States.IntrinsicFailure.
 */
final class IntrinsicFunctions {

    private final String text;
    private final PathResolver paths;
    private int position;

    private IntrinsicFunctions(String text, PathResolver paths) {
        this.text = text;
        this.paths = paths;
    }

    static boolean isIntrinsic(String value) {
        return value.startsWith("States.");
    }

    static Object evaluate(String expression, PathResolver paths) {
        IntrinsicFunctions parser = new IntrinsicFunctions(expression, paths);
        try {
            Object value = parser.call();
            parser.skipSpaces();
            if (parser.position != expression.length()) {
                throw parser.failure("unexpected text after the call");
            }
            return value;
        } catch (StatesError e) {
            throw e;
        } catch (RuntimeException | JsonPath.NotFound | NoSuchAlgorithmException e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + expression + ": " + e.getMessage());
        }
    }

    private StatesError failure(String message) {
        return new StatesError(StatesError.INTRINSIC_FAILURE, message + " at position " + position + " in " + text);
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private Object call() throws JsonPath.NotFound, NoSuchAlgorithmException {
        skipSpaces();
        int open = text.indexOf('(', position);
        if (open < 0) {
            throw failure("expected '('");
        }
        String name = text.substring(position, open).trim();
        position = open + 1;
        List<Object> args = new ArrayList<>();
        skipSpaces();
        if (position < text.length() && text.charAt(position) == ')') {
            position++;
        } else {
            while (true) {
                args.add(argument());
                skipSpaces();
                if (position >= text.length()) {
                    throw failure("unclosed '('");
                }
                char c = text.charAt(position++);
                if (c == ')') {
                    break;
                }
                if (c != ',') {
                    throw failure("expected ',' or ')'");
                }
            }
        }
        return apply(name, args);
    }

    private Object argument() throws JsonPath.NotFound, NoSuchAlgorithmException {
        skipSpaces();
        char c = text.charAt(position);
        if (c == '\'') {
            return stringLiteral();
        }
        if (text.startsWith("States.", position)) {
            return call();
        }
        int end = position;
        int depth = 0;
        while (end < text.length()) {
            char d = text.charAt(end);
            if (d == '[') {
                depth++;
            } else if (d == ']') {
                depth--;
            } else if ((d == ',' || d == ')') && depth == 0) {
                break;
            }
            end++;
        }
        String token = text.substring(position, end).trim();
        position = end;
        if (token.startsWith("$")) {
            return paths.resolve(token);
        }
        if (token.equals("true") || token.equals("false")) {
            return Boolean.valueOf(token);
        }
        if (token.equals("null")) {
            return null;
        }
        return Json.parse(token, "intrinsic argument '" + token + "'");
    }

    private String stringLiteral() {
        StringBuilder out = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '\\' && position < text.length()) {
                out.append(text.charAt(position++));
            } else if (c == '\'') {
                return out.toString();
            } else {
                out.append(c);
            }
        }
        throw failure("unclosed string literal");
    }

    private Object apply(String name, List<Object> args) throws NoSuchAlgorithmException {
        Intrinsic function = Intrinsic.BY_NAME.get(name);
        if (function == null) {
            throw failure("unknown intrinsic function " + name);
        }
        return function.apply(text, args);
    }
}
