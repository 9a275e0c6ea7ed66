package dev.projectdashboard.starter.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The user behind a verified JWT, as controllers see it: {@code @AuthenticationPrincipal DashboardPrincipal
 * user}.
 *
 * @param userId the {@code sub} claim
 * @param roles the {@code roles} claim, lower case ({@code admin} may use admin APIs and every channel)
 * @param projects project names from the {@code projects} claim, or {@code *} for all
 * @param devices device ids from the {@code devices} claim, or {@code *} for all
 */
public record DashboardPrincipal(String userId, Set<String> roles, Set<String> projects, Set<String> devices) {

    /** Role name of administrators in the {@code roles} claim. */
    public static final String ADMIN_ROLE = "admin";

    /** Wildcard in the {@code projects} and {@code devices} claims. */
    public static final String ANY = "*";

    /**
     * What a user id ({@code sub}) may be, in words for error messages. Every such id makes a valid {@code user:{id}}
     * realtime channel and a safe path segment, log field and metric tag.
     */
    public static final String USER_ID_RULE =
            "1-128 characters of ASCII letters, digits and _ - . @ + (no spaces, colons, slashes or control characters)";

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@+-]{1,128}");

    public DashboardPrincipal {
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
        projects = Set.copyOf(projects);
        devices = Set.copyOf(devices);
    }

    /**
     * Reads the suite's claims from a verified token.
     *
     * @param jwt a token whose signature and expiry were already checked
     * @return the principal; claims that are missing give empty sets
     */
    public static DashboardPrincipal from(Jwt jwt) {
        Set<String> roles = new LinkedHashSet<>();
        claimValues(jwt, "roles").forEach(role -> roles.add(role.toLowerCase(Locale.ROOT)));
        return new DashboardPrincipal(
                jwt.getSubject(),
                roles,
                new LinkedHashSet<>(claimValues(jwt, "projects")),
                new LinkedHashSet<>(claimValues(jwt, "devices")));
    }

    /** Whether the text may be a user id: {@value #USER_ID_RULE}. */
    public static boolean isValidUserId(String userId) {
        return userId != null && USER_ID.matcher(userId).matches();
    }

    /** Whether the user has the {@code admin} role. */
    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }

    /** Whether the user may watch the named project: listed, {@code *}, or admin. */
    public boolean mayWatchProject(String name) {
        return isAdmin() || projects.contains(ANY) || projects.contains(name);
    }

    /** Whether the user may act for (upload for, watch) the device: listed, {@code *}, or admin. */
    public boolean mayActForDevice(String deviceId) {
        return isAdmin() || devices.contains(ANY) || devices.contains(deviceId);
    }

    /** A claim that is a list of strings, or a single string ({@code "*"}, or space separated names). */
    private static List<String> claimValues(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        if (value instanceof Collection<?> values) {
            return values.stream()
                    .filter(Objects::nonNull)
                    .map(Object::toString)
                    .filter(s -> !s.isBlank())
                    .toList();
        }
        if (value instanceof String text && !text.isBlank()) {
            return List.of(text.trim().split("\\s+"));
        }
        return List.of();
    }
}
