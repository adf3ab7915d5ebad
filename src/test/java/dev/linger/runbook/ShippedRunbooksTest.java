package dev.linger.runbook;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput;
import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;
import dev.linger.incident.IncidentKind;
import io.quarkus.test.junit.QuarkusTest;

/** The runbooks Linger ships with: stored by a migration, valid by the step rules, rendering their exact commands. */
@QuarkusTest
class ShippedRunbooksTest {

    @Inject
    RunbookService runbooks;

    @Test
    void theMigrationShipsSixRunbooksThatPassTheStepRules() {
        List<RunbookVersion.Summary> shipped = runbooks.list().stream().filter(RunbookVersion.Summary::shipped).toList();
        assertEquals(List.of("close-wait-owner-triage", "fin-wait1-drain-orphans", "kill-close-wait-sockets",
                "kill-fin-wait1-sockets", "tcp-keepalive-persistent", "tcp-keepalive-runtime"),
                shipped.stream().map(RunbookVersion.Summary::slug).sorted().toList());
        // reading a version runs it through RunbookDefinition.check: a bad shipped step would throw here
        // tcp-keepalive-persistent got version 2 at HIGH, its risk floor (issue 12 item 3)
        shipped.forEach(s -> assertEquals(s.slug().equals("tcp-keepalive-persistent") ? 2 : 1,
                runbooks.get(s.slug(), null).version()));
    }

    @Test
    void theOrphanDrainRecordsSetsWaitsRestoresAndVerifies() {
        admin().get("/api/v1/runbooks/fin-wait1-drain-orphans?port=9080").then().statusCode(200)
                .body("slug", equalTo("fin-wait1-drain-orphans")).body("version", equalTo(1))
                .body("risk", equalTo("HIGH")).body("fits", equalTo(List.of("FIN_WAIT1_STUCK")))
                .body("checks.check", equalTo(List.of("ORPHAN_LIMIT_PRESENT")))
                .body("params[0].name", equalTo("port")).body("params[0].from", equalTo("INCIDENT_PORT"))
                .body("steps.type", equalTo(List.of("READ_SYSCTL", "SET_SYSCTL", "WAIT_SOCKETS", "RESTORE_SYSCTL",
                        "VERIFY")))
                .body("steps.command", equalTo(java.util.Arrays.asList("sysctl -n net.ipv4.tcp_max_orphans",
                        "sysctl -w net.ipv4.tcp_max_orphans=0", "ss -Htn state fin-wait-1 '( sport = :9080 )'",
                        "sysctl -w net.ipv4.tcp_max_orphans=<recorded value>", null)))
                .body("steps[1].changes", containsString("System-wide"))
                .body("steps[1].undo.kind", equalTo("AUTOMATIC"))
                .body("steps[2].timeoutSeconds", equalTo(60))
                .body("description", containsString("every orphaned socket on the host dies"))
                .body("description", containsString("Not applicable inside a container or a network namespace"));
    }

    @Test
    void theTargetedKillsTouchOnlyOnePortsSocketsOfOneState() {
        admin().get("/api/v1/runbooks/kill-fin-wait1-sockets?port=9080").then().statusCode(200)
                .body("risk", equalTo("LOW")).body("checks.check", equalTo(List.of("SOCKET_KILL_SUPPORTED")))
                .body("steps[0].command", equalTo("ss -K -Htn state fin-wait-1 '( sport = :9080 )'"))
                .body("steps[0].undo.kind", equalTo("IRREVERSIBLE"));
        admin().get("/api/v1/runbooks/kill-close-wait-sockets").then().statusCode(200)
                .body("risk", equalTo("HIGH"))
                .body("steps[0].command", equalTo("ss -K -Htn state close-wait '( sport = :{port} )'"))
                .body("steps[0].port", equalTo("{port}"));
    }

