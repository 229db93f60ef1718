package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.ApiException;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ContactView;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Contacts, conversations, messages, recalls, read receipts and unread counts over HTTP, for
 * clients without a socket, and the FHIR export of conversations. Answers use the same JSON
 * objects as the WebSocket frames (the protocol codec writes them), so a client parses one shape;
 * the FHIR exports are {@code application/fhir+json}. Thread-safe.
 */
public final class ConversationApi {
    private static final String FHIR_JSON = "application/fhir+json";

    private final Messaging messaging;
    private final Authenticator auth;
    private final ProtocolCodec codec;
    private final CareTeamApi careTeams;

    ConversationApi(Messaging messaging, Authenticator auth, ProtocolCodec codec) {
        this.messaging = messaging;
        this.auth = auth;
        this.codec = codec;
        this.careTeams = new CareTeamApi(messaging, auth, codec);
    }

    void register(Router router) {
        router.route("GET", "/api/contacts", this::contacts)
                .route("GET", "/api/conversations", this::conversations)
                .route("POST", "/api/conversations", this::open)
                .route("GET", "/api/conversations/{}/messages", this::history)
                .route("POST", "/api/conversations/{}/messages", this::send)
                .route("POST", "/api/conversations/{}/read", this::read)
                .route("GET", "/api/unread", this::unread)
                .route("POST", "/api/conversations/{}/messages/{}/recall", this::recall)
                .route("GET", "/api/conversations/{}/fhir", this::fhir)
                .route("GET", "/api/me/fhir", this::ownFhir);
        careTeams.register(router);
    }

    private ApiResponse contacts(ApiRequest request) {
        Caller caller = auth.caller(request);
        return frame(200, new ServerFrame.Contacts(null,
                messaging.contacts(caller).stream().map(ContactView::of).toList()));
    }

    private ApiResponse conversations(ApiRequest request) {
        Caller caller = auth.caller(request);
        return frame(200, new ServerFrame.Conversations(null,
                messaging.conversations(caller).stream().map(ConversationView::of).toList()));
    }

    private ApiResponse open(ApiRequest request) {
        Caller caller = auth.caller(request);
        JsonNode body = request.jsonBody();
        if (CareTeamApi.asksForGroup(body)) {
            return careTeams.create(caller, body);
        }
        UserId with = userId(ApiRequest.text(body, "with"));
        var conversation = messaging.openDirect(caller, with);
        return frame(200, new ServerFrame.Conversation(null, conversation, messaging.members(caller, conversation.id())));
    }

    private ApiResponse history(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        Long beforeSeq = request.queryLong("beforeSeq").orElse(null);
        Integer limit = request.queryLong("limit").map(ConversationApi::smallInt).orElse(null);
        HistoryPage page = messaging.history(caller, id, beforeSeq, limit);
        List<MessageView> views = page.messages().stream().map(m -> MessageView.of(m, caller.userId())).toList();
        return frame(200, new ServerFrame.History(null, id, views, page.hasMore()));
    }

    private ApiResponse send(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        JsonNode body = request.jsonBody();
        String priority = ApiRequest.optionalText(body, "priority");
        SendRequest send = new SendRequest(id, ApiRequest.text(body, "clientMsgId"), ApiRequest.text(body, "body"),
                priority == null ? Priority.NORMAL : Priority.fromWire(priority), attachments(body));
        Message message = messaging.send(caller, send);
        return frame(201, new ServerFrame.Sent(null, MessageView.of(message, caller.userId())));
    }

    private ApiResponse read(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        long seq = ApiRequest.number(request.jsonBody(), "seq");
        var state = messaging.markRead(caller, id, seq);
        UnreadCounts counts = messaging.unread(caller);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conversationId", id.value());
        out.put("readSeq", state.readSeq());
        out.put("count", state.unread());
        out.put("total", counts.total());
        return ApiResponse.ok(out);
    }

    private ApiResponse unread(ApiRequest request) {
        UnreadCounts counts = messaging.unread(auth.caller(request));
        Map<String, Long> perConversation = new LinkedHashMap<>();
        counts.perConversation().forEach((id, n) -> perConversation.put(id.value(), n));
        return ApiResponse.ok(Map.of("total", counts.total(), "conversations", perConversation));
    }

    /** Answers with the body of the {@code recalled} frame the members' sockets get. */
    private ApiResponse recall(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        long seq = seq(request.pathParam(1));
        Message tombstone = messaging.recall(caller, id, seq, ApiRequest.text(request.jsonBody(), "reason"));
        return frame(200, new ServerFrame.Recalled(id, tombstone.seq(), Objects.requireNonNull(tombstone.recalledAt())));
    }

    private ApiResponse fhir(ApiRequest request) {
        Caller caller = auth.caller(request);
        String bundle = messaging.exportFhir(caller, ConversationId.of(request.pathParam(0)));
        return ApiResponse.bytes(bundle.getBytes(StandardCharsets.UTF_8), FHIR_JSON);
    }

    private ApiResponse ownFhir(ApiRequest request) {
        String bundle = messaging.exportOwnFhir(auth.caller(request));
        return ApiResponse.bytes(bundle.getBytes(StandardCharsets.UTF_8), FHIR_JSON);
    }

    private static long seq(String text) {
        if (!text.matches("[1-9][0-9]{0,17}")) {
            throw new BadRequestException("seq must be a whole number of at least 1");
        }
        return Long.parseLong(text);
    }

    private ApiResponse frame(int status, ServerFrame frame) {
        byte[] json = codec.encode(frame).getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(status, null, json, "application/json; charset=utf-8");
    }

    private static List<AttachmentId> attachments(JsonNode body) {
        JsonNode node = body.get("attachments");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new BadRequestException("'attachments' must be an array of attachment ids");
        }
        List<AttachmentId> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw new BadRequestException("'attachments' must be an array of attachment ids");
            }
            ids.add(attachmentId(id.asText()));
        }
        return ids;
    }

    private static AttachmentId attachmentId(String text) {
        try {
            return AttachmentId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed attachment id");
        }
    }

    private static UserId userId(String text) {
        try {
            return UserId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("'with' is not a well-formed user id");
        }
    }

    private static Integer smallInt(long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "limit is out of range");
        }
        return (int) value;
    }
}
