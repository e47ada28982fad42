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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One intrinsic function of JSONPath states (AWS developer guide, "Intrinsic functions for
 * JSONPath states"): its name, how many arguments it takes, and its body with the argument checks
 * and AWS limits the guide's "Input validation" lists. {@link #BY_NAME} holds them all, one entry
 * each; {@link IntrinsicFunctions} parses a call and applies the entry. A failed check raises
 * States.IntrinsicFailure, States.ArrayRange's limits among them (AWS documents the limits, not the error they raise;
 * the ASL specification names States.IntrinsicFailure for an intrinsic function that fails).
 */
record Intrinsic(String name, int minArgs, int maxArgs, Body body) {

    /** Most characters States.Base64Encode/Base64Decode/Hash take. */
    static final int MAX_ENCODED_CHARACTERS = 10_000;
    /** Most items States.ArrayRange produces. */
    static final int MAX_RANGE_ITEMS = 1_000;
    /** The hashing algorithms States.Hash accepts. */
    static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    /** What a function does with its (count-checked) arguments. */
    @FunctionalInterface
    interface Body {
        Object apply(Args args) throws NoSuchAlgorithmException;
    }

    private static final int ANY = Integer.MAX_VALUE;

    /** Every intrinsic function, by name. */
    static final Map<String, Intrinsic> BY_NAME = List.of(
            new Intrinsic("States.Format", 1, ANY, Intrinsic::format),
            new Intrinsic("States.StringToJson", 1, 1, a -> Json.parse(a.string(0), "States.StringToJson argument")),
            new Intrinsic("States.JsonToString", 1, 1, a -> Json.write(a.get(0))),
            new Intrinsic("States.Array", 0, ANY, a -> new ArrayList<>(a.values())),
            new Intrinsic("States.ArrayPartition", 2, 2, Intrinsic::arrayPartition),
            new Intrinsic("States.ArrayContains", 2, 2, a -> a.array(0).contains(a.get(1))),
            new Intrinsic("States.ArrayRange", 3, 3, Intrinsic::arrayRange),
            new Intrinsic("States.ArrayGetItem", 2, 2, Intrinsic::arrayGetItem),
            new Intrinsic("States.ArrayLength", 1, 1, a -> (long) a.array(0).size()),
            new Intrinsic("States.ArrayUnique", 1, 1, a -> new ArrayList<>(new LinkedHashSet<>(a.array(0)))),
            new Intrinsic("States.Base64Encode", 1, 1,
                    a -> Base64.getEncoder().encodeToString(a.limited(a.string(0)).getBytes(StandardCharsets.UTF_8))),
            new Intrinsic("States.Base64Decode", 1, 1, Intrinsic::base64Decode),
            new Intrinsic("States.Hash", 2, 2, Intrinsic::hash),
            new Intrinsic("States.JsonMerge", 3, 3, Intrinsic::jsonMerge),
            new Intrinsic("States.MathRandom", 2, 3, Intrinsic::mathRandom),
            new Intrinsic("States.MathAdd", 2, 2, a -> a.integer(0) + a.integer(1)),
            new Intrinsic("States.StringSplit", 2, 2, Intrinsic::stringSplit),
            new Intrinsic("States.UUID", 0, 0, a -> UUID.randomUUID().toString())
    ).stream().collect(Collectors.toUnmodifiableMap(Intrinsic::name, Function.identity()));

    /** Checks the argument count, then runs the body. */
    Object apply(String call, List<Object> values) throws NoSuchAlgorithmException {
        Args args = new Args(name, call, values);
        if (values.size() < minArgs || values.size() > maxArgs) {
            String expected = minArgs == maxArgs ? String.valueOf(minArgs) : maxArgs == ANY ? "at least " + minArgs : minArgs + " to " + maxArgs;
            throw args.invalid(name + " takes " + expected + " argument" + (maxArgs == 1 && minArgs == 1 ? "" : "s") + ", got " + values.size());
        }
        return body.apply(args);
    }

    /** The arguments of one call, with the typed reads and the failures every function uses. */
    static final class Args {

        private final String name;
        private final String call;
        private final List<Object> values;

        Args(String name, String call, List<Object> values) {
            this.name = name;
            this.call = call;
            this.values = values;
        }

        List<Object> values() {
            return values;
        }

        Object get(int index) {
            return values.get(index);
        }

        int size() {
            return values.size();
        }

        /** A failed argument check: States.IntrinsicFailure naming the call. */
        StatesError invalid(String message) {
            return new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + call + ": " + message);
        }

        List<?> array(int index) {
            if (!(values.get(index) instanceof List<?> list)) {
                throw invalid("the " + ordinal(index) + " argument of " + name + " must be an array, got " + Json.typeOf(values.get(index)));
            }
            return list;
        }

        String string(int index) {
            if (!(values.get(index) instanceof String value)) {
                throw invalid("the " + ordinal(index) + " argument of " + name + " must be a string, got " + Json.typeOf(values.get(index)));
            }
            return value;
        }

        /** A number argument as an integer; a fraction is rounded to the nearest integer, as AWS does for the math and array intrinsics. */
        long integer(int index) {
            Object value = values.get(index);
            if (value instanceof Long n) {
                return n;
            }
            if (value instanceof Number n && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e18) {
                return Math.round(n.doubleValue());
            }
            throw invalid("the " + ordinal(index) + " argument of " + name + " must be an integer, got " + Json.typeOf(value));
        }

