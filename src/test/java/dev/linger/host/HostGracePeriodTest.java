package dev.linger.host;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 12 item 13: a host added with a typo does not page the on-call before its grace period ends. */
@QuarkusTest
class HostGracePeriodTest {

    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    @Test
    void aNewHostNeverReachedOpensNoIncidentUntilThreeAttemptsAndFiveMinutesHavePassed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once it is closed: every attempt is refused
        }
        String name = "typo-" + UUID.randomUUID().toString().substring(0, 8);
        long host = ((Number) admin().body(Map.of("name", name, "address", "127.0.0.1", "sshPort", closed,
                "transport", "SSH")).post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();

        for (int attempt = 1; attempt <= 4; attempt++) { // the fourth is still inside the 5 minutes
            admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200).body("ok", equalTo(false))
                    .body("host.status", equalTo("UNKNOWN"));
            assertEquals(0, incidents(host), "attempt " + attempt + " is in the grace period");
            assertEquals(0, Sql.count("SELECT count(*) FROM notification n JOIN incident i ON i.id = n.incident_id"
                    + " WHERE i.host_id = ?", host), "no webhook either");
        }
        Browser en = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        en.get("/hosts/" + host).then().statusCode(200).body(containsString("Never reached yet. Last attempt: "),
                containsString("(4 attempt(s) so far)"));
        en.acceptLanguage("zh-CN").get("/hosts/" + host).then().statusCode(200)
                .body(containsString("尚未连上过。最近一次尝试："), containsString("目前已尝试 4 次"));

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200).body("ok", equalTo(false))
                .body("host.status", equalTo("UNREACHABLE"));
        assertEquals(1, incidents(host), "the grace period is over: the host pages now");
        assertEquals(1, Sql.count("SELECT count(*) FROM notification n JOIN incident i ON i.id = n.incident_id"
                + " WHERE i.host_id = ?", host));
    }

    @Test
    void fiveMinutesAloneDoNotEndTheGraceBeforeThreeAttempts() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String name = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        long host = ((Number) admin().body(Map.of("name", name, "address", "127.0.0.1", "sshPort", closed,
                "transport", "SSH", "collectIntervalSeconds", 3600)).post("/api/v1/hosts").then().statusCode(201)
                .extract().path("id")).longValue();
        clock.advance(Duration.ofHours(2));
        for (int attempt = 1; attempt <= 3; attempt++) {
            admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200).body("ok", equalTo(false));
            assertEquals(0, incidents(host), "attempt " + attempt + " of a host with a long interval");
        }
        admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200);
        assertEquals(1, incidents(host));
    }

    private static long incidents(long host) {
        return Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND kind = 'HOST_UNREACHABLE'", host);
    }
}