    @Test
    void keepaliveTuningRendersRuntimeAndPersistentCommandsWithItsDefaults() {
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?port=9080").then().statusCode(200)
                .body("checks.check", equalTo(List.of("KEEPALIVE_IN_USE")))
                .body("steps.command", equalTo(List.of("sysctl -w net.ipv4.tcp_keepalive_time=600",
                        "sysctl -w net.ipv4.tcp_keepalive_intvl=15", "sysctl -w net.ipv4.tcp_keepalive_probes=3")))
                .body("description", containsString("says plainly when none of them has a keepalive timer"));
        admin().get("/api/v1/runbooks/tcp-keepalive-persistent?port=9080&idle_seconds=1200").then().statusCode(200)
                .body("steps[0].type", equalTo("PERSIST_SYSCTL"))
                .body("steps[0].entries", equalTo(Map.of("net.ipv4.tcp_keepalive_time", "{idle_seconds}",
                        "net.ipv4.tcp_keepalive_intvl", "{interval_seconds}",
                        "net.ipv4.tcp_keepalive_probes", "{probes}")))
                .body("steps[0].command", equalTo(Step.refuseSymlinks("/etc/sysctl.d/90-linger-keepalive.conf",
                        "/etc/sysctl.d/90-linger-keepalive.conf.linger-tmp") + "umask 022; printf '%s\\n' 'net.ipv4.tcp_keepalive_time = 1200'"
                        + " 'net.ipv4.tcp_keepalive_intvl = 15' 'net.ipv4.tcp_keepalive_probes = 3'"
                        + " > /etc/sysctl.d/90-linger-keepalive.conf.linger-tmp && mv -f"
                        + " /etc/sysctl.d/90-linger-keepalive.conf.linger-tmp /etc/sysctl.d/90-linger-keepalive.conf"
                        + " && sysctl -p /etc/sysctl.d/90-linger-keepalive.conf"));
    }

    @Test
    void theOwnerTriageIsHighRiskAndSignalsTheOwnerFromTheEvidence() {
        admin().get("/api/v1/runbooks/close-wait-owner-triage?port=9080&pid=4242").then().statusCode(200)
                .body("risk", equalTo("HIGH")).body("fits", hasItems("CLOSE_WAIT_LEAK", "DEFUNCT_OWNER"))
                .body("params.from", equalTo(List.of("INCIDENT_PORT", "OWNER_PID")))
                .body("steps.type", equalTo(List.of("NOTE", "NOTE", "SIGNAL_PROCESS", "WAIT_SOCKETS", "VERIFY")))
                .body("steps[1].text", containsString("defunct leader"))
                .body("steps[0].command", nullValue())
                .body("steps[2].command", equalTo("kill -s TERM 4242"))
                .body("steps[3].command", equalTo("ss -Htn state close-wait '( sport = :9080 )'"));
    }

    @Test
    void badParameterValuesAreRefusedWithTheirName() {
        admin().get("/api/v1/runbooks/close-wait-owner-triage?port=9080&pid=1").then().statusCode(400)
                .body("fields.'params.pid'", containsString("2 to 4194304"));
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?port=70000").then().statusCode(400)
                .body("fields.'params.port'", containsString("1 to 65535"));
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?port=9080&idle_seconds=0").then().statusCode(400)
                .body("fields.params", containsString("from 1 to 32767"));
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?port=9080&colour=red").then().statusCode(400)
                .body("fields.'params.colour'", containsString("no parameter"));
        admin().get("/api/v1/runbooks/no-such-runbook").then().statusCode(404);
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?version=x").then().statusCode(400);
        admin().get("/api/v1/runbooks/tcp-keepalive-runtime?version=9").then().statusCode(404);
    }

