package dev.linger.web;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.linger.Forbidden;
import dev.linger.InvalidInput;
import dev.linger.NotFound;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.UiMessages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;

/**
 * Errors as a person or a script needs them: a page for the browser, JSON under /api; never a
 * stack trace. Unexpected failures are logged with a reference the page shows.
 */
public class ErrorPage {

    private static final Logger LOG = Logger.getLogger(ErrorPage.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(int status, String title, String message, String reference);
    }

    /**
     * A refusal of input: in the API, the whole refusal ({@code error}), each field's problem ({@code fields}) in the
     * caller's language and each field's message key ({@code keys}, the same in every language); on a page, the
     * words in the page's language.
     */
    @ServerExceptionMapper
    public Response invalid(InvalidInput e, UriInfo uri) {
        int status = e.isConflict() ? 409 : 400;
        Locale locale = locale(uri);
        if (isApi(uri)) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", e.message(locale), "fields", e.fields(locale), "keys", e.keys())).build();
        }
        return respond(status, e.message(locale), uri, null);
    }

    /**
     * A JSON body with a value of the wrong type or shape ({@code "username": true}, {@code "hostId": 1.9},
     * {@code "roles": "admin"}): refused like any other input, naming the field. Quarkus' own mapper for this
     * answers an empty 400 outside dev mode.
     */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return refusal(JsonRefusals.field(e), JsonRefusals.problem(e), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        // the framework's role check carries no message; Linger's own refusals say what only whom may do
        Text said = e instanceof Forbidden f ? f.text() : Text.of("msg.errorRoleRefused");
        if (e instanceof Forbidden || e.getMessage() == null || e.getMessage().isBlank()) {
            return respond(403, Catalogue.render(said, locale(uri)), said.key(), uri, null);
        }
        return respond(403, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        // Linger's own say what is missing; the framework's say "HTTP 404 Not Found" or "Unable to find matching
        // target resource method" in English only, so the reader gets the catalogue's words instead
        if (e instanceof NotFound nf) {
            return respond(404, nf.message(locale(uri)), nf.text().key(), uri, null);
        }
        return respond(404, texts(uri).errorNothingHere(), uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, Request request) {
        int status = e.getResponse().getStatus();
        if (status == 415 && !isApi(uri) && RequestGuard.changes(request.getMethod())) {
            // Linger's own forms always fit their route: any other body is a forged form
            return RequestGuard.refused(uri);
        }
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (status == 400 && e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatchedJson(mismatch, uri);
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException unreadable) {
            // not JSON at all, or JSON a record cannot be built from: the body as a whole is refused
            return refusal("body", JsonRefusals.unreadable(unreadable), uri);
        }
        String message = switch (status) {
            case 413 -> texts(uri).errorTooLarge();
            case 415 -> texts(uri).errorUnreadableBody();
            default -> e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? texts(uri).errorUnusable()
                    : e.getMessage();
        };
        return respond(status, message, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "Unexpected failure on %s (reference %s)", uri.getPath(), reference);
        return respond(500, texts(uri).errorUnexpected(), uri, reference);
    }

    /** One field's refusal, in the body every API refusal has ({@link #invalid}). */
    private Response refusal(String field, Text problem, UriInfo uri) {
        Locale locale = locale(uri);
        String error = Catalogue.render(Text.of("msg.errorJsonField", field, problem), locale);
        if (!isApi(uri)) {
            return respond(400, error, uri, null);
        }
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", error, "fields",
                Map.of(field, Catalogue.render(problem, locale)), "keys", Map.of(field, problem.key()))).build();
    }

    static boolean isApi(UriInfo uri) {
        String path = uri.getPath();
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The API answers in the caller's Accept-Language (English unless it asks), whatever the page switch says; pages in the page's language. */
    static UiMessages texts(UriInfo uri) {
        return (UiMessages) Catalogue.bundle(UiMessages.class, locale(uri));
    }

    /** The language of this answer: {@link RequestLanguage#apiLocale()} under /api, the page's otherwise. */
    static Locale locale(UriInfo uri) {
        if (!isApi(uri)) {
            return RequestLanguage.currentLocale();
        }
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return Locale.ENGLISH;
        }
        return arc.instance(RequestLanguage.class).get().apiLocale();
    }

    static Response respond(int status, String message, UriInfo uri, String reference) {
        return respond(status, message, null, uri, reference);
    }

    /** As {@link #respond(int, String, UriInfo, String)}; the API's answer also names the message's {@code key}. */
    static Response respond(int status, String message, String key, UriInfo uri, String reference) {
        UiMessages texts = texts(uri);
        String title = switch (status) {
            case 400 -> texts.errorTitle400();
            case 403 -> texts.errorTitle403();
            case 404 -> texts.errorTitle404();
            case 409 -> texts.errorTitle409();
            case 413 -> texts.errorTitle413();
            case 500 -> texts.errorTitle500();
            default -> texts.errorTitleOther(status);
        };
        if (isApi(uri)) {
            // every refusal has "fields" (empty when no single field is at fault), as InvalidInput's do
            Map<String, Object> body = new java.util.LinkedHashMap<>(reference == null
                    ? Map.of("error", message, "status", status, "fields", Map.of())
                    : Map.of("error", message, "status", status, "reference", reference));
            if (key != null) {
                body.put("key", key);
            }
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.page(status, title, message, reference).render()).build();
    }
}
