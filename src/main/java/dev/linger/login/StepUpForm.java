package dev.linger.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Step-up inside the forms of risky decisions ({@code {#stepup id='…' /}}, as {@code inject:stepUp}): whether this
 * person's authentication is too old, and then either a password field in the same form (local accounts) or a
 * link through the provider and back to this page (single sign-on). Pages turn what was typed into a
 * {@link StepUp.Proof} with {@link #proof}.
 */
@Named("stepUp")
@RequestScoped
public class StepUpForm {

    private final SecurityIdentity identity;
    private final StepUp stepUp;
    private final CurrentVertxRequest request;

    StepUpForm(SecurityIdentity identity, StepUp stepUp, CurrentVertxRequest request) {
        this.identity = identity;
        this.stepUp = stepUp;
        this.request = request;
    }

    public boolean needed() {
        return !identity.isAnonymous() && !stepUp.of(identity).fresh();
    }

    /** Signed in through the provider: step-up goes through the provider, not a password. */
    public boolean provider() {
        return SessionStore.Authentication.OIDC.equals(identity.getAttribute(Identities.AUTH_METHOD));
    }

    public long minutes() {
        return stepUp.maxAge().toMinutes();
    }

    /** Through the provider (prompt=login) and back to the page this form is on. */
    public String reauthUrl() {
        RoutingContext http = request.getCurrent();
        String here = http == null ? "/" : http.request().path();
        return "/login/oidc/start?reauth=true&next=" + URLEncoder.encode(here, StandardCharsets.UTF_8);
    }

    /** The session's own proof, for decisions that need no step-up but record how their maker signed in. */
    public StepUp.Proof proofOfSession() {
        return stepUp.of(identity);
    }

    /** Whether a local account must add a code from its authenticator app to the password. */
    public boolean code() {
        String name = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        return name != null && !provider() && dev.linger.user.AppUser.findByUsername(name)
                .map(dev.linger.user.AppUser::hasTotp).orElse(false);
    }

    /** The proof for a decision posted with this form; a password (and code) typed into it is checked here. */
    public StepUp.Proof proof(String password, String code) {
        RoutingContext http = request.getCurrent();
        Cookie session = http == null ? null : http.request().getCookie(LingerAuthenticationMechanism.SESSION_COOKIE);
        return stepUp.confirm(identity, session == null ? null : session.getValue(), password, code,
                http == null ? "unknown" : LingerAuthenticationMechanism.clientAddress(http));
    }
}