    /** The incident kinds point at their runbooks, and each check is judged from a host's latest collection. */
    @Test
    void applicabilityIsJudgedFromTheLatestCollection() {
        assertEquals(List.of("fin-wait1-drain-orphans", "kill-fin-wait1-sockets"),
                runbooks.fitting(IncidentKind.FIN_WAIT1_STUCK).stream().filter(RunbookVersion::shipped)
                        .map(RunbookVersion::slug).sorted().toList());
        RunbookDefinition drain = runbooks.get("fin-wait1-drain-orphans", null).definition();
        RunbookDefinition kill = runbooks.get("kill-fin-wait1-sockets", null).definition();
        RunbookDefinition keepalive = runbooks.get("tcp-keepalive-runtime", null).definition();

        Map<String, String> namespace = new java.util.HashMap<>();
        namespace.put("net.ipv4.tcp_max_orphans", null); // "key ?": the namespace has no such sysctl
        SnapshotView inNamespace = snapshot(namespace, List.of());
        List<Applicability.Verdict> v = Applicability.evaluate(drain, true, inNamespace, 9080);
        assertEquals(Boolean.FALSE, v.get(0).holds());
        assertEquals(dev.linger.i18n.Text.of("step.orphanLimitMissing", "net.ipv4.tcp_max_orphans"), v.get(0).message());
        assertEquals(Boolean.TRUE, Applicability.evaluate(drain, true, snapshot(Map.of("net.ipv4.tcp_max_orphans",
                "65536"), List.of()), 9080).get(0).holds());
        assertEquals(Boolean.FALSE, Applicability.evaluate(kill, false, inNamespace, 9080).get(0).holds());
        assertEquals(null, Applicability.evaluate(kill, null, null, 9080).get(0).holds());

        CollectorOutput.NotableSocket plain = new CollectorOutput.NotableSocket("CLOSE-WAIT", "10.0.0.1:9080",
                "10.0.0.2:5000", 10, 0, null, null, null, 0, 1, null);
        CollectorOutput.NotableSocket withKeepalive = new CollectorOutput.NotableSocket("CLOSE-WAIT", "10.0.0.1:9080",
                "10.0.0.2:5001", 0, 0, "keepalive", 1000L, 0, 0, 2, null);
        Applicability.Verdict none = Applicability.evaluate(keepalive, true, snapshot(Map.of(), List.of(plain)), 9080)
                .get(0);
        assertEquals(Boolean.FALSE, none.holds());
        assertEquals(dev.linger.i18n.Text.of("step.keepaliveNone", 1, 9080), none.message());
        assertEquals("The CLOSE-WAIT socket on port 9080 has no keepalive timer: its program never enabled"
                + " SO_KEEPALIVE, so keepalive settings cannot close it. The fix is the owning process.",
                dev.linger.i18n.Catalogue.render(none.message(), java.util.Locale.ENGLISH));
        assertEquals(Boolean.TRUE, Applicability.evaluate(keepalive, true,
                snapshot(Map.of(), List.of(plain, withKeepalive)), 9080).get(0).holds());

        // issue 14: the socket lines are samples, the groups count every socket and its timer
        SocketGroup many = new SocketGroup(0, 9080, false, "CLOSE-WAIT", null, 25_000, 0, 0, 0, 0, 0, 0, 0,
                Map.of("keepalive", 300L, "none", 24_700L), 0, null);
        SocketGroup outgoing = new SocketGroup(0, 9080, true, "CLOSE-WAIT", null, 100, 0, 0, 0, 0, 0, 0, 0,
                Map.of("none", 100L), 0, null);
        SocketGroup otherPort = new SocketGroup(0, 9081, false, "CLOSE-WAIT", null, 50, 0, 0, 0, 0, 0, 0, 0,
                Map.of("keepalive", 50L), 0, null);
        SnapshotView sampled = new SnapshotView(1, 1, java.time.Instant.now(), 1, "proc", List.of(),
                java.util.Collections.nCopies(20, plain), 25_150, Map.of(), null, List.of(), List.of(), true,
                List.of(), List.of(many, outgoing, otherPort));
        Applicability.Verdict some = Applicability.evaluate(keepalive, true, sampled, 9080).get(0);
        assertEquals(Boolean.TRUE, some.holds(), "no sample has a keepalive timer, 300 sockets do");
        assertEquals(dev.linger.i18n.Text.of("step.keepaliveSome", 300, 25_100, 9080), some.message());
        assertEquals("300 of the 25100 CLOSE-WAIT sockets on port 9080 have a keepalive timer; the others will not"
                + " be affected.", dev.linger.i18n.Catalogue.render(some.message(), java.util.Locale.ENGLISH));
        assertEquals("端口 9080 上的 25100 个 CLOSE-WAIT 套接字中有 300 个带保活定时器；其余的不受影响。",
                dev.linger.i18n.Catalogue.render(some.message(), java.util.Locale.CHINESE));
        assertEquals(null, Applicability.evaluate(keepalive, true, sampled, 9082).get(0).holds(), "none on :9082");
    }

    private static SnapshotView snapshot(Map<String, String> sysctls, List<CollectorOutput.NotableSocket> sockets) {
        return new SnapshotView(1, 1, java.time.Instant.now(), 1, "proc", List.of(), sockets, sockets.size(), sysctls,
                null, List.of(), List.of(), true);
    }
}
