package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.Objects;

/**
 * The JSONPath subset Amazon States Language uses: {@code $}, {@code .name}, {@code ['name']},
 * {@code [n]}, {@code [*]}, {@code .*}, {@code [a:b]}, deep scan {@code ..name} and simple filters
 * {@code [?(@.field)]} / {@code [?(@.field <op> literal)]}. A path that contains a wildcard, slice,
 * filter or deep scan yields an array, as Step Functions does. Reference paths (ResultPath) allow
 * only names and indexes.
 */
final class JsonPath {

    /** A path that found nothing in the document. */
    static final class NotFound extends Exception {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private sealed interface Segment permits Name, Index, Wildcard, Slice, DeepScan, Filter {
    }

    private record Name(String name) implements Segment {
    }

    private record Index(int index) implements Segment {
    }

    private record Wildcard() implements Segment {
    }

    private record Slice(Integer from, Integer to) implements Segment {
    }

    private record DeepScan(String name) implements Segment {
    }

    /** [?(@.field)] when operator is null, else [?(@.field op literal)]. */
    private record Filter(JsonPath field, String operator, Object literal) implements Segment {

        private static final Pattern SHAPE =
                Pattern.compile("\\?\\(\\s*@(\\S*?)\\s*(?:(==|!=|<=|>=|<|>)\\s*(.+?))?\\s*\\)");

        static Filter parse(String path, String inside) {
            Matcher matcher = SHAPE.matcher(inside);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("unsupported filter [" + inside + "] in path " + path
                        + " (supported: [?(@.field)] and [?(@.field op literal)] with ==, !=, <, <=, >, >=)");
            }
            JsonPath field = JsonPath.parse("$" + matcher.group(1));
            if (matcher.group(2) == null) {
                return new Filter(field, null, null);
            }
            String literal = matcher.group(3).trim();
            Object value = literal.startsWith("'") && literal.endsWith("'") && literal.length() >= 2
                    ? literal.substring(1, literal.length() - 1)
                    : Json.parse(literal, "filter literal in path " + path);
            return new Filter(field, matcher.group(2), value);
        }

        boolean accepts(Object node) {
            Object value;
            try {
                value = field.read(node);
            } catch (NotFound e) {
                return false;
            }
            if (operator == null) {
                return true;
            }
            if (operator.equals("==") || operator.equals("!=")) {
                boolean equal = value instanceof Number a && literal instanceof Number b
                        ? Double.compare(a.doubleValue(), b.doubleValue()) == 0
                        : Objects.equals(value, literal);
                return operator.equals("==") == equal;
            }
            int comparison;
            if (value instanceof Number a && literal instanceof Number b) {
                comparison = Double.compare(a.doubleValue(), b.doubleValue());
            } else if (value instanceof String a && literal instanceof String b) {
                comparison = a.compareTo(b);
            } else {
                return false;
            }
            return switch (operator) {
                case "<" -> comparison < 0;
                case "<=" -> comparison <= 0;
                case ">" -> comparison > 0;
                default -> comparison >= 0;
            };
        }
    }

    private final String text;
    private final List<Segment> segments;
    private final boolean definite;

