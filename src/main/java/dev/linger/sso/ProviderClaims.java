package dev.linger.sso;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.linger.user.Role;

/**
 * What Linger takes from a provider's tokens, once Quarkus has verified them: who (issuer and subject, never the
 * name alone), the name to show, when they authenticated, and the Linger roles their groups give. The roles claim
 * is looked for in the ID token first, then in the access token (Keycloak puts realm roles only there).
 */
public record ProviderClaims(String issuer, String subject, String preferredName, Instant authenticatedAt,
        Instant issuedAt, Set<Role> roles, Set<String> groupValues) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param primaryJwt   the ID token (code flow) or the access token (bearer); verified already
     * @param secondaryJwt the access token of a code flow when it is a JWT, or null
     */
    public static ProviderClaims of(String primaryJwt, String secondaryJwt, ClaimRoles roles) {
        JsonNode claims = payload(primaryJwt);
        if (claims == null) {
            claims = JSON.createObjectNode();
        }
        if (roles.values(claims).isEmpty() && secondaryJwt != null) {
            JsonNode more = payload(secondaryJwt);
            if (more != null && !roles.values(more).isEmpty()) {
                ObjectNode merged = ((ObjectNode) claims).deepCopy();
                more.fields().forEachRemaining(e -> merged.putIfAbsent(e.getKey(), e.getValue()));
                claims = merged;
            }
        }
        String name = text(claims, "preferred_username");
        if (name == null) {
            String email = text(claims, "email");
            name = email == null ? text(claims, "sub") : email.substring(0, Math.max(0, email.indexOf('@')));
        }
        long issued = claims.hasNonNull("iat") ? claims.get("iat").asLong() : 0;
        long at = claims.hasNonNull("auth_time") ? claims.get("auth_time").asLong() : issued;
        return new ProviderClaims(text(claims, "iss"), text(claims, "sub"), name == null ? "" : name,
                Instant.ofEpochSecond(at), Instant.ofEpochSecond(issued), roles.rolesOf(claims), roles.values(claims));
    }

    private static JsonNode payload(String jwt) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null; // an opaque token: no claims to read
        }
        try {
            JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode v = claims.get(name);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
