package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.StateCount;

class SocketGroupsTest {

    private static final Owner APP = new Owner(7, 7, "app", "S", 1);
    private static final Owner WORKER = new Owner(8, 9, "worker", "S", 1);

    @Test
    void socketsGroupByTheirPortDirectionStateAndOwnerAsTheCountsCountThem() {
        List<StateCount> counts = List.of(new StateCount(9080, false, "CLOSE-WAIT", 3),
                new StateCount(5432, true, "CLOSE-WAIT", 1), new StateCount(9080, false, "FIN-WAIT-1", 1));
        List<NotableSocket> sockets = List.of(
                socket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:50000", 8, 0, null, APP),
                socket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:50001", 0, 0, "keepalive", APP),
                socket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:50002", 3, 0, null, WORKER),
                // an outgoing connection from an ephemeral port belongs to the service it calls
                socket("CLOSE-WAIT", "10.0.0.1:41000", "10.0.0.9:5432", 1, 0, null, APP),
                socket("FIN-WAIT-1", "10.0.0.1:9080", "10.0.0.3:50003", 0, 4096, "persist", null));

        List<SocketGroup> groups = SocketGroups.of(sockets, counts);

        assertEquals(4, groups.size());
        SocketGroup outgoing = groups.get(0);
        assertEquals(5432, outgoing.port());
        assertEquals(true, outgoing.remote());
        SocketGroup app = groups.get(1);
        assertEquals(List.of(9080, 7, 2L, 8L, 8L, 8L, 1L), List.of(app.port(), app.owner().pid(), app.count(),
                app.recvQ(), app.recvQMin(), app.recvQMax(), app.withRecvQ()));
        assertEquals(Map.of("keepalive", 1L, "none", 1L), app.timers());
        assertEquals(9, groups.get(2).owner().tid(), "a thread that holds sockets is its own group");
        SocketGroup orphans = groups.get(3);
        assertEquals("FIN-WAIT-1", orphans.state());
        assertEquals(null, orphans.owner());
        assertEquals(List.of(4096L, 4096L, 1L), List.of(orphans.sendQ(), orphans.sendQMax(), orphans.withSendQ()));
        assertEquals(5, SocketGroups.total(groups));
    }

    @Test
    void samplesKeepTheTwentySocketsWithTheMostQueuedBytesOfEachGroup() {
        List<NotableSocket> sockets = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sockets.add(socket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:" + (50_000 + i), i, 0, null, APP));
            sockets.add(socket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:" + (51_000 + i), 0, i, null, WORKER));
        }
        List<NotableSocket> samples = SocketGroups.samples(sockets, List.of(new StateCount(9080, false, "CLOSE-WAIT", 200)));
        assertEquals(40, samples.size());
        assertEquals(99, samples.get(0).recvQ());
        assertEquals(80, samples.get(19).recvQ());
        assertEquals(99, samples.get(20).sendQ());
    }

    private static NotableSocket socket(String state, String local, String peer, long recvQ, long sendQ, String timer,
            Owner owner) {
        return new NotableSocket(state, local, peer, recvQ, sendQ, timer, null, 0, 0, owner == null ? 0 : 1, owner);
    }
}
