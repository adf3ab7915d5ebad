package dev.linger.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in person, for templates ({@code inject:me}) and page classes. */
@Named("me")
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public String name() {
        return signedIn() ? identity.getPrincipal().getName() : null;
    }

    public boolean admin() {
        return identity.hasRole(Role.ADMIN_ID);
    }

    public boolean operator() {
        return identity.hasRole(Role.OPERATOR_ID);
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }
}
