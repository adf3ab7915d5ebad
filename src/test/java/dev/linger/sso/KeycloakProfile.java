package dev.linger.sso;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.linger.MovableClock;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Linger signed in to a real Keycloak (started by {@link KeycloakServer}, realm from
 * {@code src/test/resources/keycloak/linger-realm.json}), a clock the tests move for step-up, and no job workers
 * (the tests decide jobs, they do not run them).
 */
public class KeycloakProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MovableClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("linger.jobs.workers", "0", "linger.oidc.provider-name", "Keycloak");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakServer.class));
    }
}
