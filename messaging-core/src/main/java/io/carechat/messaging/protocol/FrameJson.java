package io.carechat.messaging.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON plumbing both frame codecs share, on Jackson: parsing one frame's text into
 * {@link FrameFields} within the {@link ProtocolLimits} (nesting depth, number and string length,
 * document size, no key twice, nothing after the value, no non-standard JSON), reading its
 * {@code ref} even from text that breaks off, and writing one frame to text.
 *
 * <p>Immutable and thread-safe once built: one instance serves every session.
 */
final class FrameJson {

    /** Writes the fields of one frame. */
    @FunctionalInterface
    interface Body {
        /**
         * Writes the fields.
         *
         * @param out where to
         * @throws IOException when the generator fails
         */
        void writeTo(JsonGenerator out) throws IOException;
    }

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    FrameJson(ProtocolLimits limits) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxNumberLength(ProtocolCodec.MAX_NUMBER_CHARS)
                .maxStringLength(limits.maxFrameChars())
                .maxDocumentLength(limits.maxFrameChars())
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Parses the text into an object and reads its ref; fails with the ref when it can.
     *
     * @param text the frame's text
     * @return its fields
     * @throws FrameException when the text is not one JSON object within the limits, or its ref is
     *     not a string of at most {@value ProtocolLimits#MAX_REF_CHARS} characters
     */
    FrameFields parseObject(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the frame: it is dropped, not kept as the cause.
            throw new FrameException(scanRef(text), "frame is not valid JSON within the limits");
        }
        if (root == null || !root.isObject()) {
            throw new FrameException(null, "frame must be a JSON object");
        }
        JsonNode ref = root.get("ref");
        String refText = null;
        if (ref != null && !ref.isNull()) {
            if (!isWellFormedRef(ref)) {
                throw new FrameException(null, "ref must be a string of at most " + ProtocolLimits.MAX_REF_CHARS
                        + " characters");
            }
            refText = ref.textValue();
        }
        return new FrameFields((ObjectNode) root, refText);
    }

    private static boolean isWellFormedRef(JsonNode ref) {
        return ref.isTextual() && ref.textValue().length() <= ProtocolLimits.MAX_REF_CHARS;
    }

    /**
     * Reads a top-level {@code ref} from text that failed to parse, token by token up to the fault,
     * so the {@code bad_request} can still answer the request.
     */
    private @Nullable String scanRef(String text) {
        String ref = null;
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return ref;
                }
                if (token == JsonToken.FIELD_NAME && depth == 1 && "ref".equals(parser.currentName())
                        && parser.nextToken() == JsonToken.VALUE_STRING && ref == null
                        && parser.getTextLength() <= ProtocolLimits.MAX_REF_CHARS) {
                    ref = parser.getText();
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        } catch (IOException | RuntimeException e) {
            return ref;
        }
        return ref;
    }

    /**
     * Writes one frame: an object with {@code type} first, then {@code ref} when there is one, then
     * the frame's own fields.
     *
     * @param type the frame's type
     * @param ref the frame's ref, or null
     * @param body the frame's own fields
     * @return the JSON text
     */
    String writeFrame(String type, @Nullable String ref, Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = factory.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("type", type);
            if (ref != null) {
                out.writeStringField("ref", ref);
            }
            body.writeTo(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to a string", e);
        }
        return text.toString();
    }
}
