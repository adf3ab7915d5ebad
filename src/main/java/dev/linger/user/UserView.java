package dev.linger.user;

import java.time.Instant;
import java.util.List;

/**
 * A user as pages and the API show it: never the password hash. {@code provider}: signs in through the OIDC
 * provider (made at the first sign-in, roles from the provider); {@code breakGlass}: may use a password when local
 * sign-in is off.
 */
public record UserView(long id, String username, List<String> roles, boolean disabled, Instant createdAt,
        String createdBy, boolean mustChangePassword, boolean provider, boolean breakGlass) {

    static UserView of(AppUser u) {
        return new UserView(u.id, u.username, u.roleSet().stream().sorted().map(Role::id).toList(), u.disabled,
                u.createdAt, u.createdBy, u.mustChangePassword, u.signsInThroughProvider(), u.breakGlass);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
