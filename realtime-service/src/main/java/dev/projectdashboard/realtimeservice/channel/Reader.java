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

    public Reader {
        Objects.requireNonNull(principal, "principal");
    }

    /** The user of a verified token. */
    public static Reader of(DashboardPrincipal principal) {
        return new Reader(principal, false);
    }

    public String userId() {
        return principal.userId();
    }
}
