package dev.linger.collect;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.linger.LingerConfig;
import dev.linger.Sql;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.LocalTransport;
import dev.linger.transport.SshTransport;
import dev.linger.transport.TransportFailure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The collection parses the collector's output while it arrives over SSH (issue 14, "stream, don't buffer"), against
 * a real lab host: sshd in a network namespace whose kernel holds 60 CLOSE-WAIT sockets of one process, more than one
 * group keeps as samples. The streamed parse must equal the parse of the whole text, and the transport's exit code,
 * stderr and output limit must work as for a buffered run.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamedCollectionLabTest {

    private static final int LEAKS = 60;

    @Inject
    SshTransport ssh;
    @Inject
    LocalTransport local;
    @Inject
    CollectorScript script;
    @Inject
    CollectionService collection;
    @Inject
    LingerConfig config;

    private LabHost lab;
    private Fault leak;
    private HostTarget target;

    @BeforeAll
    void startLab() {
        lab = LingerTestKey.labHost("stream");
        leak = lab.closeWait(9080, LEAKS);
        target = new HostTarget(-14, lab.namespace(), "SSH", lab.address(), lab.sshPort(), lab.user(), false,
                lab.hostKeyFingerprint());
    }

    @AfterAll
    void stopLab() {
        if (ssh != null && target != null) {
            ssh.forget(target.hostId());
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theStreamedCollectorOutputParsesAsTheWholeTextAndKeepsNoneOfIt() throws Exception {
        CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
        CommandResult streamed = ssh.stream(target, script.text(), Duration.ofSeconds(20), parser);
        CollectorOutput out = parser.finish();
        CollectorOutput whole = CollectorOutputParser.parse(ssh.run(target, script.text(), Duration.ofSeconds(20))
                .stdout());

        assertEquals(0, streamed.exitCode(), streamed.stderr());
        assertEquals("", streamed.stdout(), "the transport kept none of the output");
        assertTrue(parser.received() > 1000, "bytes arrived: " + parser.received());
        assertTrue(out.complete(), out.problems().toString());
        assertEquals(List.of(), out.problems());
        assertEquals(whole.states(), out.states(), "the same kernel tables, read twice");
        assertEquals(whole.groups(), out.groups());
        SocketGroup group = out.groups().stream().filter(g -> g.port() == 9080 && g.state().equals("CLOSE-WAIT"))
                .findFirst().orElseThrow();
        assertEquals(LEAKS, group.count(), "every leaked socket counted");
        assertEquals(8L * LEAKS, group.recvQ(), "7 unread bytes and the FIN each");
        assertEquals(leak.pid(), group.owner().pid());
        assertEquals("S", group.owner().processState());
        assertEquals(SocketGroups.SAMPLES_PER_GROUP,
                out.sockets().stream().filter(s -> s.local().endsWith(":9080") && s.state().equals("CLOSE-WAIT"))
                        .count(), "only samples kept");
    }

    @Test
    void exitCodeAndStderrComeBackAndACutOutputIsIncomplete() throws Exception {
        CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
        CommandResult result = ssh.stream(target, "echo '==linger:meta=='; echo 'format 3'; echo oops >&2; exit 3",
                Duration.ofSeconds(20), parser);
        CollectorOutput out = parser.finish();

        assertEquals(3, result.exitCode());
        assertEquals("oops", result.stderr().strip());
        assertFalse(out.complete());
        assertEquals(3, out.meta().format());
        assertTrue(out.problems().contains("output is incomplete (truncated?)"), out.problems().toString());
    }

    @Test
    void outputPastTheLimitStopsReachingTheParserAndFailsAsTooLarge() {
        long limit = config.collect().maxOutputBytes();
        CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
        // lines of 100 bytes, a megabyte more than the limit allows
        String flood = "yes '" + "x".repeat(99) + "' | head -c " + (limit + 1_000_000);
        long start = System.nanoTime();

        TransportFailure failure = assertThrows(TransportFailure.class,
                () -> ssh.stream(target, flood, Duration.ofSeconds(90), parser));

        assertEquals(TransportFailure.Kind.OUTPUT_TOO_LARGE, failure.kind(),
                failure.getMessage() + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(parser.received() <= limit, parser.received() + " bytes reached the parser, limit " + limit);
    }

    @Test
    void theLocalTransportStreamsTooWithinTheSameLimit() throws Exception {
        HostTarget machine = new HostTarget(-15, "local", "LOCAL", null, 22, null, false, null);
        CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
        CommandResult result = local.stream(machine, script.text(), Duration.ofSeconds(20), parser);
        CollectorOutput out = parser.finish();

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertTrue(out.complete(), out.problems().toString());
        assertTrue(out.problems().stream().allMatch(p -> p.startsWith("collector: ")),
                "only what the collector itself could not read: " + out.problems());

        long limit = config.collect().maxOutputBytes();
        CollectorOutputParser.Streaming flooded = CollectorOutputParser.streaming();
        TransportFailure failure = assertThrows(TransportFailure.class, () -> local.stream(machine,
                "yes '" + "x".repeat(99) + "' | head -c " + (limit + 1_000_000), Duration.ofSeconds(60), flooded));
        assertEquals(TransportFailure.Kind.OUTPUT_TOO_LARGE, failure.kind(), failure.getMessage());
        assertTrue(flooded.received() <= limit, flooded.received() + " bytes reached the parser, limit " + limit);
    }

    @Test
    void aScheduledCollectionOfTheLabHostStoresExactGroupsAndBoundedSamples() {
        int hostId = admin().body(Map.of("name", "stream-" + lab.namespace(), "address", lab.address(),
                "sshUser", lab.user(), "collectIntervalSeconds", 3600))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id");
        assertFalse(collection.collectNow(hostId).orElseThrow().ok(), "the host key is not trusted yet");
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId + "/host-key/trust")
                .then().statusCode(200).body("hostKey.status", equalTo("TRUSTED"));

        CollectionService.Outcome outcome = collection.collectNow(hostId).orElseThrow();

        assertTrue(outcome.ok(), outcome.error());
        JsonPath s = admin().get("/api/v1/hosts/" + hostId + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(LEAKS, s.getInt("states.find { it.port == 9080 && it.state == 'CLOSE-WAIT' && !it.remote }.count"));
        assertEquals(SocketGroups.SAMPLES_PER_GROUP,
                s.getList("sockets.findAll { it.state == 'CLOSE-WAIT' && it.local.endsWith(':9080') }").size());
        assertEquals(LEAKS, Sql.count("""
                SELECT (g->>'count')::bigint FROM snapshot, jsonb_array_elements(groups) g
                WHERE id = ? AND (g->>'port')::int = 9080 AND g->>'state' = 'CLOSE-WAIT'""", outcome.snapshotId()));
        assertEquals(null, Sql.text("SELECT last_error FROM host WHERE id = ?", (long) hostId));
    }
}
