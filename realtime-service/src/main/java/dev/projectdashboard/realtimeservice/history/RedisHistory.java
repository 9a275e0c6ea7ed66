package dev.projectdashboard.realtimeservice.history;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.hub.ChannelPositions;
import dev.projectdashboard.realtimeservice.hub.History;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.Since;
import dev.projectdashboard.realtimeservice.script.RedisScript;
import dev.projectdashboard.realtimeservice.script.RedisScript.ScriptException;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Channel history in Redis, written by the sequencer ({@code publish.lua}): {@code rt:meta:{channel}} holds the
 * epoch and top offset, {@code rt:hist:{channel}} the newest publications with entry id = offset (and, for an event
 * of several channels, its positions in all of them).
 */
public final class RedisHistory implements History, ChannelPositions {

    public static final String META_PREFIX = "rt:meta:";
    public static final String HISTORY_PREFIX = "rt:hist:";

    private final RedisScript script;
    private final PublicationCodec codec;
    private final HubProperties properties;

    public RedisHistory(RedisConnections connections, PublicationCodec codec, HubProperties properties) {
        this.script = RedisScript.load("history", connections);
        this.codec = codec;
        this.properties = properties;
    }

    @Override
    public boolean recoverable() {
        return properties.historySize() > 0;
    }

    @Override
    public Mono<Page> read(ChannelName channel, Long since, int limit) {
        return query(channel.toString(), since == null ? -1 : since, limit).map(raw -> {
            boolean complete = since != null
                    && (raw.publications.isEmpty()
                            ? raw.top == since
                            : raw.publications.get(0).offset() == since + 1);
            return new Page(channel.toString(), raw.epoch, raw.top, raw.publications, complete);
        });
    }

    @Override
    public Mono<Recovery> position(ChannelName channel) {
        return query(channel.toString(), -1, 0)
                .map(raw -> new Recovery(raw.epoch, raw.top, List.of(), false, raw.owner))
                .onErrorMap(RedisHistory::refused, e -> new ReadRefused(e.getMessage(), e));
    }

    /**
     * The publications after {@code since}, all of them or none: reads one more than the recovery limit so that
     * "more missed than we replay" is seen as not recovered rather than a partial replay.
     */
    @Override
    public Mono<Recovery> recover(ChannelName channel, Since since) {
        if (!recoverable()) {
            return position(channel);
        }
        int limit = properties.recoveryMaxPublications();
        long from = Math.max(0, since.offset());
        return query(channel.toString(), from, limit + 1)
                .map(raw -> {
                    List<Publication> missed = raw.publications;
                    boolean sameEpoch = !raw.epoch.isEmpty() && raw.epoch.equals(since.epoch());
                    boolean recovered = sameEpoch
                            && since.offset() >= 0
                            && since.offset() <= raw.top
                            && missed.size() <= limit
                            && (missed.isEmpty()
                                    ? raw.top == since.offset()
                                    : missed.get(0).offset() == since.offset() + 1
                                            && missed.get(missed.size() - 1).offset() == raw.top);
                    return new Recovery(raw.epoch, raw.top, recovered ? missed : List.of(), recovered, raw.owner);
                })
                .onErrorMap(RedisHistory::refused, e -> new ReadRefused(e.getMessage(), e));
    }

    /** Redis ran the script and refused it: not a "try again". */
    private static boolean refused(Throwable error) {
        return error instanceof ScriptException script && !script.unavailable();
    }

    private record Raw(String epoch, long top, List<Publication> publications, String owner) {}

    /** An entry's fields: {@code p} the publication, {@code pos} the positions of an event of several channels. */
    private Publication publication(Position at, List<?> fields) {
        String stored = null;
        List<Position> positions = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            switch ((String) fields.get(i)) {
                case "p" -> stored = (String) fields.get(i + 1);
                case "pos" -> positions = codec.positions((String) fields.get(i + 1));
                default -> {
                    // a field a later version added: not needed here
                }
            }
        }
        if (stored == null) {
            throw new IllegalStateException("history entry " + at + " has no publication");
        }
        if (positions == null) {
            return codec.decode(at.channel(), at.offset(), at.epoch(), stored);
        }
        // named at the stored position of this channel, which carries its owner
        Position named = positions.stream()
                .filter(position -> position.channel().equals(at.channel()))
                .findFirst()
                .orElse(at);
        return codec.decode(codec.mapper().readTree(stored), named, positions);
    }

    /**
     * @param since the offset to read after, or -1 for the newest entries; any offset a long holds (the script only
     *     compares it, and reads from the id written here, which an offset of {@link Long#MAX_VALUE} still has)
     */
    private Mono<Raw> query(String channel, long since, int limit) {
        return script.multi(
                        List.of(META_PREFIX + channel, HISTORY_PREFIX + channel, RedisChannelOwners.PREFIX + channel),
                        List.of(
                                Long.toString(since),
                                Integer.toString(Math.max(0, limit)),
                                Epochs.next(),
                                Long.toString(properties.historyMetaTtl().toSeconds()),
                                since < 0 ? "" : Long.toUnsignedString(since + 1) + "-0"))
                .map(reply -> {
                    long top = (Long) reply.get(0);
                    String epoch = (String) reply.get(1);
                    List<Publication> publications = new ArrayList<>();
                    for (Object entry : (List<?>) reply.get(2)) {
                        List<?> idAndFields = (List<?>) entry;
                        String id = (String) idAndFields.get(0);
                        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
                        publications.add(
                                publication(new Position(channel, offset, epoch), (List<?>) idAndFields.get(1)));
                    }
                    return new Raw(epoch, top, publications, (String) reply.get(3));
                });
    }
}
