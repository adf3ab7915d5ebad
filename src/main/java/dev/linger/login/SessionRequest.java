package dev.linger.login;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** "Who holds this session cookie?" */
public class SessionRequest extends BaseAuthenticationRequest {

    private final String token;

    public SessionRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
