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
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.SnapshotStore.StatesAt;

/** The pieces of the host page: chart, socket table (process explanations: ProcessExplanationTest). */
@io.quarkus.test.junit.QuarkusTest
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

        // the same chart on a Chinese page: title, legend and axis in Chinese, ports and kernel states as they are
        StateChart.Chart zh = StateChart.render(points, 760, 240, java.util.Locale.forLanguageTag("zh"));
        assertEquals(List.of(":9080 CLOSE-WAIT", ":9081 FIN-WAIT-1", ":443（远端） CLOSE-WAIT"),
                zh.series().stream().map(StateChart.Series::label).toList());
        assertTrue(zh.svg().contains("<title id=\"chart-title\">各端口、各状态的套接字数，03:00 至 03:00（UTC）</title>"), zh.svg());
        assertTrue(zh.svg().contains(">03:00（UTC）</text>"), zh.svg());
        assertFalse(zh.svg().contains("remote") || zh.svg().contains("Sockets"), zh.svg());
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
}
