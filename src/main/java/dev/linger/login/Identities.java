package dev.linger.login;

import java.time.Instant;
import java.util.Set;

import dev.linger.user.Role;
import dev.linger.web.RequestGuard;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** The identities Linger builds: a Linger user name and Linger roles, whichever way the person came in. */
public final class Identities {

    /** How the person authenticated: password, password+totp, oidc, basic, token (a String). */
    public static final String AUTH_METHOD = "linger.auth-method";
    /** When they last proved who they are (an Instant): the session's sign-in or step-up, or now for Basic. */
    public static final String AUTHENTICATED_AT = "linger.authenticated-at";

    private Identities() {
    }

    public static SecurityIdentity of(String username, Set<Role> roles, boolean mustChangePassword, String authMethod,
            Instant authenticatedAt) {
        return of(username, roles, mustChangePassword, authMethod, authenticatedAt, false);
    }

    public static SecurityIdentity of(String username, Set<Role> roles, boolean mustChangePassword, String authMethod,
            Instant authenticatedAt, boolean mustSetUpCodes) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(username))
                .addRoles(Role.effective(roles))
                .addAttribute(RequestGuard.PASSWORD_RESET_ATTRIBUTE, mustChangePassword)
                .addAttribute(RequestGuard.CODES_REQUIRED_ATTRIBUTE, mustSetUpCodes)
                .addAttribute(AUTH_METHOD, authMethod)
                .addAttribute(AUTHENTICATED_AT, authenticatedAt)
                .build();
    }
}
