package dev.wsfanout.local.sfn;

import com.dashjoin.jsonata.Jsonata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions Step Functions adds to JSONata: $partition, $range, $hash, $random (with an
 * optional seed), $uuid and $parse (AWS developer guide, "Transforming data with JSONata",
 * section "JSONata functions provided by Step Functions").
 */
final class AwsJsonataFunctions {

    private static final Set<String> HASH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    private AwsJsonataFunctions() {
    }

    static void bindAll(Jsonata.Frame frame) {
        frame.bind("partition", new Jsonata.JFunction((input, args) -> partition(arg(args, 0), arg(args, 1)), null));
        frame.bind("range", new Jsonata.JFunction((input, args) -> range(arg(args, 0), arg(args, 1), arg(args, 2)), null));
        frame.bind("hash", new Jsonata.JFunction((input, args) -> hash(arg(args, 0), arg(args, 1)), null));
        frame.bind("random", new Jsonata.JFunction((input, args) -> random(arg(args, 0)), null));
        frame.bind("uuid", new Jsonata.JFunction((input, args) -> UUID.randomUUID().toString(), null));
        frame.bind("parse", new Jsonata.JFunction((input, args) -> parse(arg(args, 0)), null));
    }

    private static Object arg(List<?> args, int index) {
        return args != null && index < args.size() ? args.get(index) : null;
    }

    private static List<Object> partition(Object array, Object size) {
        if (!(array instanceof List<?> items) || !(size instanceof Number n) || n.intValue() < 1) {
            throw new IllegalArgumentException("$partition(array, size) needs an array and a positive size");
        }
        List<Object> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += n.intValue()) {
            chunks.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + n.intValue()))));
        }
        return chunks;
    }

    private static List<Object> range(Object start, Object end, Object step) {
        if (!(start instanceof Number from) || !(end instanceof Number to)) {
            throw new IllegalArgumentException("$range(start, end, step) needs numeric start and end");
        }
        long by = step instanceof Number s ? s.longValue() : 1;
        if (by == 0) {
            throw new IllegalArgumentException("$range step must not be 0");
        }
        List<Object> values = new ArrayList<>();
        for (long v = from.longValue(); by > 0 ? v <= to.longValue() : v >= to.longValue(); v += by) {
            values.add(v);
            if (values.size() > 1_000) {
                throw new IllegalArgumentException("$range would produce more than 1000 items");
            }
        }
        return values;
    }

    private static String hash(Object data, Object algorithm) throws NoSuchAlgorithmException {
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("$hash algorithm must be one of " + HASH_ALGORITHMS + ", was " + algorithm);
        }
        String text = data instanceof String s ? s : Json.write(data);
        byte[] digest = MessageDigest.getInstance((String) algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static double random(Object seed) {
        if (seed instanceof Number n) {
            return new Random(n.longValue()).nextDouble();
        }
        return ThreadLocalRandom.current().nextDouble();
    }

    private static Object parse(Object text) {
        if (!(text instanceof String json)) {
            throw new IllegalArgumentException("$parse needs a string");
        }
        Object value = Json.parse(json, "$parse argument");
        return value;
    }
}
