package dev.linger.token;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.linger.user.Role;

/** What a token may do; each scope is a Linger role, and a token never has more than its owner has now. */
public enum Scope {
    READ(Role.VIEWER), OPERATE(Role.OPERATOR), APPROVE(Role.APPROVER), ADMIN(Role.ADMIN);

    private final Role role;

    Scope(Role role) {
        this.role = role;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Role role() {
        return role;
    }

    /** The scope of this name, or null. */
    static Scope parse(String text) {
        if (text == null) {
            return null;
        }
        for (Scope s : values()) {
            if (s.id().equals(text.strip())) {
                return s;
            }
        }
        return null;
    }

    static Set<Scope> fromStored(String stored) {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        for (String part : stored.split(",")) {
            Scope s = parse(part);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The roles (as security checks name them) that the scopes grant and the owner still has. */
    static Set<String> cappedRoles(Set<Scope> scopes, Set<Role> ownerRoles) {
        EnumSet<Role> granted = EnumSet.noneOf(Role.class);
        scopes.forEach(s -> granted.add(s.role));
        Set<String> roles = new java.util.HashSet<>(Role.effective(granted));
        roles.retainAll(Role.effective(ownerRoles));
        return roles;
    }
}
