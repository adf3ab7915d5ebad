package dev.linger.sso;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.login.BasicAuthCache;
import dev.linger.login.SessionStore;
import dev.linger.user.AppUser;
import dev.linger.user.Passwords;
import dev.linger.user.Role;
import dev.linger.user.UserService;

/**
 * The Linger account of someone the provider vouches for. Made at their first sign-in (or first API call with the
 * provider's token), found by issuer and subject afterwards; its roles follow the provider's groups at every
 * sign-in. Disabled in Linger means refused, whatever the provider says. Every outcome is audited.
 */
@ApplicationScoped
public class ProviderUsers {

    /** Who signed in, as Linger knows them. */
    public record Member(long id, String username, Set<Role> roles, boolean mustChangePassword) {
    }

    public sealed interface Outcome {
        record Accepted(Member member, String sessionToken) implements Outcome {
        }

        /** {@code reason} is a message key of {@link dev.linger.i18n.SsoMessages} with its arguments. */
        record Refused(Text reason) implements Outcome {
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuditLog audit;
    private final SessionStore sessions;
    private final Passwords passwords;
    private final BasicAuthCache basicCache;
    private final OidcSettings settings;
    private final Clock clock;
    private final UserService users;

    ProviderUsers(AuditLog audit, SessionStore sessions, Passwords passwords, BasicAuthCache basicCache,
            OidcSettings settings, Clock clock, UserService users) {
        this.users = users;
        this.audit = audit;
        this.sessions = sessions;
        this.passwords = passwords;
        this.basicCache = basicCache;
        this.settings = settings;
        this.clock = clock;
    }

    /** A sign-in through the code flow: on success a Linger session that remembers the ID token for sign-out. */
    @Transactional
    public Outcome signIn(ProviderClaims who, String idToken, String client) {
        Outcome outcome = member(who, client, "page");
        if (outcome instanceof Outcome.Accepted ok) {
            String token = sessions.open(ok.member().id(), client,
                    new SessionStore.Authentication(SessionStore.Authentication.OIDC, who.authenticatedAt(), idToken));
            audit.record(ok.member().username(), "user.login", "user", ok.member().username(),
                    Map.of("client", client, "method", "oidc"));
            return new Outcome.Accepted(ok.member(), token);
        }
        return outcome;
    }

    /** An API call with the provider's access token: the same account, no session. */
    @Transactional
    public Outcome bearer(ProviderClaims who, String client) {
        return member(who, client, "api");
    }

    /** Whether a fresh provider sign-in is {@code username}'s own account (step-up must not change who decides). */
    @Transactional
    public boolean isAccountOf(ProviderClaims who, String username) {
        return linked(who).map(u -> u.username.equals(username)).orElse(false);
    }

    /** The account tied to this issuer and subject, if the person signed in before. */
    private static Optional<AppUser> linked(ProviderClaims who) {
        return AppUser.<AppUser>find("oidcIssuer = ?1 and oidcSubject = ?2", who.issuer(), who.subject())
                .firstResultOptional();
    }

    private Outcome member(ProviderClaims who, String client, String channel) {
        Optional<AppUser> linked = linked(who);
        if (linked.isPresent() && linked.get().disabled) {
            return refuse(linked.get().username, client, channel, "account disabled", Text.of("sso.refusedDisabled"));
        }
        if (who.roles().isEmpty()) {
            return refuse(who.preferredName(), client, channel, "no role at the provider",
                    Text.of("sso.refusedNoRole", settings.rolesClaimName()));
        }
        if (linked.isPresent()) {
            AppUser user = linked.get();
            String now = Role.toStored(who.roles());
            if (!now.equals(user.roles)) {
                String before = user.roles;
                user.roles = now;
                basicCache.forget(user.id);
                audit.record(AuditLog.SYSTEM, "user.roles_changed", "user", user.username,
                        Map.of("before", before, "after", now, "source", "provider"));
            }
            return new Outcome.Accepted(new Member(user.id, user.username, who.roles(), false), null);
        }
        String name = UserService.normalize(who.preferredName());
        if (UserService.usernameProblem(name) != null) {
            return refuse(name, client, channel, "name not usable", Text.of("sso.refusedNameForm", who.preferredName()));
        }
        users.lockUsers();
        if (AppUser.findByUsername(name).isPresent()) {
            // never join a provider's account to an existing password account by name: that is how accounts are taken
            return refuse(name, client, channel, "name taken", Text.of("sso.refusedNameTaken", name));
        }
        AppUser user = new AppUser();
        user.username = name;
        byte[] unusable = new byte[24];
        RANDOM.nextBytes(unusable);
        user.passwordHash = passwords.hash(Base64.getEncoder().encodeToString(unusable));
        user.roles = Role.toStored(who.roles());
        user.oidcIssuer = who.issuer();
        user.oidcSubject = who.subject();
        user.createdAt = clock.instant();
        user.createdBy = AuditLog.SYSTEM;
        user.persistAndFlush();
        audit.record(AuditLog.SYSTEM, "user.created", "user", name,
                Map.of("roles", user.roles, "source", "provider", "channel", channel));
        return new Outcome.Accepted(new Member(user.id, user.username, who.roles(), false), null);
    }

    private Outcome refuse(String name, String client, String channel, String reason, Text text) {
        audit.record(AuditLog.ANONYMOUS, "user.login_failed", "user", name,
                Map.of("client", client, "channel", channel, "method", "oidc", "reason", reason));
        return new Outcome.Refused(text);
    }
}
