package dev.projectdashboard.realtimeservice.channel;

import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.util.Objects;

/**
 * Who reads channels: the user behind a verified token, or a connection without a token admitted for the public
 * projects ({@code dashboard.realtime.public.projects}), which may only read their {@code project:} and {@code
 * deployment:} channels. A flag of the connection, not a claim: no token can make a reader public, or a public
 * reader anything else.
 *
 * @param principal the token's claims; for a public reader, a name for it ({@code anonymous@<client address>}) and
 *     no claims
 * @param publicOnly admitted without a token for the public projects
 */
public record Reader(DashboardPrincipal principal, boolean publicOnly) {

    /** The message refusals of a token whose {@code sub} is not a {@linkplain #isUserId user id} give. */
    public static final String UNUSABLE_SUB = "the token's sub is not a user id here (1-128 of [A-Za-z0-9._@~+=-])";

    public Reader {
        Objects.requireNonNull(principal, "principal");
    }

    /**
     * Whether a token's {@code sub} can be a user here: it names the user's own channel, {@code user:{sub}}, so it
     * must be a channel id (no spaces, {@code :} or control characters, at most 128 characters). A token with any
     * other {@code sub} is refused at the connect: nothing here builds a channel or a key from it.
     */
    public static boolean isUserId(String sub) {
        return ChannelName.isId(sub);
    }

    /** The user of a verified token. */
    public static Reader of(DashboardPrincipal principal) {
        return new Reader(principal, false);
    }

    public String userId() {
        return principal.userId();
    }
}
