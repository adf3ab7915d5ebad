package dev.linger.login;

import java.util.Set;

import dev.linger.user.Role;
import dev.linger.web.RequestGuard;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

final class Identities {

    private Identities() {
    }

    static SecurityIdentity of(String username, Set<Role> roles, boolean mustChangePassword) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(username))
                .addRoles(Role.effective(roles))
                .addAttribute(RequestGuard.PASSWORD_RESET_ATTRIBUTE, mustChangePassword)
                .build();
    }
}
