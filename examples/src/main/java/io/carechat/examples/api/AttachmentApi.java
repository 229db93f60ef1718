package io.carechat.examples.api;

import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.model.AttachmentDownload;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.Messaging;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upload and download of attachments. The type is recognised from the content by the library,
 * never from the name or {@code Content-Type}; the size limit is enforced while the body is read.
 * Thread-safe.
 */
public final class AttachmentApi {
    private final Messaging messaging;
    private final Authenticator auth;
    private final long maxBytes;

    AttachmentApi(Messaging messaging, Authenticator auth, long maxBytes) {
        this.messaging = messaging;
        this.auth = auth;
        this.maxBytes = maxBytes;
    }

    void register(Router router) {
        router.route("POST", "/api/attachments", this::upload)
                .route("GET", "/api/attachments/{}", this::download);
    }

    private ApiResponse upload(ApiRequest request) {
        Caller caller = auth.caller(request);
        String name = percentDecode(request.header("X-Filename").orElse("attachment"));
        byte[] body = request.body(maxBytes);
        AttachmentRef ref = messaging.uploadAttachment(caller, name, request.header("Content-Type").orElse(null),
                new ByteArrayInputStream(body));
        return ApiResponse.created(json(ref));
    }

    private ApiResponse download(ApiRequest request) {
        Caller caller = auth.caller(request);
        AttachmentDownload download = messaging.downloadAttachment(caller, AttachmentId.of(request.pathParam(0)));
        return ApiResponse.download(download.content(), download.ref().contentType(), download.ref().name());
    }

    static Map<String, Object> json(AttachmentRef ref) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", ref.id().value());
        out.put("name", ref.name());
        out.put("contentType", ref.contentType());
        out.put("size", ref.size());
        return out;
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 (browsers cannot send other characters in a header);
     * unlike form decoding, {@code +} stays a plus. A malformed escape is kept as typed.
     */
    static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length) {
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(raw[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