        /** {@code value}, when it is within the {@value #MAX_ENCODED_CHARACTERS} characters of the encoding functions. */
        String limited(String value) {
            if (value.length() > MAX_ENCODED_CHARACTERS) {
                throw invalid("the input of " + name + " must be " + MAX_ENCODED_CHARACTERS + " characters or fewer, got " + value.length());
            }
            return value;
        }

        private static String ordinal(int index) {
            return switch (index) {
                case 0 -> "first";
                case 1 -> "second";
                case 2 -> "third";
                default -> "argument " + (index + 1);
            };
        }
    }

    private static Object format(Args a) {
        String template = a.string(0);
        int placeholders = 0;
        for (int i = template.indexOf("{}"); i >= 0; i = template.indexOf("{}", i + 2)) {
            placeholders++;
        }
        if (placeholders != a.size() - 1) {
            throw a.invalid("States.Format has " + placeholders + " {} placeholder(s) but " + (a.size() - 1) + " value(s) to put in them");
        }
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            if (template.startsWith("{}", i)) {
                Object value = a.get(next++);
                out.append(value instanceof String s ? s : Json.write(value));
                i++;
            } else {
                out.append(template.charAt(i));
            }
        }
        return out.toString();
    }

    private static Object arrayPartition(Args a) {
        List<?> items = a.array(0);
        long size = a.integer(1);
        if (size < 1) {
            throw a.invalid("the chunk size of States.ArrayPartition must be a positive integer, got " + size);
        }
        List<Object> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += (int) Math.min(size, Integer.MAX_VALUE)) {
            chunks.add(new ArrayList<>(items.subList(i, (int) Math.min(items.size(), i + size))));
        }
        return chunks;
    }

    /**
     * States.ArrayRange: start, start + step, ... up to end inclusive. A step of 0 would never
     * reach the end, and the result holds at most {@value #MAX_RANGE_ITEMS} items; both fail with
     * States.IntrinsicFailure. The count is worked out before anything is built, so no argument
     * can make this loop long.
     */
    private static Object arrayRange(Args a) {
        long start = a.integer(0);
        long end = a.integer(1);
        long step = a.integer(2);
        if (step == 0) {
            throw a.invalid("the step of States.ArrayRange (the third argument) must not be 0: a range with step 0 never reaches its end");
        }
        BigInteger span = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
        BigInteger count = span.signum() != 0 && span.signum() != Long.signum(step) ? BigInteger.ZERO
                : span.divide(BigInteger.valueOf(step)).add(BigInteger.ONE);
        if (count.compareTo(BigInteger.valueOf(MAX_RANGE_ITEMS)) > 0) {
            throw a.invalid("the result of States.ArrayRange cannot contain more than " + MAX_RANGE_ITEMS + " items; it would have " + count);
        }
        List<Object> values = new ArrayList<>(count.intValue());
        for (int i = 0; i < count.intValue(); i++) {
            values.add(start + i * step);
        }
        return values;
    }

    private static Object arrayGetItem(Args a) {
        List<?> items = a.array(0);
        Object index = a.get(1);
        if (!(index instanceof Long i) || i < 0) {
            throw a.invalid("the index of States.ArrayGetItem must be a non-negative integer, got " + Json.write(index));
        }
        if (i >= items.size()) {
            throw a.invalid("the index " + i + " is out of bounds of an array of " + items.size() + " element(s)");
        }
        return items.get(i.intValue());
    }

    private static Object base64Decode(Args a) {
        String encoded = a.limited(a.string(0));
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw a.invalid("the argument of States.Base64Decode is not base64: " + e.getMessage());
        }
    }

    private static Object hash(Args a) throws NoSuchAlgorithmException {
        Object data = a.get(0);
        if (data == null) {
            throw a.invalid("the data of States.Hash must not be null");
        }
        String input = a.limited(data instanceof String s ? s : Json.write(data));
        String algorithm = a.string(1);
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw a.invalid("the algorithm of States.Hash must be one of " + String.join(", ", HASH_ALGORITHMS) + ", got '" + algorithm + "'");
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
    }

    private static Object jsonMerge(Args a) {
        for (int i = 0; i < 2; i++) {
            if (!(a.get(i) instanceof Map<?, ?>)) {
                throw a.invalid("the " + Args.ordinal(i) + " argument of States.JsonMerge must be a JSON object, got " + Json.typeOf(a.get(i)));
            }
        }
        if (!Boolean.FALSE.equals(a.get(2))) {
            throw a.invalid("the third argument of States.JsonMerge must be false (deep merging is not supported), got " + Json.write(a.get(2)));
        }
        Map<String, Object> merged = new LinkedHashMap<>(Json.asObject(a.get(0)));
        merged.putAll(Json.asObject(a.get(1)));
        return merged;
    }

    private static Object mathRandom(Args a) {
        long from = a.integer(0);
        long to = a.integer(1);
        if (from > to) {
            throw a.invalid("the start of States.MathRandom (" + from + ") is greater than its end (" + to + ")");
        }
        Random random = a.size() > 2 ? new Random(a.integer(2)) : ThreadLocalRandom.current();
        return from + (long) (random.nextDouble() * (to - from));
    }

    private static Object stringSplit(Args a) {
        List<Object> parts = new ArrayList<>();
        String delimiters = a.string(1);
        StringBuilder current = new StringBuilder();
        for (char c : a.string(0).toCharArray()) {
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
}
