package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Care teams over HTTP: creating a group ({@code POST /api/conversations} with {@code title} and
 * {@code members}, which {@link ConversationApi} hands here) and adding and removing its members.
 * Answers are the WebSocket frames' JSON: the {@code conversation} frame for a new group, the
 * {@code members} frame after a change. Stateless apart from its collaborators; thread-safe.
 */
public final class CareTeamApi {
    private final Messaging messaging;
    private final Authenticator auth;
    private final ProtocolCodec codec;

    CareTeamApi(Messaging messaging, Authenticator auth, ProtocolCodec codec) {
        this.messaging = messaging;
        this.auth = auth;
        this.codec = codec;
    }

    void register(Router router) {
        router.route("POST", "/api/conversations/{}/members", this::add)
                .route("DELETE", "/api/conversations/{}/members/{user}", this::remove);
    }

    /**
     * Tells whether a body of {@code POST /api/conversations} asks for a group.
     *
     * @param body the request body
     * @return true when it has {@code title} or {@code members} and no {@code with}
     */
    static boolean asksForGroup(JsonNode body) {
        return !body.has("with") && (body.has("title") || body.has("members"));
    }

    /**
     * Creates a group: 201 with the {@code conversation} frame's JSON.
     *
     * @param caller the creator
     * @param body the request body with {@code title} and {@code members}
     * @return the response
     */
    ApiResponse create(Caller caller, JsonNode body) {
        String title = ApiRequest.text(body, "title");
        Conversation group = messaging.createGroup(caller, title, userIds(body.get("members")));
        return frame(201, new ServerFrame.Conversation(null, group, messaging.members(caller, group.id())));
    }

    private ApiResponse add(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        UserId userId = userId(ApiRequest.text(request.jsonBody(), "userId"));
        List<ConversationMember> members = messaging.addMember(caller, id, userId);
        return frame(201, new ServerFrame.Members(id, members));
    }

    private ApiResponse remove(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = ConversationId.of(request.pathParam(0));
        List<ConversationMember> members = messaging.removeMember(caller, id, userId(request.pathParam(1)));
        return frame(200, new ServerFrame.Members(id, members));
    }

    private ApiResponse frame(int status, ServerFrame frame) {
        byte[] json = codec.encode(frame).getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(status, null, json, "application/json; charset=utf-8");
    }

    private static List<UserId> userIds(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new BadRequestException("'members' is required and must be an array of user ids");
        }
        List<UserId> ids = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new BadRequestException("'members' must be an array of user ids");
            }
            ids.add(userId(item.asText()));
        }
        return ids;
    }

    private static UserId userId(String text) {
        try {
            return UserId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("not a well-formed user id");
        }
    }
}
