package dev.linger.login;

import java.util.Set;

import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

final class Identities {

    private Identities() {
    }

    static SecurityIdentity of(String username, Set<Role> roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(username))
                .addRoles(Role.effective(roles))
                .build();
    }
}
