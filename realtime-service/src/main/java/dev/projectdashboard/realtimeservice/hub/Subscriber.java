package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One connection's subscriptions and the order in which publications reach it. Everything the hub gives the
 * connection goes through here under this object's lock: live publications from the fan-out, a subscribe's replay,
 * and the live publications held back while a subscribe reads history.
 *
 * <p><b>One frame per event.</b> An event published on several channels the connection is subscribed to ({@code
 * task:42} and its owner's {@code user:alice}) goes out once, named after the first of them (in the event's order)
 * whose position it advances, with the others in {@code also}; the connection's position advances in each. An event
 * the client has through one of its channels is not sent again through another: the hub offers a live event once
 * per channel of the connection, and the second offer finds nothing new.
 *
 * <p><b>No channel goes backwards.</b> While any subscribe of the connection reads history, its live publications
 * are held, and delivered in order once the subscribe has written its replay, so a replay never interleaves with
 * live publications. A replayed publication that another, live channel of the connection has not reached yet (its
 * earlier publications are held or still in the fan-out) ends the replay there: it and the rest of the replayed
 * channel arrive live, after the other channel's earlier publications, once each.
 *
 * <p><b>Owners.</b> Each delivery is put to the policy ({@link ChannelPolicy#delivery}): a subscription that turns out
 * to be on someone else's channel (a task whose owner became known) ends, and the hub tells the client; a delivery
 * the policy skips still moves the position.
 */
final class Subscriber {

    final Connection connection;
    private final ChannelPolicy policy;
    private final Consumer<List<Subscription>> revoked;
    // all guarded by this
    private final Map<String, Subscription> subscriptions = new HashMap<>(4);
    private ArrayList<Publication> held;
    private int recovering;
    private boolean closed;
    private List<Subscription> revoking;

    /** @param revoked takes the subscriptions the policy ended (unindex them, tell the client); never under the lock */
    Subscriber(Connection connection, ChannelPolicy policy, Consumer<List<Subscription>> revoked) {
        this.connection = connection;
        this.policy = policy;
        this.revoked = revoked;
    }

    /** A subscribe under way: its subscription, whether it created it, whether it had a position already. */
    record Begun(Subscription subscription, boolean created, boolean hadPosition) {}

    /** A personal channel: live at once, without recovery; {@code null} once closed. */
    synchronized Subscription addLive(ChannelName channel) {
        if (closed) {
            return null;
        }
        Subscription subscription = new Subscription(this, channel);
        subscriptions.put(subscription.name, subscription);
        return subscription;
    }

    /**
     * Starts a subscribe: the subscription (new, or the existing one for a re-subscribe) is in place before history
     * is read, and the connection's live publications are held from now on, so none slips by.
     *
     * @throws RealtimeException 107 when the connection is closed or a subscribe of the channel is under way, 106 over
     *     the subscription limit
     */
    synchronized Begun begin(ChannelName channel, int maxSubscriptions) {
        if (closed) {
            throw new RealtimeException(RealtimeException.BAD_REQUEST, "connection is not open");
        }
        Subscription subscription = subscriptions.get(channel.toString());
        boolean created = subscription == null;
        if (created && subscriptions.size() >= maxSubscriptions) {
            throw new RealtimeException(
                    RealtimeException.LIMIT_EXCEEDED,
                    "too many subscriptions: at most " + maxSubscriptions + " per connection");
        }
        if (!created && subscription.recovering) {
            throw new RealtimeException(
                    RealtimeException.BAD_REQUEST, "a subscribe to " + channel + " is already in progress");
        }
        if (created) {
            subscription = new Subscription(this, channel);
            subscriptions.put(subscription.name, subscription);
        }
        boolean hadPosition = !created && subscription.hasPosition();
        subscription.recovering = true;
        if (recovering++ == 0) {
            held = new ArrayList<>();
        }
        return new Begun(subscription, created, hadPosition);
    }

    /**
     * Ends a subscribe: hands {@code beforeReplay} the answer (the session writes its {@code subscribed} frame), then
     * the replay, each publication once for the connection, then (when no other subscribe is reading history) the
     * held live publications.
     *
     * @param owner who the channel belongs to, as far as known when its position was read ({@code ""}: nobody known)
     * @param replay the channel's publications after {@code since}, all of them, when {@code recovered}
     * @return the answer; {@code replayed} counts the replayed publications sent (those the connection had through
     *     another channel are not), the rest of a replay that stopped early comes live; {@code null} when the replay
     *     shows the channel is someone else's (its owner became known after the policy's check): nothing was sent,
     *     the subscription is gone, the caller refuses the subscribe
     */
    Subscribed finish(
            Begun begun,
            String topEpoch,
            long top,
            String owner,
            boolean recoverable,
            Since since,
            boolean recovered,
            List<Publication> replay,
            Consumer<Subscribed> beforeReplay) {
        Subscription subscription = begun.subscription();
        Subscribed subscribed = null;
        boolean gap;
        List<Subscription> gone;
        synchronized (this) {
            if (closed || subscription.closed) {
                // unsubscribed or closed meanwhile: nothing to answer on, and the count was given back then
                return new Subscribed(subscription.name, topEpoch, top, recoverable, recovered, 0);
            }
            if (recovered && ownedByAnother(replay)) {
                subscriptions.remove(subscription.name, subscription);
                subscription.closed = true;
            } else {
                List<Publication> frames = List.of();
                if (recovered) {
                    // a re-subscribe (e.g. of a personal channel, live since the connect) does not send again what
                    // this connection delivered on the channel already
                    boolean sameEpoch = begun.hadPosition() && subscription.epoch.equals(topEpoch);
                    long deliveredAfter = sameEpoch ? subscription.startOffset : 0;
                    long deliveredUpTo = sameEpoch ? subscription.lastOffset : 0;
                    subscription.recoverFrom(topEpoch, since.offset());
                    frames = replay(subscription, replay, deliveredAfter, deliveredUpTo);
                    if (subscription.lastOffset < deliveredUpTo) {
                        subscription.lastOffset = deliveredUpTo;
                    }
                } else if (!(begun.hadPosition() && subscription.epoch.equals(topEpoch))) {
                    subscription.startAt(topEpoch, top);
                }
                subscription.learnOwner(owner);
                subscribed = new Subscribed(subscription.name, topEpoch, top, recoverable, recovered, frames.size());
                beforeReplay.accept(subscribed);
                for (Publication frame : frames) {
                    connection.deliver(frame);
                }
            }
            subscription.recovering = false;
            gap = !release();
            gone = takeRevoked();
        }
        afterUnlock(gap, gone);
        return subscribed;
    }

    /**
     * A subscribe failed: the live publications flow as if it had not started.
     *
     * @return whether the subscription is gone (the subscribe had created it): unindex it
     */
    boolean abort(Begun begun) {
        Subscription subscription = begun.subscription();
        boolean gap;
        boolean dropped = false;
        List<Subscription> gone;
        synchronized (this) {
            if (closed || subscription.closed) {
                return false;
            }
            subscription.recovering = false;
            if (begun.created()) {
                subscriptions.remove(subscription.name, subscription);
                subscription.closed = true;
                dropped = true;
            }
            gap = !release();
            gone = takeRevoked();
        }
        afterUnlock(gap, gone);
        return dropped;
    }

    /** Unsubscribes; {@code null} when not subscribed. */
    Subscription remove(String channel) {
        Subscription subscription;
        boolean gap = false;
        List<Subscription> gone;
        synchronized (this) {
            subscription = subscriptions.remove(channel);
            if (subscription == null) {
                return null;
            }
            subscription.closed = true;
            if (subscription.recovering) {
                subscription.recovering = false;
                gap = !release();
            }
            gone = takeRevoked();
        }
        afterUnlock(gap, gone);
        return subscription;
    }

    /** Stops every delivery; answers the subscriptions there were. */
    synchronized List<Subscription> close() {
        closed = true;
        held = null;
        recovering = 0;
        List<Subscription> all = List.copyOf(subscriptions.values());
        for (Subscription subscription : all) {
            subscription.closed = true;
            subscription.recovering = false;
        }
        subscriptions.clear();
        return all;
    }

    /** A live publication of one of this connection's channels (the hub offers it once per such channel). */
    void offer(Publication publication) {
        boolean gap;
        List<Subscription> gone;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (recovering > 0) {
                // the hub offers an event once per channel of the connection, one right after the other
                if (held.isEmpty() || held.get(held.size() - 1) != publication) {
                    held.add(publication);
                }
                return;
            }
            gap = !live(publication);
            gone = takeRevoked();
        }
        afterUnlock(gap, gone);
    }

    synchronized int size() {
        return subscriptions.size();
    }

    synchronized Set<ChannelName> channels() {
        return subscriptions.values().stream().map(s -> s.channel).collect(Collectors.toUnmodifiableSet());
    }

    synchronized boolean isActive(Subscription subscription) {
        return !closed && !subscription.closed;
    }

    /**
     * A live publication, under the lock: one frame when it advances any of the connection's channels and the client
     * does not have it through another.
     *
     * @return false when one of the connection's channels lost publications on the way (fan-out trimmed while this
     *     replica lagged): the client must reconnect and recover rather than silently miss them
     */
    private boolean live(Publication publication) {
        if (publication.offset() <= 0) {
            // ephemeral: no place in the channel
            if (subscriptions.containsKey(publication.channel())) {
                connection.deliver(publication);
            }
            return true;
        }
        Reach reach = reach(publication, null);
        if (reach.ahead) {
            return false;
        }
        reach.advance();
        if (!reach.had && !reach.shown.isEmpty()) {
            connection.deliver(publication.named(reach.shown.get(0), reach.shown.subList(1, reach.shown.size())));
        }
        return true;
    }

    /**
     * A recovering channel's replay, under the lock: moves its position (and the connection's other channels'
     * positions) and answers the frames to send, each event once for the connection.
     *
     * @param deliveredAfter with {@code deliveredUpTo}: the offsets of the channel this connection delivered already
     *     (a re-subscribe), which are not sent again
     */
    private List<Publication> replay(
            Subscription recovering, List<Publication> replay, long deliveredAfter, long deliveredUpTo) {
        List<Publication> frames = new ArrayList<>(replay.size());
        for (Publication publication : replay) {
            Reach reach = reach(publication, recovering);
            reach.had |= publication.offset() > deliveredAfter && publication.offset() <= deliveredUpTo;
            if (reach.ahead) {
                // the other channel's earlier publications arrived after the holding began, so this one and the rest
                // of the replay come live too, after them
                break;
            }
            recovering.advance(publication.position());
            reach.advance();
            boolean shown =
                    policy.delivery(connection.reader(), publication.position()) == ChannelPolicy.Delivery.DELIVER;
            if (!reach.had && shown) {
                frames.add(publication.named(publication.position(), reach.shown));
            }
        }
        return frames;
    }

    /** How one publication stands with the connection's channels: what it advances, shows, or finds had or ahead. */
    private static final class Reach {
        boolean had;
        boolean ahead;
        // allocated by the first channel the publication advances: most connections it reaches have none or one
        List<Subscription> advancing = List.of();
        List<Position> advancingTo = List.of();
        List<Position> shown = List.of();

        void next(Subscription subscription, Position position, boolean show) {
            if (advancing.isEmpty()) {
                advancing = new ArrayList<>(2);
                advancingTo = new ArrayList<>(2);
            }
            advancing.add(subscription);
            advancingTo.add(position);
            if (show) {
                if (shown.isEmpty()) {
                    shown = new ArrayList<>(2);
                }
                shown.add(position);
            }
        }

        void advance() {
            for (int i = 0; i < advancing.size(); i++) {
                advancing.get(i).advance(advancingTo.get(i));
            }
        }
    }

    /**
     * Reads a publication's positions against the connection's channels, under the lock, leaving out {@code except}
     * (the channel whose replay this is) and channels still reading their history (they settle it when they finish).
     * A channel the policy ends on this delivery is revoked.
     */
    private Reach reach(Publication publication, Subscription except) {
        Reach reach = new Reach();
        for (Position position : publication.positions()) {
            Subscription subscription = subscriptions.get(position.channel());
            if (subscription == null || subscription == except || subscription.recovering) {
                continue;
            }
            ChannelPolicy.Delivery delivery = policy.delivery(connection.reader(), position);
            if (delivery == ChannelPolicy.Delivery.REVOKE) {
                revoke(subscription);
                continue;
            }
            switch (subscription.step(position)) {
                case BEFORE -> {}
                case HAD -> reach.had = true;
                case AHEAD -> reach.ahead = true;
                case NEXT -> reach.next(subscription, position, delivery == ChannelPolicy.Delivery.DELIVER);
            }
        }
        return reach;
    }

    /** Whether the policy ends a subscription to the replayed channel at any of its replayed publications. */
    private boolean ownedByAnother(List<Publication> replay) {
        for (Publication publication : replay) {
            if (policy.delivery(connection.reader(), publication.position()) == ChannelPolicy.Delivery.REVOKE) {
                return true;
            }
        }
        return false;
    }

    private void revoke(Subscription subscription) {
        subscriptions.remove(subscription.name, subscription);
        subscription.closed = true;
        if (revoking == null) {
            revoking = new ArrayList<>(1);
        }
        revoking.add(subscription);
    }

    private List<Subscription> takeRevoked() {
        List<Subscription> gone = revoking;
        revoking = null;
        return gone;
    }

    /** One subscribe fewer reading history; the last one delivers what was held. False on a gap. */
    private boolean release() {
        if (--recovering > 0) {
            return true;
        }
        List<Publication> pending = held;
        held = null;
        if (pending != null) {
            for (Publication publication : pending) {
                if (!live(publication)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What must not run under the lock: tell the hub about revoked subscriptions, close on a gap. */
    private void afterUnlock(boolean gap, List<Subscription> gone) {
        if (gone != null) {
            revoked.accept(gone);
        }
        if (gap) {
            synchronized (this) {
                closed = true;
                held = null;
            }
            connection.close(CloseReason.INSUFFICIENT_STATE);
        }
    }
}
