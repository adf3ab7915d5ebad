package dev.linger.collect;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.transport.HostTarget;
import dev.linger.transport.TransportFailure;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * What Linger sees, for the team's Prometheus: per host the sockets in each state, and for its
 * busiest ports (at most {@link #TOP_PORTS} per host, so label cardinality stays bounded) the
 * sockets per port and state; collection durations, failures and the scheduling lag.
 */
@ApplicationScoped
public class CollectionMetrics {

    static final int TOP_PORTS = 10;
    private static final String COLLECTION_HELP = "How long collections took, by host and outcome";

    private final MeterRegistry registry;
    /** Gauge values by host, keyed by "state" or "port/state". */
    private final Map<String, Map<String, AtomicLong>> values = new ConcurrentHashMap<>();
    private final AtomicLong lagMillis = new AtomicLong();
    private final DistributionSummary lags;

    CollectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("linger_collection_lag_seconds", lagMillis, v -> v.get() / 1000.0)
                .description("How late the most recently claimed collection started").register(registry);
        this.lags = DistributionSummary.builder("linger_collection_start_lag_seconds")
                .description("How late collections start after they are due").publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void lag(double seconds) {
        double late = Math.max(0, seconds);
        lagMillis.set((long) (late * 1000));
        lags.record(late);
    }

    /** The lag distribution, for reports. */
    public DistributionSummary lags() {
        return lags;
    }

    void collected(HostTarget host, CollectorOutput out, Duration elapsed) {
        Timer.builder("linger_collection_seconds").description(COLLECTION_HELP).tag("host", host.name())
                .tag("outcome", "ok").register(registry).record(elapsed);
        Map<String, Long> byState = new HashMap<>();
        Map<String, Long> byPortState = new HashMap<>();
        for (CollectorOutput.StateCount c : out.states()) {
            byState.merge(c.state(), c.count(), Long::sum);
            if (!c.remote()) {
                byPortState.merge(c.port() + "/" + c.state(), c.count(), Long::sum);
            }
        }
        List<String> busiest = byPortState.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("/LISTEN"))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_PORTS).map(Map.Entry::getKey).toList();
        Map<String, AtomicLong> gauges = values.computeIfAbsent(host.name(), k -> new ConcurrentHashMap<>());
        Set<String> current = new HashSet<>();
        byState.forEach((state, count) -> {
            current.add(state);
            gauge(host.name(), gauges, state, Tags.of("host", host.name(), "state", state), "linger_host_sockets")
                    .set(count);
        });
        for (String key : busiest) {
            current.add(key);
            String[] parts = key.split("/", 2);
            gauge(host.name(), gauges, key, Tags.of("host", host.name(), "port", parts[0], "state", parts[1]),
                    "linger_host_port_sockets").set(byPortState.get(key));
        }
        // a state that vanished reads 0; a port that left the top list is removed, keeping cardinality bounded
        gauges.forEach((key, value) -> {
            if (!current.contains(key)) {
                if (key.contains("/")) {
                    String[] parts = key.split("/", 2);
                    registry.find("linger_host_port_sockets").tags("host", host.name(), "port", parts[0], "state",
                            parts[1]).meters().forEach(registry::remove);
                    gauges.remove(key);
                } else {
                    value.set(0);
                }
            }
        });
    }

    void failed(HostTarget host, TransportFailure.Kind kind, Duration elapsed) {
        Timer.builder("linger_collection_seconds").description(COLLECTION_HELP).tag("host", host.name())
                .tag("outcome", "failed").register(registry).record(elapsed);
        io.micrometer.core.instrument.Counter.builder("linger_collection_failures_total")
                .description("Collections that failed, by host and why (unreachable, auth, host key, timeout, …)")
                .tags("host", host.name(), "reason", kind.name().toLowerCase()).register(registry).increment();
    }

    private AtomicLong gauge(String host, Map<String, AtomicLong> gauges, String key, Tags tags, String name) {
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).description(name.equals("linger_host_sockets")
                    ? "Sockets on the host in each TCP state, at its latest collection"
                    : "Sockets per port and TCP state, for the host's busiest ports, at its latest collection")
                    .tags(tags).register(registry);
            return v;
        });
    }
}
