package dev.projectdashboard.realtimeservice.channel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One event as delivered on one channel: the CloudEvent's type, id, time and {@code data} (raw JSON, exactly as
 * the producer wrote it), plus the channel position the sequencer gave it. Shared by every connection of the
 * replica: each wire format renders it once ({@link #frame}), however many subscribers receive it.
 *
 * <p>{@code offset} is 0 and {@code epoch} empty for ephemeral publications that are not kept in history
 * (presence join/leave, client publications on channels without history).
 */
public final class Publication {

    private final String channel;
    private final long offset;
    private final String epoch;
    private final String type;
    private final String eventId;
    private final Instant time;
    private final String dataJson;
    private final ConcurrentHashMap<Object, String> frames = new ConcurrentHashMap<>(2);
    private final ConcurrentHashMap<String, byte[]> encoded = new ConcurrentHashMap<>(2);

    public Publication(
            String channel, long offset, String epoch, String type, String eventId, Instant time, String dataJson) {
        this.channel = channel;
        this.offset = offset;
        this.epoch = epoch;
        this.type = type;
        this.eventId = eventId;
        this.time = time;
        this.dataJson = dataJson;
    }

    public String channel() {
        return channel;
    }

    public long offset() {
        return offset;
    }

    public String epoch() {
        return epoch;
    }

    /** The CloudEvent {@code type} (DESIGN §5), e.g. {@code task.progress}. */
    public String type() {
        return type;
    }

    public String eventId() {
        return eventId;
    }

    /** When the producer says the event happened (CloudEvent {@code time}); the start of the latency histogram. */
    public Instant time() {
        return time;
    }

    /** The CloudEvent {@code data}, raw JSON. */
    public String dataJson() {
        return dataJson;
    }

    /**
     * The frame of this publication in one wire format, rendered on first use and shared afterwards.
     *
     * @param format a key per wire format (one constant per renderer)
     */
    public String frame(Object format, Function<Publication, String> renderer) {
        String frame = frames.get(format);
        if (frame == null) {
            frame = frames.computeIfAbsent(format, key -> renderer.apply(this));
        }
        return frame;
    }

    /**
     * The UTF-8 encoding of one of this publication's frames ({@link #frame}), encoded on first use and shared by
     * every connection that sends it: callers must not modify the array. Keyed by the frame's content, so any
     * frame works; a frame from {@link #frame} is the same instance every time, which makes the lookup an identity
     * check on a cached hash.
     */
    public byte[] utf8(String frame) {
        byte[] bytes = encoded.get(frame);
        if (bytes == null) {
            bytes = encoded.computeIfAbsent(frame, key -> key.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "Publication[" + channel + "@" + offset + "/" + epoch + " " + type + " " + eventId + "]";
    }
}
