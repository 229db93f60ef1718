package io.carechat.messaging.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.model.Ids;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed fields out of one decoded JSON object, refusing any value of the wrong JSON type or
 * out of bounds with a {@link FrameException} that carries the frame's ref. Never coerces: a
 * string is never read as a number, a fraction never as a whole number. A JSON {@code null} reads
 * as an absent field. Messages name the field, never its value. One instance per frame; not
 * thread-safe.
 */
final class FrameFields {
    private final ObjectNode node;
    private final @Nullable String ref;

    FrameFields(ObjectNode node, @Nullable String ref) {
        this.node = node;
        this.ref = ref;
    }

    @Nullable String ref() {
        return ref;
    }

    FrameException fail(String message) {
        return new FrameException(ref, message);
    }

    private @Nullable JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private JsonNode required(String name) {
        JsonNode value = present(name);
        if (value == null) {
            throw fail(name + " is required");
        }
        return value;
    }

    String string(String name, int minChars, int maxChars) {
        return checkedString(name, required(name), minChars, maxChars);
    }

    @Nullable String optionalString(String name, int minChars, int maxChars) {
        JsonNode value = present(name);
        return value == null ? null : checkedString(name, value, minChars, maxChars);
    }

    private String checkedString(String name, JsonNode value, int minChars, int maxChars) {
        if (!value.isTextual()) {
            throw fail(name + " must be a string");
        }
        String text = value.textValue();
        if (text.length() < minChars || text.length() > maxChars) {
            throw fail(name + " must be " + minChars + " to " + maxChars + " characters");
        }
        return text;
    }

    String boundedText(String name, int maxCodePoints) {
        String text = string(name, 0, Integer.MAX_VALUE);
        if (text.length() > maxCodePoints && text.codePointCount(0, text.length()) > maxCodePoints) {
            throw fail(name + " must be at most " + maxCodePoints + " characters");
        }
        return text;
    }

    <T> T id(String name, Function<String, T> factory) {
        return checkedId(name, required(name), factory);
    }

    private <T> T checkedId(String name, JsonNode value, Function<String, T> factory) {
        String text = checkedString(name, value, 1, Ids.MAX_LENGTH);
        if (!Ids.isWellFormed(text)) {
            throw fail(name + " must be an id of characters from [A-Za-z0-9_-]");
        }
        return factory.apply(text);
    }

    UserId userId(String name) {
        return checkedUserId(name, required(name));
    }

    List<UserId> userIds(String name, int maxCount) {
        List<JsonNode> items = checkedArray(name, required(name), maxCount);
        List<UserId> ids = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            ids.add(checkedUserId(name, item));
        }
        return ids;
    }

    private UserId checkedUserId(String name, JsonNode value) {
        String text = checkedString(name, value, 1, UserId.MAX_LENGTH);
        if (!UserId.isWellFormed(text)) {
            throw fail(name + " must be a user id: printable characters, no control characters");
        }
        return UserId.of(text);
    }

    boolean has(String name) {
        return present(name) != null;
    }

    <T> List<T> ids(String name, int maxCount, Function<String, T> factory) {
        List<JsonNode> items = checkedArray(name, required(name), maxCount);
        List<T> ids = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            ids.add(checkedId(name, item, factory));
        }
        return ids;
    }

    <T> List<T> optionalIds(String name, int maxCount, Function<String, T> factory) {
        JsonNode value = present(name);
        if (value == null) {
            return List.of();
        }
        List<JsonNode> items = checkedArray(name, value, maxCount);
        List<T> ids = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            ids.add(checkedId(name, item, factory));
        }
        return ids;
    }

    List<JsonNode> array(String name, int maxCount) {
        return checkedArray(name, required(name), maxCount);
    }

    private List<JsonNode> checkedArray(String name, JsonNode value, int maxCount) {
        if (!value.isArray()) {
            throw fail(name + " must be an array");
        }
        if (value.size() > maxCount) {
            throw fail(name + " must hold at most " + maxCount + " items");
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.forEach(items::add);
        return items;
    }

    FrameFields object(String name) {
        return objectOf(name, required(name));
    }

    FrameFields objectOf(String name, JsonNode value) {
        if (!value.isObject()) {
            throw fail(name + " must be an object");
        }
        return new FrameFields((ObjectNode) value, ref);
    }

    long seq(String name) {
        return nonNegativeLong(name, required(name));
    }

    @Nullable Long optionalSeq(String name) {
        JsonNode value = present(name);
        return value == null ? null : nonNegativeLong(name, value);
    }

    private long nonNegativeLong(String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw fail(name + " must be a whole number that fits in 64 bits");
        }
        long number = value.longValue();
        if (number < 0) {
            throw fail(name + " must not be negative");
        }
        return number;
    }

    @Nullable Integer optionalInt(String name, int min, int max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()
                || value.intValue() < min || value.intValue() > max) {
            throw fail(name + " must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw fail(name + " must be true or false");
        }
        return value.booleanValue();
    }

    boolean optionalBool(String name) {
        return present(name) != null && bool(name);
    }

    Instant instant(String name) {
        return checkedInstant(name, required(name));
    }

    @Nullable Instant optionalInstant(String name) {
        JsonNode value = present(name);
        return value == null ? null : checkedInstant(name, value);
    }

    private Instant checkedInstant(String name, JsonNode value) {
        String text = checkedString(name, value, 1, 64);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw fail(name + " must be an ISO-8601 UTC instant");
        }
    }

    <E extends Enum<E>> E lowerCaseEnum(String name, Class<E> type) {
        return enumOf(name, string(name, 1, 32), type, constant -> constant.name().toLowerCase(Locale.ROOT));
    }

    <E extends Enum<E>> E enumOf(String name, String text, Class<E> type, Function<E, String> wireName) {
        for (E constant : type.getEnumConstants()) {
            if (wireName.apply(constant).equals(text)) {
                return constant;
            }
        }
        throw fail(name + " has an unknown value");
    }
}
