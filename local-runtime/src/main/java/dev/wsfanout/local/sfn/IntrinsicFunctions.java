package dev.wsfanout.local.sfn;

import java.math.BigInteger;
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
 * single quotes, numbers, booleans, null, paths and nested intrinsic calls. Each function checks
 * its arguments as the guide's "Input validation" lists them (count, types, ArrayRange's non-zero
 * step and 1,000 elements, ArrayPartition's positive chunk size, ArrayGetItem's bounds, the
 * 10,000 characters of Base64Encode/Base64Decode/Hash, Hash's five algorithms, JsonMerge's false,
 * no arguments for UUID; numbers are rounded to integers where the guide says so). A failure
 * raises States.IntrinsicFailure.
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

    /** The hashing algorithms States.Hash accepts (AWS developer guide, "Intrinsic functions": States.Hash). */
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");
    /** Most characters States.Base64Encode/Base64Decode/Hash take. */
    static final int MAX_ENCODED_CHARACTERS = 10_000;
    /** Most elements States.ArrayRange produces. */
    static final int MAX_RANGE_ITEMS = 1_000;

    /** An argument check that failed: States.IntrinsicFailure naming the call. */
    private StatesError invalid(String message) {
        return new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + text + ": " + message);
    }

    private void arity(String name, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw invalid(name + " takes " + expected + " argument" + (max == 1 && min == 1 ? "" : "s") + ", got " + args.size());
        }
    }

    private static String ordinal(int index) {
        return switch (index) {
            case 0 -> "first";
            case 1 -> "second";
            case 2 -> "third";
            default -> "argument " + (index + 1);
        };
    }

    private List<?> array(String name, List<Object> args, int index) {
        if (!(args.get(index) instanceof List<?> list)) {
            throw invalid("the " + ordinal(index) + " argument of " + name + " must be an array, got " + Json.typeOf(args.get(index)));
        }
        return list;
    }

    private String string(String name, List<Object> args, int index) {
        if (!(args.get(index) instanceof String value)) {
            throw invalid("the " + ordinal(index) + " argument of " + name + " must be a string, got " + Json.typeOf(args.get(index)));
        }
        return value;
    }

    /** A number argument as an integer; a fraction is rounded to the nearest integer, as AWS does for the math and array intrinsics. */
    private long integer(String name, List<Object> args, int index) {
        Object value = args.get(index);
        if (value instanceof Long n) {
            return n;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e18) {
            return Math.round(n.doubleValue());
        }
        throw invalid("the " + ordinal(index) + " argument of " + name + " must be an integer, got " + Json.typeOf(value));
    }

    private String limited(String name, String value) {
        if (value.length() > MAX_ENCODED_CHARACTERS) {
            throw invalid("the input of " + name + " must be " + MAX_ENCODED_CHARACTERS + " characters or fewer, got " + value.length());
        }
        return value;
    }

    private Object apply(String name, List<Object> args) throws NoSuchAlgorithmException {
        switch (name) {
            case "States.Format": {
                arity(name, args, 1, Integer.MAX_VALUE);
                String template = string(name, args, 0);
                int placeholders = 0;
                for (int i = template.indexOf("{}"); i >= 0; i = template.indexOf("{}", i + 2)) {
                    placeholders++;
                }
                if (placeholders != args.size() - 1) {
                    throw invalid("States.Format has " + placeholders + " {} placeholder(s) but " + (args.size() - 1) + " value(s) to put in them");
                }
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
                arity(name, args, 1, 1);
                return Json.parse(string(name, args, 0), "States.StringToJson argument");
            case "States.JsonToString":
                arity(name, args, 1, 1);
                return Json.write(args.get(0));
            case "States.Array":
                return new ArrayList<>(args);
            case "States.ArrayPartition": {
                arity(name, args, 2, 2);
                List<?> items = array(name, args, 0);
                long size = integer(name, args, 1);
                if (size < 1) {
                    throw invalid("the chunk size of States.ArrayPartition must be a positive integer, got " + size);
                }
                List<Object> chunks = new ArrayList<>();
                for (int i = 0; i < items.size(); i += (int) Math.min(size, Integer.MAX_VALUE)) {
                    chunks.add(new ArrayList<>(items.subList(i, (int) Math.min(items.size(), i + size))));
                }
                return chunks;
            }
            case "States.ArrayContains":
                arity(name, args, 2, 2);
                return array(name, args, 0).contains(args.get(1));
            case "States.ArrayRange":
                arity(name, args, 3, 3);
                return range(integer(name, args, 0), integer(name, args, 1), integer(name, args, 2));
            case "States.ArrayGetItem": {
                arity(name, args, 2, 2);
                List<?> items = array(name, args, 0);
                Object index = args.get(1);
                if (!(index instanceof Long i) || i < 0) {
                    throw invalid("the index of States.ArrayGetItem must be a non-negative integer, got " + Json.write(index));
                }
                if (i >= items.size()) {
                    throw invalid("the index " + i + " is out of bounds of an array of " + items.size() + " element(s)");
                }
                return items.get(i.intValue());
            }
            case "States.ArrayLength":
                arity(name, args, 1, 1);
                return (long) array(name, args, 0).size();
            case "States.ArrayUnique":
                arity(name, args, 1, 1);
                return new ArrayList<>(new LinkedHashSet<>(array(name, args, 0)));
            case "States.Base64Encode":
                arity(name, args, 1, 1);
                return Base64.getEncoder().encodeToString(limited(name, string(name, args, 0)).getBytes(StandardCharsets.UTF_8));
            case "States.Base64Decode": {
                arity(name, args, 1, 1);
                String encoded = limited(name, string(name, args, 0));
                try {
                    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw invalid("the argument of States.Base64Decode is not base64: " + e.getMessage());
                }
            }
            case "States.Hash": {
                arity(name, args, 2, 2);
                Object data = args.get(0);
                if (data == null) {
                    throw invalid("the data of States.Hash must not be null");
                }
                String input = limited(name, data instanceof String s ? s : Json.write(data));
                String algorithm = string(name, args, 1);
                if (!HASH_ALGORITHMS.contains(algorithm)) {
                    throw invalid("the algorithm of States.Hash must be one of " + String.join(", ", HASH_ALGORITHMS) + ", got '" + algorithm + "'");
                }
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.JsonMerge": {
                arity(name, args, 3, 3);
                for (int i = 0; i < 2; i++) {
                    if (!(args.get(i) instanceof Map<?, ?>)) {
                        throw invalid("the " + ordinal(i) + " argument of States.JsonMerge must be a JSON object, got " + Json.typeOf(args.get(i)));
                    }
                }
                if (!Boolean.FALSE.equals(args.get(2))) {
                    throw invalid("the third argument of States.JsonMerge must be false (deep merging is not supported), got "
                            + Json.write(args.get(2)));
                }
                Map<String, Object> merged = new LinkedHashMap<>(Json.asObject(args.get(0)));
                merged.putAll(Json.asObject(args.get(1)));
                return merged;
            }
            case "States.MathRandom": {
                arity(name, args, 2, 3);
                long from = integer(name, args, 0);
                long to = integer(name, args, 1);
                if (from > to) {
                    throw invalid("the start of States.MathRandom (" + from + ") is greater than its end (" + to + ")");
                }
                Random random = args.size() > 2 ? new Random(integer(name, args, 2)) : ThreadLocalRandom.current();
                return from + (long) (random.nextDouble() * (to - from));
            }
            case "States.MathAdd":
                arity(name, args, 2, 2);
                return integer(name, args, 0) + integer(name, args, 1);
            case "States.StringSplit": {
                arity(name, args, 2, 2);
                List<Object> parts = new ArrayList<>();
                String delimiters = string(name, args, 1);
                StringBuilder current = new StringBuilder();
                for (char c : string(name, args, 0).toCharArray()) {
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
                arity(name, args, 0, 0);
                return UUID.randomUUID().toString();
            default:
                throw failure("unknown intrinsic function " + name);
        }
    }

    /**
     * States.ArrayRange: start, start + step, ... up to end inclusive. The step must not be 0 (it
     * would never reach the end) and the result holds at most 1,000 elements; the count is
     * worked out before anything is built, so no argument can make this loop long.
     */
    private List<Object> range(long start, long end, long step) {
        if (step == 0) {
            throw invalid("the step of States.ArrayRange (the third argument) must not be 0");
        }
        BigInteger span = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
        BigInteger count = span.signum() != 0 && span.signum() != Long.signum(step) ? BigInteger.ZERO
                : span.divide(BigInteger.valueOf(step)).add(BigInteger.ONE);
        if (count.compareTo(BigInteger.valueOf(MAX_RANGE_ITEMS)) > 0) {
            throw invalid("States.ArrayRange would produce " + count + " elements; the array may hold at most " + MAX_RANGE_ITEMS);
        }
        List<Object> values = new ArrayList<>(count.intValue());
        for (int i = 0; i < count.intValue(); i++) {
            values.add(start + i * step);
        }
        return values;
    }
}
