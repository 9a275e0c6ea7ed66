package dev.projectdashboard.fileservice.storage;

import java.nio.ByteBuffer;

/**
 * One S3 part of a streamed upload: {@code bytes[0, length)}, numbered from 1. The array is owned by the slab once
 * emitted: nobody writes to it again, so it is handed to the S3 client without a copy.
 */
public record Slab(int number, byte[] bytes, int length, boolean last) {

    ByteBuffer content() {
        return ByteBuffer.wrap(bytes, 0, length);
    }
}
