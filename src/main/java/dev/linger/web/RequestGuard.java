package dev.linger.web;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Page requests that change something must come from Linger's own forms, whatever they carry: a form body
 * (url-encoded or multipart) with the token of this session ({@link CsrfToken}). Anything else — no body, JSON,
 * text/plain, a form without the token, a token of another session — is refused with a 403 page before any
 * resource runs, so nothing changes and nothing is audited. The JSON API is guarded by {@link SecurityHeaders}
 * (origin and content type) instead, since scripts send no token.
 * <p>Also keeps a person whose password an admin reset on the account page until they choose their own.
 */
public class RequestGuard {

    @Inject
    SecurityIdentity identity;

    /** Runs before routing, so even a route that would refuse the content type answers 403, not 415. */
    @ServerRequestFilter(preMatching = true, priority = 10)
    public Response formsOnly(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        if (!changes(request.getMethod()) || ErrorPage.isApi(uri)) {
            return null;
        }
        if (!isForm(request.getMediaType())) {
            return refused(uri);
        }
        return null;
    }

    @ServerRequestFilter(priority = 10)
    @WithFormRead
    public Response tokenOfThisSession(ResteasyReactiveContainerRequestContext request, RoutingContext http) {
        UriInfo uri = request.getUriInfo();
        if (!changes(request.getMethod()) || ErrorPage.isApi(uri)) {
            return null;
        }
        Object sent = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                .getFormParameter(CsrfToken.FIELD, true, false);
        String token = sent instanceof FormValue value ? value.getValue() : sent instanceof String s ? s : null;
        if (!isForm(request.getMediaType()) || !CsrfToken.matches(token, CsrfToken.expected(http))) {
            return refused(uri);
        }
        return null;
    }

    /** After a reset by an admin, the only way on is the account page (or signing out). */
    @ServerRequestFilter(priority = 20)
    public Response ownPasswordFirst(ContainerRequestContext request) {
        if (identity.isAnonymous() || !Boolean.TRUE.equals(identity.getAttribute(PASSWORD_RESET_ATTRIBUTE))) {
            return null;
        }
        UriInfo uri = request.getUriInfo();
        String path = uri.getPath();
        if (path.equals("/account") || path.equals("/account/password") || path.equals("/logout")
                || path.equals("/login") || path.equals("/language")) {
            return null;
        }
        if (ErrorPage.isApi(uri)) {
            return ErrorPage.respond(403, dev.linger.i18n.Catalogue.render(
                    dev.linger.i18n.Text.of("sec.passwordResetApi"), ErrorPage.locale(uri)), uri, null);
        }
        return Response.seeOther(URI.create("/account")).build();
    }

    /** When an admin requires codes of approvers and admins: the Account page until they set theirs up. */
    @ServerRequestFilter(priority = 21)
    public Response codesFirst(ContainerRequestContext request) {
        if (identity.isAnonymous() || !Boolean.TRUE.equals(identity.getAttribute(CODES_REQUIRED_ATTRIBUTE))) {
            return null;
        }
        UriInfo uri = request.getUriInfo();
        String path = uri.getPath();
        if (path.equals("/account") || path.startsWith("/account/totp/") || path.equals("/logout")
                || path.equals("/login") || path.equals("/language")) {
            return null;
        }
        if (ErrorPage.isApi(uri)) {
            return ErrorPage.respond(403, dev.linger.i18n.Catalogue.render(
                    dev.linger.i18n.Text.of("sso.codesRequired"), ErrorPage.locale(uri)), uri, null);
        }
        return Response.seeOther(URI.create("/account#codes")).build();
    }

    /** Set on the identity of a person who must set up sign-in codes before anything else. */
    public static final String CODES_REQUIRED_ATTRIBUTE = "linger.codes-required";

    /** Set on the identity of a person who must replace a password an admin gave them. */
    public static final String PASSWORD_RESET_ATTRIBUTE = "linger.password-reset";

    static boolean changes(String method) {
        return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method);
    }

    static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    static Response refused(UriInfo uri) {
        return ErrorPage.respond(403, ErrorPage.texts(uri).errorFormExpired(), uri, null);
    }
}
