package io.carechat.messaging.internal;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.SendRequest;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a {@link SendRequest} against the limits before anything is stored. Not API. Stateless
 * and thread-safe.
 *
 * <p>Lengths are counted in Unicode code points, so an emoji or a CJK character outside the Basic
 * Multilingual Plane counts once; a client counting UTF-16 units (JavaScript's {@code length})
 * never sends more than the limit allows. A body that is empty or only white space is allowed only
 * when the message carries attachments. Attachment ids are checked here for count and uniqueness
 * only; {@link AttachmentService#resolve} then requires each to be the sender's upload. Messages
 * never echo the body or the key.
 */
public final class SendValidator {
    private final MessagingLimits limits;

    /**
     * Creates the validator.
     *
     * @param limits the limits to enforce
     */
    public SendValidator(MessagingLimits limits) {
        this.limits = limits;
    }

    /**
     * Checks a request.
     *
     * @param request the request
     * @throws BadRequestException naming the first rule the request breaks
     */
    public void check(SendRequest request) {
        checkClientMsgId(request.clientMsgId());
        checkBody(request.body(), !request.attachments().isEmpty());
        checkAttachments(request.attachments());
    }

    private void checkClientMsgId(String clientMsgId) {
        int length = clientMsgId.codePointCount(0, clientMsgId.length());
        if (length < 1 || length > limits.maxClientMsgIdLength()) {
            throw new BadRequestException(
                    "clientMsgId must be 1 to " + limits.maxClientMsgIdLength() + " characters");
        }
        if (!clientMsgId.codePoints().allMatch(SendValidator::isPrintable)) {
            throw new BadRequestException("clientMsgId must contain only printable characters");
        }
    }

    private void checkBody(String body, boolean hasAttachments) {
        if (body.isBlank() && !hasAttachments) {
            throw new BadRequestException("body must not be empty unless attachments are sent");
        }
        if (body.codePointCount(0, body.length()) > limits.maxBodyChars()) {
            throw new BadRequestException(
                    "body must be at most " + limits.maxBodyChars() + " characters");
        }
    }

    private void checkAttachments(List<AttachmentId> attachments) {
        if (attachments.size() > limits.maxAttachmentsPerMessage()) {
            throw new BadRequestException("at most " + limits.maxAttachmentsPerMessage()
                    + " attachments per message");
        }
        if (new HashSet<>(attachments).size() != attachments.size()) {
            throw new BadRequestException("attachments must not repeat");
        }
    }

    private static boolean isPrintable(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return false;
        }
        int type = Character.getType(codePoint);
        return type != Character.FORMAT
                && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE
                && type != Character.PRIVATE_USE
                && type != Character.UNASSIGNED;
    }
}
