package dev.linger.user;

import java.time.Instant;
import java.util.List;

/** A user as pages and the API show it: never the password hash. */
public record UserView(long id, String username, List<String> roles, boolean disabled, Instant createdAt,
        String createdBy, boolean mustChangePassword) {

    static UserView of(AppUser u) {
        return new UserView(u.id, u.username, u.roleSet().stream().sorted().map(Role::id).toList(), u.disabled,
                u.createdAt, u.createdBy, u.mustChangePassword);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
