package dev.linger.incident;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on loopback that keeps each JSON body: at the %test webhook URL (127.0.0.1:18089/hook) or on a
 * free port of its own (a channel's). It answers 200 unless told another status, or hangs until closed.
 */
public final class HookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean hanging;

    private HookReceiver(HttpServer server) {
        this.server = server;
    }

    /** At the %test webhook URL. */
    public static HookReceiver start() {
        return start(18089);
    }

    /** On a free port of loopback: {@link #url()} says where. */
    public static HookReceiver onFreePort() {
        return start(0);
    }

    private static HookReceiver start(int port) {
        try {
            HookReceiver r = new HookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
            r.server.setExecutor(Executors.newCachedThreadPool());
            r.server.createContext("/hook", exchange -> {
                r.received.add(new ObjectMapper().readTree(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8)));
                if (r.hanging) {
                    try {
                        r.closed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(r.status.get(), -1);
                exchange.close();
            });
            r.server.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers this status from now on. */
    public HookReceiver answering(int code) {
        status.set(code);
        return this;
    }

    /** Reads each body, then never answers (until closed). */
    public HookReceiver hanging() {
        hanging = true;
        return this;
    }

    /** The bodies received so far, in order. */
    public List<JsonNode> received() {
        return received;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
