package dev.projectdashboard.bench;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * An upload body made on the fly: {@code prefix}, then {@code size} pseudo-random bytes, then {@code suffix}. Only a
 * 1 MiB pool is held in memory, so a 1 GiB body costs the bench JVM nothing; each MiB of the payload is the pool read
 * from another rotation, so the object is not a repeated block a backend could deduplicate or compress cheaply. The
 * payload (not the framing) is hashed with SHA-256 as it is read, which is what the stored object must hash to.
 */
final class GeneratedPayload extends InputStream {

    private static final int POOL_SIZE = 1 << 20;

    private final byte[] pool;
    private final byte[] prefix;
    private final byte[] suffix;
    private final long size;
    private final MessageDigest digest;
    private long position;

    GeneratedPayload(long seed, long size, byte[] prefix, byte[] suffix) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.pool = new byte[POOL_SIZE];
        new SplittableRandom(seed).nextBytes(pool);
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.size = size;
        this.digest = sha256();
    }

    /** Bytes this stream yields in total: framing plus payload (the request's Content-Length). */
    long contentLength() {
        return prefix.length + size + suffix.length;
    }

    /** SHA-256 of the payload in hex; complete once the stream has been read to its end. */
    String payloadSha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        long total = contentLength();
        if (position >= total) {
            return -1;
        }
        int copied;
        if (position < prefix.length) {
            copied = (int) Math.min(length, prefix.length - position);
            System.arraycopy(prefix, (int) position, buffer, offset, copied);
        } else if (position < prefix.length + size) {
            copied = readPayload(position - prefix.length, buffer, offset, length);
        } else {
            int at = (int) (position - prefix.length - size);
            copied = Math.min(length, suffix.length - at);
            System.arraycopy(suffix, at, buffer, offset, copied);
        }
        position += copied;
        return copied;
    }

    private int readPayload(long payloadPosition, byte[] buffer, int offset, int length) {
        long block = payloadPosition / POOL_SIZE;
        int inBlock = (int) (payloadPosition % POOL_SIZE);
        // stay within one MiB block and one contiguous run of the pool, so each call is a single arraycopy
        int count = (int) Math.min(Math.min(length, POOL_SIZE - inBlock), size - payloadPosition);
        int start = (int) ((inBlock + rotation(block)) % POOL_SIZE);
        count = Math.min(count, POOL_SIZE - start);
        System.arraycopy(pool, start, buffer, offset, count);
        digest.update(buffer, offset, count);
        return count;
    }

    private static long rotation(long block) {
        return Math.floorMod(block * 0x9E3779B97F4A7C15L, (long) POOL_SIZE);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
