package dev.linger.sso;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak for the sign-in tests, so they go through the provider's own login page, tokens and keys rather
 * than a mock that agrees with whatever Linger expects. The server is the distribution Maven unpacks into
 * target/keycloak (execution keycloak-for-tests in the pom); it runs in dev mode on 127.0.0.1:18180 and starts every
 * time from src/test/resources/keycloak/linger-realm.json: realm linger, client linger, users olivia (operator),
 * april (approver), adele (admin), victor (viewer) and nobody (no group), all with the password {@link #PASSWORD}.
 */
public class KeycloakServer implements QuarkusTestResourceLifecycleManager {

    static final String VERSION = "26.5.6";
    static final int PORT = 18180;
    /** Linger's port in these tests: the client's redirect URIs in the realm file name it. */
    static final int APP_PORT = 18181;

    public static final String REALM = "linger";
    public static final String CLIENT_ID = "linger";
    public static final String CLIENT_SECRET = "linger-test-secret";
    public static final String PASSWORD = "kc-pass-1";
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-kc";

    static final String JAVA_HOME_SETTING = "LINGER_KEYCLOAK_JAVA_HOME";
    static final Path DEFAULT_JAVA_HOME = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process process;
    private Thread shutdownHook;

    public static String issuer() {
        return BASE + "/realms/" + REALM;
    }

    @Override
    public Map<String, String> start() {
        Path target = Path.of("target").toAbsolutePath();
        Path home = target.resolve("keycloak").resolve("keycloak-" + VERSION);
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak at " + home + ": `./mvnw process-test-resources` unpacks it"
                    + " (execution keycloak-for-tests in pom.xml)");
        }
        Path javaHome = javaHome();
        if (listening()) {
            // otherwise the wait below would take an old server, with an old realm, for the new one
            throw new IllegalStateException("Something already listens on 127.0.0.1:" + PORT
                    + " (a Keycloak left from an earlier run? see target/keycloak.log); stop it first");
        }
        freshData(home);

        Path log = target.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + PORT, "--http-host=127.0.0.1", "--import-realm", "--hostname-strict=false")
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // the developer's own Keycloak or Quarkus settings must not reach the test server
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("QUARKUS_") || k.startsWith("JAVA_OPTS")
                || k.startsWith("KEYCLOAK_"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // jboss-threads needs it on Java 24+, else every shutdown prints an IllegalAccessError; harmless on 21
        env.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keycloak: " + e.getMessage(), e);
        }
        shutdownHook = new Thread(this::stop, "keycloak-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook); // a test JVM that is killed takes its Keycloak along

        awaitRealm(log);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("linger.oidc.issuer", issuer());
        config.put("linger.oidc.client-id", CLIENT_ID);
        config.put("linger.oidc.client-secret", CLIENT_SECRET);
        config.put("linger.oidc.roles-claim", "groups");
        config.put("linger.oidc.role-map",
                "linger-viewers=viewer,linger-operators=operator,linger-approvers=approver,linger-admins=admin");
        config.put("quarkus.http.test-port", String.valueOf(APP_PORT));
        return config;
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // kc.sh runs Keycloak as its child (or execs into it after re-augmenting): end the whole tree
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().collect(Collectors.toList()));
        tree.forEach(ProcessHandle::destroy);
        root.destroy();
        tree.add(root);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process = null;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway and finds nothing left to stop
            }
        }
        shutdownHook = null;
    }

    /** An access token for the user, by the password grant: for calls to Linger's API with a bearer token. */
    public static String accessToken(String user, String password) {
        JsonNode answer = postForm(issuer() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "username", user, "password", password, "scope", "openid"));
        if (!answer.hasNonNull("access_token")) {
            throw new IllegalStateException("Keycloak gave " + user + " no access token: " + answer);
        }
        return answer.get("access_token").asText();
    }

    /**
     * Makes the user's groups at the provider exactly these (top-level group names), so a test can take a role away
     * or give one without Linger knowing.
     */
    public static void setGroups(String username, String... groups) {
        String token = postForm(BASE + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", ADMIN, "password", ADMIN_PASSWORD))
                .path("access_token").asText();
        String admin = BASE + "/admin/realms/" + REALM;
        JsonNode found = send(token, "GET", admin + "/users?exact=true&username=" + encode(username));
        if (found.size() != 1) {
            throw new IllegalStateException("Keycloak has no user " + username + " in realm " + REALM);
        }
        String user = admin + "/users/" + found.get(0).path("id").asText();

        Map<String, String> idsByName = new HashMap<>();
        send(token, "GET", admin + "/groups?briefRepresentation=true&max=1000")
                .forEach(g -> idsByName.put(g.path("name").asText(), g.path("id").asText()));
        Set<String> wanted = Stream.of(groups).map(name -> {
            String id = idsByName.get(name);
            if (id == null) {
                throw new IllegalArgumentException("Realm " + REALM + " has no group " + name + "; it has "
                        + idsByName.keySet());
            }
            return id;
        }).collect(Collectors.toSet());
        Set<String> current = new HashSet<>();
        send(token, "GET", user + "/groups").forEach(g -> current.add(g.path("id").asText()));
        for (String id : current) {
            if (!wanted.contains(id)) {
                send(token, "DELETE", user + "/groups/" + id);
            }
        }
        for (String id : wanted) {
            if (!current.contains(id)) {
                send(token, "PUT", user + "/groups/" + id);
            }
        }
    }

    /** The JDK Keycloak runs on: it needs 21 or newer, while Linger and its tests stay on 17. */
    static Path javaHome() {
        String setting = System.getProperty(JAVA_HOME_SETTING, System.getenv(JAVA_HOME_SETTING));
        Path home = setting == null || setting.isBlank() ? DEFAULT_JAVA_HOME : Path.of(setting);
        String origin = setting == null || setting.isBlank() ? "the default" : JAVA_HOME_SETTING;
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException("Keycloak " + VERSION + " needs a Java 21+ JDK, and " + origin + " " + home
                    + " has no bin/java. Install one (e.g. apt-get install temurin-25-jdk) or point "
                    + JAVA_HOME_SETTING + " (environment or -D) at one.");
        }
        int major = majorVersion(home);
        if (major > 0 && major < 21) {
            throw new IllegalStateException("Keycloak " + VERSION + " needs Java 21+, but " + origin + " " + home
                    + " is Java " + major + ". Install a newer JDK (e.g. temurin-25-jdk) and point "
                    + JAVA_HOME_SETTING + " at it.");
        }
        return home;
    }

    /** The major version from the JDK's release file, or 0 when it cannot tell (then Keycloak itself will). */
    private static int majorVersion(Path home) {
        Properties release = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = release.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Drops the dev database (and the transaction log that belongs to it), so the realm is imported anew:
     * --import-realm skips a realm that exists, and a test that took a group away must not leave it gone.
     */
    private static void freshData(Path home) {
        Path data = home.resolve("data");
        try {
            for (Path dir : List.of(data.resolve("h2"), data.resolve("transaction-logs"))) {
                if (Files.exists(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Path imports = Files.createDirectories(data.resolve("import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/linger-realm.json")) {
                if (realm == null) {
                    throw new IllegalStateException("keycloak/linger-realm.json is not on the test class path");
                }
                Files.copy(realm, imports.resolve("linger-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + data + ": " + e.getMessage(), e);
        }
    }

    private void awaitRealm(Path log) {
        HttpRequest wellKnown = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            // done when the realm is served, or when Keycloak has exited (said below, with its log)
            dev.linger.Waits.upTo(START_TIMEOUT, "Keycloak serving realm " + REALM)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !process.isAlive()
                            || HTTP.send(wellKnown, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("Keycloak did not serve realm " + REALM + " within "
                    + START_TIMEOUT.toSeconds() + " s; the end of " + log + ":\n" + tail(log), e);
        }
        if (!process.isAlive()) {
            int exit = process.exitValue();
            stop();
            throw new IllegalStateException("Keycloak exited with " + exit + " while starting; the end of "
                    + log + ":\n" + tail(log));
        }
    }

    private static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static JsonNode postForm(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return call(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode send(String bearer, String method, String url) {
        return call(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Sends the request; any answer but 2xx fails with Keycloak's own words. */
    private static JsonNode call(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not answer " + request.method() + " " + request.uri()
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted calling Keycloak", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak answered " + request.uri() + " with something not JSON", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
