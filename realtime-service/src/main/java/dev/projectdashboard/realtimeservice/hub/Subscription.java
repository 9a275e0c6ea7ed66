package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Position;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's subscription to one channel: the connection's position in it (epoch, last offset it has), and
 * whether a subscribe is reading its history. Guarded by its {@link Subscriber}'s lock.
 */
final class Subscription {

    /** How a publication's position in this channel relates to the connection's. */
    enum Step {
        /** From before the subscription's start: not delivered through this channel, and not claimed by the client. */
        BEFORE,
        /** The client has it: delivered through this channel, or at or before the position it recovered from. */
        HAD,
        /** The one after the connection's position, or the channel started a new epoch: it advances the position. */
        NEXT,
        /** Publications between the connection's position and this one have not reached it (yet). */
        AHEAD
    }

    final Subscriber subscriber;
    final ChannelName channel;
    final String name;
    String epoch = "";
    long lastOffset;
    // a subscribe without recovery starts at the channel's top: what came before was not delivered, so it does not
    // count as something the client has when the same event arrives through another channel
    long startOffset;
    boolean recovering;
    boolean closed;
    // who the channel belongs to as far as this subscription has seen (a task's user, a deployment's project): what
    // the policy decides presence changes by. Read without the lock by the presence fan-out.
    private volatile String owner = "";
    // indexed by channel in the hub until the first unindex: unsubscribe, unregister and a failed subscribe may race
    private final AtomicBoolean indexed = new AtomicBoolean(true);

    Subscription(Subscriber subscriber, ChannelName channel) {
        this.subscriber = subscriber;
        this.channel = channel;
        this.name = channel.toString();
    }

    Step step(Position position) {
        if (!position.epoch().equals(epoch)) {
            return Step.NEXT; // a new history (or a subscription without position yet): start over from here
        }
        if (position.offset() <= startOffset) {
            return Step.BEFORE;
        }
        if (position.offset() <= lastOffset) {
            return Step.HAD;
        }
        return position.offset() == lastOffset + 1 ? Step.NEXT : Step.AHEAD;
    }

    void advance(Position position) {
        if (!position.epoch().equals(epoch)) {
            // the channel is taken up here (a personal channel's first publication, a new epoch): nothing before it
            // was delivered through this subscription
            startOffset = position.offset() - 1;
        }
        epoch = position.epoch();
        lastOffset = position.offset();
        learnOwner(position.owner());
    }

    /** The channel's owner as a subscribe read it, or a publication carried it; the first one known stays. */
    void learnOwner(String known) {
        if (owner.isEmpty() && !known.isEmpty()) {
            owner = known;
        }
    }

    /** Where presence changes of the channel stand for the policy: the channel with its owner as known here. */
    Position presencePosition() {
        return new Position(name, 0, "", owner);
    }

    /** Where a subscribe without recovery starts: after the channel's newest publication, none of them delivered. */
    void startAt(String topEpoch, long top) {
        epoch = topEpoch;
        lastOffset = top;
        startOffset = top;
    }

    /** Where a recovery starts: the client has every publication up to {@code offset}. */
    void recoverFrom(String topEpoch, long offset) {
        epoch = topEpoch;
        lastOffset = offset;
        startOffset = 0;
    }

    boolean hasPosition() {
        return !epoch.isEmpty() || lastOffset > 0;
    }

    /** True the first time only. */
    boolean unindex() {
        return indexed.compareAndSet(true, false);
    }
}
