package dev.linger.token;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** "Whom does this API token speak for?" Its {@link #toString()} never shows the token. */
public class TokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public TokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "TokenRequest[" + TokenFormat.shown(token) + "…]";
    }
}
