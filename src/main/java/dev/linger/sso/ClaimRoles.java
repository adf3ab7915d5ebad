package dev.linger.sso;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.user.Role;

/**
 * Turns the groups or roles a provider lists in a token into Linger roles: a claim path (a name, or names joined
 * by {@code /} for nested objects such as Keycloak's {@code realm_access/roles}) and a map from values to roles.
 * Pure logic, so the mapping table in the README is tested as written.
 */
public final class ClaimRoles {

    private final String[] path;
    private final Map<String, Role> map;

    private ClaimRoles(String[] path, Map<String, Role> map) {
        this.path = path;
        this.map = map;
    }

    /**
     * @param claimPath e.g. {@code groups} or {@code realm_access/roles}
     * @param roleMap   e.g. {@code ops-admins=admin, oncall=operator}; may be empty
     * @throws IllegalArgumentException naming the pair that is not {@code value=role} with a known role
     */
    public static ClaimRoles parse(String claimPath, String roleMap) {
        String trimmed = claimPath == null ? "" : claimPath.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.endsWith("/")) {
            throw new IllegalArgumentException("linger.oidc.roles-claim must name a claim, e.g. groups or realm_access/roles");
        }
        Map<String, Role> map = new LinkedHashMap<>();
        if (roleMap != null) {
            for (String pair : roleMap.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.lastIndexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("linger.oidc.role-map: '" + pair.strip()
                            + "' is not value=role (roles: viewer, operator, approver, admin)");
                }
                String role = pair.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
                try {
                    map.put(pair.substring(0, eq).strip(), Role.parse(role));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("linger.oidc.role-map: '" + role
                            + "' is not a role (roles: viewer, operator, approver, admin)");
                }
            }
        }
        return new ClaimRoles(trimmed.split("/"), Map.copyOf(map));
    }

    /** The Linger roles these token claims give; empty when none of the values is mapped. */
    public Set<Role> rolesOf(JsonNode claims) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(claims)) {
            Role mapped = map.get(value);
            if (mapped == null) {
                mapped = asRoleName(value);
            }
            if (mapped != null) {
                roles.add(mapped);
            }
        }
        return roles;
    }

    /** The values found at the claim path: a JSON array of strings, or one string (some providers send one group so). */
    public Set<String> values(JsonNode claims) {
        JsonNode node = claims;
        for (String name : path) {
            node = node == null ? null : node.get(name);
        }
        Set<String> values = new TreeSet<>();
        if (node == null) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(v -> {
                if (v.isTextual()) {
                    values.add(v.asText());
                }
            });
        }
        return values;
    }

    /** Only the exact lower-case name: a provider group called "Admin" is not taken for the role by accident. */
    private static Role asRoleName(String value) {
        try {
            Role role = Role.parse(value);
            return role.id().equals(value) ? role : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
