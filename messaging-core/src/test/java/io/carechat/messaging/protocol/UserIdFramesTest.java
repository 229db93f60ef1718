package io.carechat.messaging.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.UserId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("User ids in frames take the identity providers' subject formats")
class UserIdFramesTest {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    @Test
    @DisplayName("open with an auth0-shaped user id, and a care team of e-mail-shaped and URL-like members, decode as they are")
    void providerSubjectsDecode() {
        ClientFrame.Open direct = (ClientFrame.Open) CODEC.decodeClient(
                "{\"type\":\"open\",\"with\":\"auth0|5f7c8ec7c33c6c004bbafe82\"}");
        assertThat(direct.with()).isEqualTo(UserId.of("auth0|5f7c8ec7c33c6c004bbafe82"));
        String longId = "u".repeat(UserId.MAX_LENGTH);
        ClientFrame.Open team = (ClientFrame.Open) CODEC.decodeClient("{\"type\":\"open\",\"title\":\"Ward 7\","
                + "\"members\":[\"dr.house@hospital.example\",\"https://idp.example/users/42\",\"" + longId + "\"]}");
        assertThat(team.members()).containsExactly(UserId.of("dr.house@hospital.example"),
                UserId.of("https://idp.example/users/42"), UserId.of(longId));
    }

    @Test
    @DisplayName("a user id with a control character, only spaces, or over 255 characters is a bad request")
    void unsafeUserIdsRefused() {
        for (String with : new String[] {"a\\u0000b", "line\\nbreak", "   ", "u".repeat(UserId.MAX_LENGTH + 1)}) {
            FrameException e = catchThrowableOfType(FrameException.class,
                    () -> CODEC.decodeClient("{\"ref\":\"r\",\"type\":\"open\",\"with\":\"" + with + "\"}"));
            assertThat(e).as(with).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.ref()).isEqualTo("r");
        }
    }
}
