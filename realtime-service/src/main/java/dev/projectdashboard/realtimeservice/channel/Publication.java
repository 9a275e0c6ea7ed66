package dev.projectdashboard.realtimeservice.channel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One event as one connection receives it: the CloudEvent's type, id, time and {@code data} (raw JSON, exactly as
 * the producer wrote it), named after one of the channels it was published on ({@link #channel}, {@link #offset},
 * {@link #epoch}), with the connection's other channels of the same event in {@link #also}. Shared by every
 * connection of the replica that receives it so: each wire format renders it once ({@link #frame}).
 *
 * <p>{@link #positions} lists every channel the sequencer put the event in; {@link #named} gives the same event
 * named after another of them, so a connection subscribed to several of an event's channels gets one frame.
 *
 * <p>{@code offset} is 0 and {@code epoch} empty for ephemeral publications that are not kept in history (client
 * publications).
 */
public final class Publication {

    private final Event event;
    private final Position position;
    private final List<Position> also;
    private final ConcurrentHashMap<Object, String> frames = new ConcurrentHashMap<>(2);
    private final ConcurrentHashMap<String, byte[]> encoded = new ConcurrentHashMap<>(2);

    /** An event published on one channel only (or an ephemeral publication, with offset 0). */
    public Publication(
            String channel, long offset, String epoch, String type, String eventId, Instant time, String dataJson) {
        this(new Position(channel, offset, epoch), type, eventId, time, dataJson, null);
    }

    /**
     * An event at its positions, named after {@code named} (one of them).
     *
     * @param positions every channel the event was published on, in the sequencer's order; {@code null} for {@code
     *     named} alone
     */
    public Publication(
            Position named, String type, String eventId, Instant time, String dataJson, List<Position> positions) {
        this(
                new Event(type, eventId, time, dataJson, positions == null ? List.of(named) : List.copyOf(positions)),
                named,
                List.of());
    }

    private Publication(Event event, Position position, List<Position> also) {
        this.event = event;
        this.position = position;
        this.also = also;
    }

    /**
     * The same event named after {@code position}, with {@code also} listed beside it: rendered once per replica
     * and wire format however many connections receive it so.
     *
     * @param position one of {@link #positions()}
     * @param also other positions of the event that the receiving connection is subscribed to
     */
    public Publication named(Position position, List<Position> also) {
        if (position.equals(this.position) && also.equals(this.also)) {
            return this;
        }
        StringBuilder key = new StringBuilder(position.channel());
        for (Position other : also) {
            key.append('\n').append(other.channel());
        }
        return event.variants()
                .computeIfAbsent(key.toString(), k -> new Publication(event, position, List.copyOf(also)));
    }

    /** The channel this publication is named after. */
    public String channel() {
        return position.channel();
    }

    public long offset() {
        return position.offset();
    }

    public String epoch() {
        return position.epoch();
    }

    /** {@link #channel}, {@link #offset} and {@link #epoch} together. */
    public Position position() {
        return position;
    }

    /** Every channel the event was published on, in the sequencer's order (this one included). */
    public List<Position> positions() {
        return event.positions;
    }

    /** The receiving connection's other channels of this event, with the event's offset in each. */
    public List<Position> also() {
        return also;
    }

    /**
     * {@link #also} as JSON for the wire formats, {@code [{"channel":C,"offset":N},…]} ({@code []} when empty).
     * Channel names are {@link ChannelName}s, which need no escaping.
     */
    public String alsoJson() {
        StringBuilder json = new StringBuilder(2 + 40 * also.size()).append('[');
        for (int i = 0; i < also.size(); i++) {
            json.append(i == 0 ? "{\"channel\":\"" : ",{\"channel\":\"")
                    .append(also.get(i).channel())
                    .append("\",\"offset\":")
                    .append(also.get(i).offset())
                    .append('}');
        }
        return json.append(']').toString();
    }

    /** The CloudEvent {@code type} (docs/contracts.md, Events), e.g. {@code task.progress}. */
    public String type() {
        return event.type;
    }

    public String eventId() {
        return event.eventId;
    }

    /** When the producer says the event happened (CloudEvent {@code time}); the start of the latency histogram. */
    public Instant time() {
        return event.time;
    }

    /** The CloudEvent {@code data}, raw JSON. */
    public String dataJson() {
        return event.dataJson;
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
        return "Publication[" + channel() + "@" + offset() + "/" + epoch() + (also.isEmpty() ? "" : " also " + also)
                + " " + type() + " " + eventId() + "]";
    }

    /** What every publication of one event shares. */
    private static final class Event {

        final String type;
        final String eventId;
        final Instant time;
        final String dataJson;
        final List<Position> positions;
        // created by the first connection that needs the event named otherwise: most events are read by
        // connections subscribed to one of their channels only
        private volatile Map<String, Publication> variants;

        Event(String type, String eventId, Instant time, String dataJson, List<Position> positions) {
            this.type = type;
            this.eventId = eventId;
            this.time = time;
            this.dataJson = dataJson;
            this.positions = positions;
        }

        Map<String, Publication> variants() {
            Map<String, Publication> map = variants;
            if (map == null) {
                synchronized (this) {
                    map = variants;
                    if (map == null) {
                        map = new ConcurrentHashMap<>(4);
                        variants = map;
                    }
                }
            }
            return map;
        }
    }
}
