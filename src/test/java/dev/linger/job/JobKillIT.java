package dev.linger.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.linger.lab.Fault;
import io.restassured.specification.RequestSpecification;

/**
 * The worst night for a job runner: Linger is killed (kill -9) while a job holds
 * tcp_max_orphans at 0. Runs the packaged Linger as a process of its own, on a database of its
 * own and Linger's machine as its LOCAL host (root needed; CI runs as root), and checks that the
 * host-side guard put the value back by itself, that the restarted Linger marks the job
 * INTERRUPTED without running it again, and that its recorded changes roll back.
 */
class JobKillIT {

    static final Path LIMIT = Path.of("/proc/sys/net/ipv4/tcp_max_orphans");
    static final String DB = "linger_kill_it";
    static final String PASSWORD = "kill-it-admin-password";

    private Process linger;
    private int port;
    private String before;
    private Path log;

    @Test
    void aGuardedChangeSurvivesTheDeathOfLingerAndTheJobIsInterruptedThenRolledBack() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("target/quarkus-app/quarkus-run.jar")),
                "THE PACKAGED LINGER IS MISSING: run through `./mvnw verify`, which packages before this test");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "THIS TEST NEEDS ROOT (it sets net.ipv4.tcp_max_orphans on this machine); CI runs it as root");
        before = Files.readAllLines(LIMIT).get(0).strip();
        recreateDatabase();
        port = freePort();
        log = Files.createTempFile("linger-kill-it-", ".log");
        start();
        try (Fault waiting = Fault.onThisMachine("close-wait", 19301, 2)) {
            given().auth().preemptive().basic("admin", PASSWORD).contentType("application/json")
                    .body(Map.of("username", "kill-op", "password", "operator password 1", "roles", List.of("operator")))
                    .post(url("/api/v1/users")).then().statusCode(201);
            for (String a : List.of("kill-ap1", "kill-ap2")) {
                api().body(Map.of("username", a, "password", "approver password 1", "roles", List.of("approver")))
                        .post(url("/api/v1/users")).then().statusCode(201);
            }
            // zero orphans while the job waits on sockets that never go (a live process holds them)
            api().body(Map.of("slug", "orphans-zero-while-waiting", "title", "Orphan limit 0 while waiting", "risk",
                    "HIGH", "steps", List.of(
                            Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", "0"),
                            Map.of("type", "WAIT_SOCKETS", "state", "CLOSE_WAIT", "port", 19301, "pollSeconds", 1,
                                    "timeoutSeconds", 5),
                            Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans"))))
                    .post(url("/api/v1/runbooks")).then().statusCode(201);
            long local = ((Number) api().get(url("/api/v1/hosts")).then().extract().jsonPath()
                    .get("find { it.transport == 'LOCAL' }.id")).longValue();
            long job = ((Number) as("kill-op", "operator password 1").body(Map.of("runbook",
                    "orphans-zero-while-waiting", "hostId", local, "reason", "kill -9 test"))
                    .post(url("/api/v1/jobs")).then().statusCode(201).extract().path("id")).longValue();
            for (String a : List.of("kill-ap1", "kill-ap2")) {
                as(a, "approver password 1").body(Map.of("decision", "APPROVE")).post(url("/api/v1/jobs/" + job
                        + "/approvals")).then().statusCode(200);
            }
            await("the job to wait on its sockets", Duration.ofSeconds(20),
                    () -> "RUNNING".equals(stepStatus(job, 2)));
            assertEquals("0", Files.readAllLines(LIMIT).get(0).strip(), "the dangerous value is in place");

            Instant killed = Instant.now();
            new ProcessBuilder("kill", "-9", String.valueOf(linger.pid())).start().waitFor();
            linger.waitFor();
            // bound = guard slack 3 s + the 5 s wait after the change
            await("the host-side guard to restore tcp_max_orphans", Duration.ofSeconds(20),
                    () -> before.equals(read()));
            long restoredAfter = Duration.between(killed, Instant.now()).toSeconds();
            assertTrue(restoredAfter <= 12, "restored " + restoredAfter + " s after the kill");

            start();
            await("the restarted Linger to mark the job INTERRUPTED", Duration.ofSeconds(30),
                    () -> "INTERRUPTED".equals(status(job)));
            assertEquals(1, count("SELECT count(*) FROM job_step WHERE job_id = " + job + " AND n = 1"),
                    "never run again by itself");
            long rollback = ((Number) as("kill-op", "operator password 1").body(Map.of("reason", "after the crash"))
                    .post(url("/api/v1/jobs/" + job + "/rollback")).then().statusCode(201).extract().path("id"))
                    .longValue();
            for (String a : List.of("kill-ap1", "kill-ap2")) {
                as(a, "approver password 1").body(Map.of("decision", "APPROVE")).post(url("/api/v1/jobs/" + rollback
                        + "/approvals")).then().statusCode(200);
            }
            await("the rollback to finish", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(rollback)));
            assertEquals(before, read());
            assertEquals(1, count("SELECT count(*) FROM sysctl_change WHERE job_id = " + job
                    + " AND rolled_back_by = " + rollback));
            api().get(url("/api/v1/audit/verify")).then().statusCode(200).body("ok",
                    org.hamcrest.Matchers.equalTo(true));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (linger != null && linger.isAlive()) {
            linger.destroyForcibly().waitFor();
        }
        if (before != null) {
            Files.writeString(LIMIT, before); // never leave the machine without its orphan limit
        }
    }

    private void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("LINGER_ADMIN_PASSWORD", PASSWORD);
        env.put("LINGER_JOBS_LEASE", "3S");
        env.put("LINGER_JOBS_GUARD_SLACK", "3S");
        env.put("LINGER_COLLECT_SCHEDULED", "false");
        linger = pb.start();
        await("Linger to start (log: " + log + ")", Duration.ofSeconds(60), () -> {
            try {
                return given().get(url("/q/health")).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static RequestSpecification api() {
        return as("admin", PASSWORD);
    }

    private static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType("application/json");
    }

    private String status(long job) {
        return api().get(url("/api/v1/jobs/" + job)).then().extract().path("status");
    }

    private String stepStatus(long job, int n) {
        List<Map<String, Object>> steps = api().get(url("/api/v1/jobs/" + job)).then().extract().path("steps");
        return steps.stream().filter(s -> ((Number) s.get("n")).intValue() == n).map(s -> (String) s.get("status"))
                .findFirst().orElse(null);
    }

    private static String read() {
        try {
            return Files.readAllLines(LIMIT).get(0).strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgres", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void recreateDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DB);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        dev.linger.Waits.upTo(timeout, what).pollInterval(Duration.ofMillis(200)).until(done::getAsBoolean);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
