package dev.wsfanout.local.sfn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The intrinsic functions of JSONPath states ("States.Format('{}', $.x)" and friends; AWS
 * developer guide, "Intrinsic functions for JSONPath states"). Arguments are string literals in
 * single quotes, numbers, booleans, null, paths and nested intrinsic calls. A failure raises
 * States.IntrinsicFailure.
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
        switch (name) {
            case "States.Format": {
                String template = (String) args.get(0);
                StringBuilder out = new StringBuilder();
                int next = 1;
                for (int i = 0; i < template.length(); i++) {
                    if (template.startsWith("{}", i)) {
                        Object value = args.get(next++);
                        out.append(value instanceof String s ? s : Json.write(value));
                        i++;
                    } else {
                        out.append(template.charAt(i));
                    }
                }
                return out.toString();
            }
            case "States.StringToJson":
                return Json.parse((String) args.get(0), "States.StringToJson argument");
            case "States.JsonToString":
                return Json.write(args.get(0));
            case "States.Array":
                return new ArrayList<>(args);
            case "States.ArrayPartition": {
                List<?> items = (List<?>) args.get(0);
                int size = ((Number) args.get(1)).intValue();
                List<Object> chunks = new ArrayList<>();
                for (int i = 0; i < items.size(); i += size) {
                    chunks.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + size))));
                }
                return chunks;
            }
            case "States.ArrayContains":
                return ((List<?>) args.get(0)).contains(args.get(1));
            case "States.ArrayRange": {
                List<Object> values = new ArrayList<>();
                long step = ((Number) args.get(2)).longValue();
                for (long v = ((Number) args.get(0)).longValue(); step > 0 ? v <= ((Number) args.get(1)).longValue()
                        : v >= ((Number) args.get(1)).longValue(); v += step) {
                    values.add(v);
                }
                return values;
            }
            case "States.ArrayGetItem":
                return ((List<?>) args.get(0)).get(((Number) args.get(1)).intValue());
            case "States.ArrayLength":
                return (long) ((List<?>) args.get(0)).size();
            case "States.ArrayUnique":
                return new ArrayList<>(new LinkedHashSet<>((List<?>) args.get(0)));
            case "States.Base64Encode":
                return Base64.getEncoder().encodeToString(((String) args.get(0)).getBytes(StandardCharsets.UTF_8));
            case "States.Base64Decode":
                return new String(Base64.getDecoder().decode((String) args.get(0)), StandardCharsets.UTF_8);
            case "States.Hash": {
                Object data = args.get(0);
                String input = data instanceof String s ? s : Json.write(data);
                return HexFormat.of().formatHex(MessageDigest.getInstance((String) args.get(1))
                        .digest(input.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.JsonMerge": {
                Map<String, Object> merged = new LinkedHashMap<>(Json.asObject(args.get(0)));
                merged.putAll(Json.asObject(args.get(1)));
                return merged;
            }
            case "States.MathRandom": {
                long from = ((Number) args.get(0)).longValue();
                long to = ((Number) args.get(1)).longValue();
                Random random = args.size() > 2 ? new Random(((Number) args.get(2)).longValue()) : ThreadLocalRandom.current();
                return from + (long) (random.nextDouble() * (to - from));
            }
            case "States.MathAdd":
                return ((Number) args.get(0)).longValue() + ((Number) args.get(1)).longValue();
            case "States.StringSplit": {
                List<Object> parts = new ArrayList<>();
                String delimiters = (String) args.get(1);
                StringBuilder current = new StringBuilder();
                for (char c : ((String) args.get(0)).toCharArray()) {
                    if (delimiters.indexOf(c) >= 0) {
                        if (current.length() > 0) {
                            parts.add(current.toString());
                        }
                        current.setLength(0);
                    } else {
                        current.append(c);
                    }
                }
                if (current.length() > 0) {
                    parts.add(current.toString());
                }
                return parts;
            }
            case "States.UUID":
                return UUID.randomUUID().toString();
            default:
                throw failure("unknown intrinsic function " + name);
        }
    }
}
