package io.carechat.messaging.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds small, structurally valid PNG, JPEG and PDF files for the attachment checks' tests. */
final class SampleFiles {
    private SampleFiles() {}

    /** A grey PNG of the given size, with the given extra chunks before its image data. */
    static byte[] png(int width, int height, byte[]... extraChunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8;
        header[9] = 0;
        out.writeBytes(chunk("IHDR", header));
        for (byte[] extra : extraChunks) {
            out.writeBytes(extra);
        }
        byte[] scanlines = new byte[(width + 1) * height];
        out.writeBytes(chunk("IDAT", deflate(scanlines)));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** One PNG chunk with its length and CRC. */
    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        putInt(out, 0, data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(typeBytes, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        putInt(out, 8 + data.length, (int) crc.getValue());
        return out;
    }

    /** A JPEG's segments in order (quantisation, frame, Huffman, scan), with {@code scanData} as its entropy-coded data. */
    static byte[] jpeg(byte[] scanData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
        out.writeBytes(segment(0xe0, "JFIF\0".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(segment(0xdb, new byte[65]));
        out.writeBytes(segment(0xc0, new byte[] {8, 0, 1, 0, 1, 1, 1, 0x11, 0}));
        out.writeBytes(segment(0xc4, new byte[20]));
        out.writeBytes(segment(0xda, new byte[] {1, 1, 0, 0, 0x3f, 0}));
        out.writeBytes(scanData);
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
        return out.toByteArray();
    }

    /** A marker segment with its length. */
    static byte[] segment(int marker, byte[] data) {
        byte[] out = new byte[4 + data.length];
        out[0] = (byte) 0xff;
        out[1] = (byte) marker;
        out[2] = (byte) ((data.length + 2) >>> 8);
        out[3] = (byte) (data.length + 2);
        System.arraycopy(data, 0, out, 4, data.length);
        return out;
    }

    /** A one-page PDF whose catalog holds {@code catalogExtra}, plus one Flate stream of {@code streamText}. */
    static byte[] pdf(String catalogExtra, String streamText) {
        byte[] stream = deflate(streamText.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("%PDF-1.7\n"
                + "1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                + "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
                + "4 0 obj\n<< /Length " + stream.length + " /Filter /FlateDecode >>\nstream\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(stream);
        out.writeBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }
}
