package dev.wsfanout.local.faults;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it for the 400 KB limit and for capacity units ("DynamoDB item sizes
 * and formats" in the developer guide): the UTF-8 length of every attribute name plus its value's size.
 * Strings: UTF-8 length. Numbers: one byte per two significant digits, plus one. Binary: the raw (decoded)
 * length. Boolean and null: 1. Sets: the sum of their members. Lists and maps: 3, plus 1 per element, plus the
 * elements (a map's element names included).
 */
final class ItemSize {

    private ItemSize() {
    }

    /** The size of an item in the wire format, {@code {"name": {"S": "..."}, ...}}. */
    static long of(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            size += utf8Length(field.getKey()) + value(field.getValue());
        }
        return size;
    }

    private static long value(JsonNode attribute) {
        Iterator<Map.Entry<String, JsonNode>> typed = attribute.fields();
        if (!typed.hasNext()) {
            return 0;
        }
        Map.Entry<String, JsonNode> only = typed.next();
        JsonNode v = only.getValue();
        switch (only.getKey()) {
            case "S":
                return utf8Length(v.asText());
            case "N":
                return numberSize(v.asText());
            case "B":
                return base64Length(v.asText());
            case "BOOL":
            case "NULL":
                return 1;
            case "SS": {
                long sum = 0;
                for (JsonNode member : v) {
                    sum += utf8Length(member.asText());
                }
                return sum;
            }
            case "NS": {
                long sum = 0;
                for (JsonNode member : v) {
                    sum += numberSize(member.asText());
                }
                return sum;
            }
            case "BS": {
                long sum = 0;
                for (JsonNode member : v) {
                    sum += base64Length(member.asText());
                }
                return sum;
            }
            case "L": {
                long sum = 3;
                for (JsonNode element : v) {
                    sum += 1 + value(element);
                }
                return sum;
            }
            case "M": {
                long sum = 3;
                for (Iterator<Map.Entry<String, JsonNode>> fields = v.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    sum += 1 + utf8Length(field.getKey()) + value(field.getValue());
                }
                return sum;
            }
            default:
                return 0;
        }
    }

    static long utf8Length(String s) {
        long length = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** (significant digits / 2, rounded up) + 1: leading and trailing zeros, sign, point and exponent do not count. */
    static long numberSize(String number) {
        int first = -1;
        int last = -1;
        int digits = 0;
        int position = 0;
        for (int i = 0, n = number.length(); i < n; i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '0' && c <= '9') {
                if (c != '0') {
                    if (first < 0) {
                        first = position;
                    }
                    last = position;
                }
                position++;
            }
        }
        if (first >= 0) {
            digits = last - first + 1;
        }
        return (digits + 1) / 2 + 1;
    }

    private static long base64Length(String encoded) {
        int n = encoded.length();
        int padding = 0;
        if (n > 0 && encoded.charAt(n - 1) == '=') {
            padding++;
            if (n > 1 && encoded.charAt(n - 2) == '=') {
                padding++;
            }
        }
        return (long) n * 3 / 4 - padding;
    }
}
