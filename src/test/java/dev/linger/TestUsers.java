package dev.linger;

import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.user.UserService;

/** Creates people with fresh names, so that tests never collide with each other's data. */
@ApplicationScoped
public class TestUsers {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-password";
    public static final String PASSWORD = "correct horse battery";
    /** A step-up proof for tests that call a service directly, as a person who just typed their password. */
    public static final dev.linger.login.StepUp.Proof FRESH = new dev.linger.login.StepUp.Proof("password",
            java.time.Instant.now(), true);

    public record Person(String name, String password) {
    }

    private final UserService users;

    TestUsers(UserService users) {
        this.users = users;
    }

    public Person create(String... roles) {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        users.create("test-setup", name, PASSWORD, Arrays.asList(roles));
        return new Person(name, PASSWORD);
    }
}
