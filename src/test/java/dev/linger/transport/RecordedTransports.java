package dev.linger.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * For the fleet benchmark only (enabled by its test profile): hosts named fleet-* answer with a
 * collector output recorded from a real lab host, so one machine can stand in for a thousand.
 * Everything after the transport (parse, store, schedule, metrics) is the real thing.
 */
@Alternative
@Singleton
public class RecordedTransports extends Transports {

    private final Transport recorded;

    RecordedTransports(LocalTransport local, SshTransport ssh) {
        super(local, ssh);
        String output = resource("/collect/lab-namespace-proc-raw.txt");
        this.recorded = (host, script, timeout) -> new CommandResult(0, output, "", Duration.ZERO);
    }

    @Override
    public Transport forHost(HostTarget host) {
        return host.name().startsWith("fleet-") ? recorded : super.forHost(host);
    }

    private static String resource(String name) {
        try (InputStream in = RecordedTransports.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
