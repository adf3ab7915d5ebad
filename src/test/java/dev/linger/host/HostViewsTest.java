package dev.linger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.SnapshotStore.StatesAt;

/** The pure pieces of the host page: chart, socket table, process explanations. */
class HostViewsTest {

    @Test
    void theChartDrawsTheNotableSeriesByPeakAndLeavesQuietStatesOut() {
        Instant t0 = Instant.parse("2026-11-25T03:00:00Z");
        List<StatesAt> points = List.of(
                new StatesAt(t0, List.of(new StateCount(9080, false, "CLOSE-WAIT", 3), new StateCount(22, false, "ESTAB", 900))),
                new StatesAt(t0.plusSeconds(30), List.of(new StateCount(9080, false, "CLOSE-WAIT", 23),
                        new StateCount(9081, false, "FIN-WAIT-1", 5), new StateCount(443, true, "CLOSE-WAIT", 2))));
        StateChart.Chart chart = StateChart.render(points, 760, 240);
        assertFalse(chart.empty());
        assertEquals(List.of(":9080 CLOSE-WAIT", ":9081 FIN-WAIT-1", ":443 (remote) CLOSE-WAIT"),
                chart.series().stream().map(StateChart.Series::label).toList());
        assertEquals(23, chart.series().get(0).latest());
        assertEquals(3, chart.svg().split("<polyline", -1).length - 1);
        assertFalse(chart.svg().contains("ESTAB"));
        assertTrue(chart.svg().contains("<title id=\"chart-title\">Sockets per port and state, 03:00 to 03:00 UTC</title>"));
    }

    @Test
    void aChartWithNothingNotableSaysSo() {
        assertTrue(StateChart.render(List.of(), 760, 240).empty());
        assertTrue(StateChart.render(List.of(new StatesAt(Instant.EPOCH, List.of(new StateCount(22, false, "LISTEN", 1)))),
                760, 240).empty());
    }

    @Test
    void theSocketTableSortsPagesAndClamps() {
        List<NotableSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 10_050; i++) {
            sockets.add(new NotableSocket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:" + (40000 + i), i % 7, 0, null,
                    null, null, 0, 1000 + i, i % 2 == 0 ? new Owner(4242, 4242, "java", "S", 1) : null));
        }
        SocketTable.Page first = SocketTable.page(sockets, null, null, null);
        assertEquals("recvq", first.sort());
        assertTrue(first.descending());
        assertEquals(6, first.rows().get(0).recvQ());
        assertEquals(101, first.pages());
        assertEquals(100, first.rows().size());
        SocketTable.Page last = SocketTable.page(sockets, "peer", "asc", 9999);
        assertEquals(101, last.page());
        assertEquals(50, last.rows().size());
        assertEquals(10_001, last.from());
        assertEquals(10_050, last.to());
        SocketTable.Page bogus = SocketTable.page(sockets, "'; drop table", "sideways", -3);
        assertEquals("recvq", bogus.sort());
        assertEquals(1, bogus.page());
    }

    @Test
    void processesAreExplainedInPlainWords() {
        assertEquals("defunct leader: main thread exited, 1 live thread still holds 3 sockets; ps and ss -p show no"
                + " owner for them. Only ending the whole process (pid 77) frees them.",
                ProcessExplanation.explain(new ProcessInfo(77, 1, "Z", 2, "server"), 3, null));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(79, 500, "Z", 1, "x"), 0, null)
                .contains("its parent pid 500 (not seen by this collection) has not reaped it yet"));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(80, 1, "S", 4, "java"), 1, null).startsWith("orphan"));
        assertEquals("defunct leader: main thread exited while 1 other thread(s) live on; it holds no notable socket now.",
                ProcessExplanation.explain(new ProcessInfo(81, 1, "Z", 2, "x"), 0, null));
    }

    /** Issue 12 item 19: pid 1 is not always an init that reaps (here it is process_api, in a lab host sshd). */
    @Test
    void aZombieNamesItsParentInsteadOfPromisingThatInitReapsIt() {
        ProcessInfo pid1 = new ProcessInfo(1, 0, "S", 3, "process_api");
        String zombie = ProcessExplanation.explain(new ProcessInfo(78, 1, "Z", 1, "x"), 0, pid1);
        assertEquals("zombie: it has exited and holds no sockets; its parent process_api (pid 1) has not reaped it"
                + " yet. Only pid 1 can reap it: if it stays, pid 1 does not reap its children.", zombie);
        assertFalse(zombie.contains("init"));
        assertEquals("zombie: it has exited and holds no sockets; its parent sshd (pid 500) has not reaped it yet."
                + " Restarting or signalling the parent clears it.",
                ProcessExplanation.explain(new ProcessInfo(79, 500, "Z", 1, "x"), 0, new ProcessInfo(500, 1, "S", 1, "sshd")));
        assertEquals("orphan: its parent is gone, so it was re-parented to process_api (pid 1); it holds 1 socket"
                + " listed below.", ProcessExplanation.explain(new ProcessInfo(80, 1, "S", 4, "java"), 1, pid1));
        assertFalse(ProcessExplanation.explain(new ProcessInfo(78, 1, "Z", 1, "x"), 0, null).contains("init"));
    }
}
