package dev.linger.user;

import jakarta.enterprise.event.Observes;

import dev.linger.LingerConfig;
import io.quarkus.runtime.StartupEvent;

/** The first start of a fresh database creates the admin user, so there is always someone who can sign in. */
public class AdminBootstrap {

    void onStart(@Observes StartupEvent event, UserService users, LingerConfig config) {
        users.bootstrapAdmin(config);
    }
}
