package dev.linger.sso;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * RP-initiated logout: where to send the browser so that the provider's session ends too. The provider's
 * {@code end_session_endpoint} comes from its discovery document, read when first needed and kept; when the
 * provider cannot be reached, signing out of Linger still works and says the provider's session may remain.
 */
@ApplicationScoped
public class ProviderLogout {

    private static final Logger LOG = Logger.getLogger(ProviderLogout.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final OidcSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final AtomicReference<String> endpoint = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper();

    ProviderLogout(OidcSettings settings) {
        this.settings = settings;
    }

    /**
     * The provider's logout address for this ID token, returning to {@code afterLogout} (registered at the
     * provider as a post-logout redirect URI); empty when the provider does not say where, or cannot be reached.
     */
    public Optional<URI> uri(String idToken, String afterLogout) {
        Optional<String> end = endSessionEndpoint();
        if (end.isEmpty()) {
            return Optional.empty();
        }
        String base = end.get();
        return Optional.of(URI.create(base + (base.contains("?") ? "&" : "?")
                + "id_token_hint=" + enc(idToken)
                + "&client_id=" + enc(settings.clientId())
                + "&post_logout_redirect_uri=" + enc(afterLogout)));
    }

    private Optional<String> endSessionEndpoint() {
        String known = endpoint.get();
        if (known != null || settings.issuer().isEmpty()) {
            return Optional.ofNullable(known);
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(settings.issuer().get() + "/.well-known/openid-configuration")).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("the provider's discovery document answered %d; signing out of Linger only",
                        response.statusCode());
                return Optional.empty();
            }
            JsonNode found = json.readTree(response.body()).get("end_session_endpoint");
            if (found == null || !found.isTextual()) {
                return Optional.empty();
            }
            endpoint.set(found.asText());
            return Optional.of(found.asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warnf("the provider could not be reached to end its session (%s); signing out of Linger only",
                    e.toString());
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
