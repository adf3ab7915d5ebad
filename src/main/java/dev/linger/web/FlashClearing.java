package dev.linger.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Once a page carrying the flash message has been sent, the message is spent. */
public class FlashClearing {

    @ServerResponseFilter
    public void clear(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getCookies().containsKey(Flash.COOKIE) && response.getStatus() < 300
                && !response.getHeaders().containsKey(HttpHeaders.SET_COOKIE)) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, Flash.cleared());
        }
    }
}
