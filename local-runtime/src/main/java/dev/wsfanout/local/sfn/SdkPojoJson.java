package dev.wsfanout.local.sfn;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Base64;

/**
 * Converts between the API's JSON shape (member names as on the wire: "TableName", "Item",
 * {"S": ".."}) and AWS SDK v2 request/response objects, using the SDK's own field metadata. This
 * is how an optimized integration's Arguments become a real SDK call and its response becomes the
 * task result, for any operation, without a hand-written mapping per member.
 */
final class SdkPojoJson {

    private SdkPojoJson() {
    }

    /** Fills {@code builder} from {@code json}; an unknown member is an error naming it and the operation. */
    static <T> T toPojo(Map<String, Object> json, SdkPojo builder, String where) {
        Map<String, SdkField<?>> fields = builder.sdkFields().stream()
                .collect(Collectors.toMap(SdkField::locationName, f -> f, (a, b) -> a, LinkedHashMap::new));
        json.forEach((name, value) -> {
            SdkField<?> field = fields.get(name);
            if (field == null) {
                throw new IllegalArgumentException("The field '" + name + "' is not supported by " + where
                        + "; supported: " + fields.keySet());
            }
            if (value != null) {
                field.set(builder, fromJson(value, field, where + "." + name));
            }
        });
        @SuppressWarnings("unchecked")
        T built = (T) ((SdkBuilder<?, ?>) builder).build();
        return built;
    }

    private static Object fromJson(Object value, SdkField<?> field, String where) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return toPojo(expectObject(value, where), field.constructor().get(), where);
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(where + " must be an array, was " + Json.typeOf(value));
            }
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(fromJson(item, member, where + "[]")));
            return out;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> out = new LinkedHashMap<>();
            expectObject(value, where).forEach((k, v) -> out.put(k, fromJson(v, member, where + "." + k)));
            return out;
        }
        return scalar(value, type, where);
    }

    private static Map<String, Object> expectObject(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " must be an object, was " + Json.typeOf(value));
        }
        return Json.asObject(value);
    }

    private static Object scalar(Object value, MarshallingType<?> type, String where) {
        if (type == MarshallingType.STRING) {
            return value instanceof String ? value : String.valueOf(value);
        }
        if (type == MarshallingType.BOOLEAN) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new IllegalArgumentException(where + " must be a boolean, was " + Json.typeOf(value));
        }
        if (type == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(String.valueOf(value)));
        }
        if (type == MarshallingType.INSTANT) {
            return value instanceof Number n ? Instant.ofEpochMilli((long) (n.doubleValue() * 1000)) : Instant.parse(String.valueOf(value));
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(where + " must be a number, was " + Json.typeOf(value));
        }
        if (type == MarshallingType.INTEGER) {
            return number.intValue();
        }
        if (type == MarshallingType.LONG) {
            return number.longValue();
        }
        if (type == MarshallingType.DOUBLE) {
            return number.doubleValue();
        }
        if (type == MarshallingType.FLOAT) {
            return number.floatValue();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return new BigDecimal(number.toString());
        }
        throw new IllegalArgumentException(where + ": unsupported member type " + type);
    }

    /** The JSON form of an SDK object, leaving out members that were never set. */
    static Map<String, Object> toJson(SdkPojo pojo) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (isSet(value)) {
                out.put(field.locationName(), valueToJson(value));
            }
        }
        return out;
    }

    private static boolean isSet(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap);
    }

    private static Object valueToJson(Object value) {
        if (value instanceof SdkPojo pojo) {
            return toJson(pojo);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(valueToJson(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), valueToJson(v)));
            return out;
        }
        if (value instanceof SdkBytes bytes) {
            return Base64.getEncoder().encodeToString(bytes.asByteArray());
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli() / 1000.0;
        }
        if (value instanceof Set<?> set) {
            return new ArrayList<>(set);
        }
        return Json.normalize(value);
    }
}
