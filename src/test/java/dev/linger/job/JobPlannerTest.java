package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.linger.runbook.Risk;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.RunbookVersion;
import dev.linger.runbook.Step;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Transport;

/** The plan approvers vouch for: what its hash covers. */
class JobPlannerTest {

    private static final HostTarget HOST = new HostTarget(1, "web-1", "SSH", "192.0.2.1", 22, "root", false, null);
    /** A host that answers every read with nothing: the plan is built from the runbook alone. */
    private static final Transport SILENT = (host, script, timeout) -> new CommandResult(0, "", "", Duration.ZERO);

    private static JobPlanner.Plan plan(String note) {
        RunbookDefinition definition = new RunbookDefinition("drain by hand", "", Risk.LOW, List.of(), List.of(),
                List.of(RunbookStep.of(new Step.ReadSysctl("net.ipv4.tcp_fin_timeout")), RunbookStep.of(new Step.Note(
                        note))), Set.of());
        // the same runbook version id: only the note differs
        RunbookVersion version = new RunbookVersion(7, "drain-by-hand", 1, 1, false, definition, "", null,
                Instant.EPOCH, "admin", false);
        return JobPlanner.plan(SILENT, HOST, version, definition.bind(Map.of()), null, null, null, Duration.ofSeconds(1));
    }

    @Test
    void twoPlansThatDifferOnlyInANotesTextHaveDifferentHashes() {
        JobPlanner.Plan stop = plan("Stop the load balancer's health checks for web-1, then confirm.");
        JobPlanner.Plan drop = plan("Drop web-1 from the load balancer for good, then confirm.");
        assertEquals("Stop the load balancer's health checks for web-1, then confirm.", stop.steps().get(1).get("note"),
                "the plan carries the note's full text");
        assertNotEquals(stop.hash(), drop.hash(), "an approval of one note must not cover another");
        assertEquals(stop.hash(), plan("Stop the load balancer's health checks for web-1, then confirm.").hash(),
                "the same plan has the same hash");
    }

    @Test
    void anOverrideIsPartOfTheHash() {
        List<Map<String, Object>> steps = List.of(Map.of("n", 1, "type", "READ_SYSCTL", "command", "sysctl -n x"));
        assertNotEquals(JobPlanner.hash(1, 7, Map.of(), steps), JobPlanner.hash(1, 7, Map.of(), steps, "we know"));
        assertNotEquals(JobPlanner.hash(1, 7, Map.of(), steps, "we know"), JobPlanner.hash(1, 7, Map.of(), steps,
                "we do not know"));
    }
}
