package dev.linger.user;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a user may do. Higher roles carry the ones below them, so a check names only the least role needed. */
public enum Role {
    /** Sees everything, changes nothing. */
    VIEWER,
    /** Proposes remediation jobs. */
    OPERATOR,
    /** Approves or rejects other people's jobs. */
    APPROVER,
    /** Manages users, hosts and the riskiest runbooks. */
    ADMIN;

    public static final String VIEWER_ID = "viewer";
    public static final String OPERATOR_ID = "operator";
    public static final String APPROVER_ID = "approver";
    public static final String ADMIN_ID = "admin";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles a holder of this one also has. */
    public Set<Role> implied() {
        return switch (this) {
            case VIEWER -> EnumSet.of(VIEWER);
            case OPERATOR -> EnumSet.of(OPERATOR, VIEWER);
            case APPROVER -> EnumSet.of(APPROVER, VIEWER);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    /** Parses one role name, case-insensitively; the message names the valid ones. */
    public static Role parse(String text) {
        String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.name().equals(wanted)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + (text == null ? "" : text.trim())
                + "\"; roles are " + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }

    public static Set<Role> fromStored(String stored) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : stored.split(",")) {
            if (!part.isBlank()) {
                roles.add(parse(part));
            }
        }
        return roles;
    }

    public static String toStored(Set<Role> roles) {
        return roles.stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }

    /** Every role the given ones grant, as the identifiers security checks use. */
    public static Set<String> effective(Set<Role> roles) {
        return roles.stream().flatMap(r -> r.implied().stream()).map(Role::id).collect(Collectors.toSet());
    }
}
