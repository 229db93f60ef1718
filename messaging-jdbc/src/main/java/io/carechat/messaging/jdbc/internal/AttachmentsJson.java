package io.carechat.messaging.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a message's attachment references as a JSON array in one text column, and reads them
 * back. Not API. Thread-safe.
 */
public final class AttachmentsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttachmentsJson() {}

    /**
     * The column value for a list of attachments.
     *
     * @param attachments the references
     * @return a JSON array of {@code {id, name, contentType, size}}
     */
    public static String write(List<AttachmentRef> attachments) {
        ArrayNode array = JSON.createArrayNode();
        for (AttachmentRef ref : attachments) {
            array.addObject()
                    .put("id", ref.id().value())
                    .put("name", ref.name())
                    .put("contentType", ref.contentType())
                    .put("size", ref.size());
        }
        return array.toString();
    }

    /**
     * Reads a column written by {@link #write(List)}.
     *
     * @param column the JSON array
     * @return the references
     * @throws IllegalStateException if the column is not such an array
     */
    public static List<AttachmentRef> read(String column) {
        JsonNode array;
        try {
            array = JSON.readTree(column);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachments are not valid JSON", e);
        }
        if (array == null || !array.isArray()) {
            throw new IllegalStateException("stored attachments are not a JSON array");
        }
        List<AttachmentRef> refs = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            refs.add(new AttachmentRef(
                    AttachmentId.of(node.path("id").asText()),
                    node.path("name").asText(),
                    node.path("contentType").asText(),
                    node.path("size").asLong()));
        }
        return refs;
    }
}