    private JsonPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
        this.definite = segments.stream().allMatch(s -> s instanceof Name || s instanceof Index);
    }

    /**
     * Parses a path that starts with {@code $} (the root it is applied to; callers strip
     * {@code $$} or a variable name first and pass the rest as "$...").
     */
    static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("path must start with '$': " + text);
        }
        List<Segment> segments = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '.') {
                    int end = nameEnd(text, i + 2);
                    segments.add(new DeepScan(text.substring(i + 2, end)));
                    i = end;
                } else if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    segments.add(new Wildcard());
                    i += 2;
                } else {
                    int end = nameEnd(text, i + 1);
                    if (end == i + 1) {
                        throw new IllegalArgumentException("empty name at position " + i + " in path " + text);
                    }
                    segments.add(new Name(text.substring(i + 1, end)));
                    i = end;
                }
            } else if (c == '[') {
                int close = closingBracket(text, i);
                segments.add(bracket(text, text.substring(i + 1, close).trim()));
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + i + " in path " + text);
            }
        }
        return new JsonPath(text, List.copyOf(segments));
    }

    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
            i++;
        }
        return i;
    }

    private static int closingBracket(String text, int open) {
        boolean quoted = false;
        int depth = 0;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '[' && !quoted) {
                depth++;
            } else if (c == ']' && !quoted) {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        throw new IllegalArgumentException("unclosed '[' at position " + open + " in path " + text);
    }

    private static Segment bracket(String text, String inside) {
        if (inside.equals("*")) {
            return new Wildcard();
        }
        if (inside.length() >= 2 && inside.startsWith("'") && inside.endsWith("'")) {
            return new Name(inside.substring(1, inside.length() - 1));
        }
        if (inside.startsWith("?")) {
            return Filter.parse(text, inside);
        }
        int colon = inside.indexOf(':');
        try {
            if (colon >= 0) {
                String from = inside.substring(0, colon).trim();
                String to = inside.substring(colon + 1).trim();
                return new Slice(from.isEmpty() ? null : Integer.valueOf(from), to.isEmpty() ? null : Integer.valueOf(to));
            }
            return new Index(Integer.parseInt(inside));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad index [" + inside + "] in path " + text);
        }
    }

    /** The value at this path; an array when the path is not definite. */
    Object read(Object root) throws NotFound {
        if (definite) {
            Object current = root;
            for (Segment segment : segments) {
                current = step(current, segment);
            }
            return current;
        }
        List<Object> current = new ArrayList<>();
        current.add(root);
        for (Segment segment : segments) {
            List<Object> next = new ArrayList<>();
            for (Object node : current) {
                collect(node, segment, next);
            }
            current = next;
        }
        return current;
    }

    private Object step(Object node, Segment segment) throws NotFound {
        if (segment instanceof Name name) {
            if (node instanceof Map<?, ?> map && map.containsKey(name.name())) {
                return map.get(name.name());
            }
            throw new NotFound("The JSONPath '" + text + "' could not be found in the input '" + Json.write(node) + "'");
        }
        int index = ((Index) segment).index();
        if (node instanceof List<?> list) {
            int at = index < 0 ? list.size() + index : index;
            if (at >= 0 && at < list.size()) {
                return list.get(at);
            }
        }
        throw new NotFound("The JSONPath '" + text + "' could not be found in the input '" + Json.write(node) + "'");
    }

    private static void collect(Object node, Segment segment, List<Object> out) {
        if (segment instanceof Name name) {
            if (node instanceof Map<?, ?> map && map.containsKey(name.name())) {
                out.add(map.get(name.name()));
            }
        } else if (segment instanceof Index index) {
            if (node instanceof List<?> list) {
                int at = index.index() < 0 ? list.size() + index.index() : index.index();
                if (at >= 0 && at < list.size()) {
                    out.add(list.get(at));
                }
            }
        } else if (segment instanceof Wildcard) {
            if (node instanceof Map<?, ?> map) {
                out.addAll(map.values());
            } else if (node instanceof List<?> list) {
                out.addAll(list);
            }
        } else if (segment instanceof Slice slice) {
            if (node instanceof List<?> list) {
                int size = list.size();
                int from = clamp(slice.from() == null ? 0 : slice.from(), size);
                int to = clamp(slice.to() == null ? size : slice.to(), size);
                for (int i = from; i < to; i++) {
                    out.add(list.get(i));
                }
            }
        } else if (segment instanceof Filter filter) {
            if (node instanceof List<?> list) {
                list.stream().filter(filter::accepts).forEach(out::add);
            } else if (node instanceof Map<?, ?> map) {
                map.values().stream().filter(filter::accepts).forEach(out::add);
            }
        } else {
            deepScan(node, ((DeepScan) segment).name(), out);
        }
    }

    private static int clamp(int index, int size) {
        int at = index < 0 ? size + index : index;
        return Math.max(0, Math.min(size, at));
    }

    private static void deepScan(Object node, String name, List<Object> out) {
        if (node instanceof Map<?, ?> map) {
            if (name.equals("*")) {
                out.addAll(map.values());
            } else if (map.containsKey(name)) {
                out.add(map.get(name));
            }
            map.values().forEach(v -> deepScan(v, name, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> deepScan(v, name, out));
        }
    }

    /**
     * A copy of {@code root} with {@code value} placed at this reference path, creating missing
     * objects on the way (ResultPath semantics).
     *
     * @throws NotFound when the way is blocked by a value that is not an object
     */
    Object write(Object root, Object value) throws NotFound {
        if (!definite) {
            throw new IllegalStateException("not a reference path: " + text);
        }
        if (segments.isEmpty()) {
            return value;
        }
        return writeAt(root, 0, value);
    }

    private Object writeAt(Object node, int depth, Object value) throws NotFound {
        Segment segment = segments.get(depth);
        boolean last = depth == segments.size() - 1;
        if (segment instanceof Name name) {
            if (node != null && !(node instanceof Map)) {
                throw new NotFound("Unable to apply ReferencePath " + text + " to input " + Json.write(node));
            }
            Map<String, Object> copy = node == null ? new LinkedHashMap<>() : new LinkedHashMap<>(Json.asObject(node));
            copy.put(name.name(), last ? value : writeAt(copy.get(name.name()), depth + 1, value));
            return copy;
        }
        int index = ((Index) segment).index();
        if (!(node instanceof List<?> list) || index < 0 || index >= list.size()) {
            throw new NotFound("Unable to apply ReferencePath " + text + " to input " + Json.write(node));
        }
        List<Object> copy = new ArrayList<>(list);
        copy.set(index, last ? value : writeAt(copy.get(index), depth + 1, value));
        return copy;
    }

    @Override
    public String toString() {
        return text;
    }
}
