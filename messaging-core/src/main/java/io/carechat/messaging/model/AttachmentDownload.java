package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

/**
 * A downloaded attachment: its reference (sanitised display name, recognised type, size) and its
 * decrypted content. Immutable and thread-safe: {@link #content()} returns a copy. Its
 * {@link #toString()} leaves out the name and content.
 */
public final class AttachmentDownload {
    private final AttachmentRef ref;
    private final byte[] content;

    /**
     * Creates a download.
     *
     * @param ref the reference
     * @param content the content, copied
     */
    public AttachmentDownload(AttachmentRef ref, byte[] content) {
        this.ref = requireNonNull(ref, "ref");
        this.content = requireNonNull(content, "content").clone();
    }

    /**
     * The attachment's reference.
     *
     * @return the reference
     */
    public AttachmentRef ref() {
        return ref;
    }

    /**
     * The content.
     *
     * @return a copy of the bytes
     */
    public byte[] content() {
        return content.clone();
    }

    @Override
    public String toString() {
        return "AttachmentDownload[id=" + ref.id() + ", contentType=" + ref.contentType() + ", size=" + ref.size() + "]";
    }
}
