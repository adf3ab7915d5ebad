package dev.linger.token;

import java.time.Instant;
import java.util.List;

import dev.linger.Row;

/** A token as lists show it: never the token itself, only its first characters ({@code prefix}). */
public record TokenView(long id, String user, String name, String prefix, List<String> scopes, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, String lastUsedAddress, Instant revokedAt, String revokedBy) {

    static final String COLUMNS = "t.id, u.username, t.name, t.prefix, array_to_string(t.scopes, ',') AS scopes,"
            + " t.created_at, t.expires_at, t.last_used_at, t.last_used_address, t.revoked_at, t.revoked_by";

    static TokenView of(Row r) {
        return new TokenView(r.longValue("id"), r.string("username"), r.string("name"), r.string("prefix"),
                Scope.fromStored(r.string("scopes")).stream().map(Scope::id).toList(), r.instant("created_at"),
                r.instant("expires_at"), r.instant("last_used_at"), r.string("last_used_address"),
                r.instant("revoked_at"), r.string("revoked_by"));
    }

    /** Usable now: neither revoked nor expired. */
    public boolean active(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
