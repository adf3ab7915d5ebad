package dev.linger.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a command's output up to a limit, or passes it on to a sink up to the limit (streaming: then nothing
 * is kept here); past the limit, keeps and passes nothing more and remembers that it overflowed.
 */
final class CappedOutput extends OutputStream {

    private final ByteArrayOutputStream bytes;
    private final OutputStream sink;
    private final long limit;
    private long written;
    private volatile boolean overflowed;

    CappedOutput(long limit) {
        this.limit = limit;
        this.bytes = new ByteArrayOutputStream(64 * 1024);
        this.sink = null;
    }

    /** Passes the output on to {@code sink} as it arrives, keeping none of it. */
    CappedOutput(long limit, OutputStream sink) {
        this.limit = limit;
        this.bytes = null;
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        long room = limit - written;
        if (len > room) {
            overflowed = true;
            if (sink == null && room > 0) {
                bytes.write(b, off, (int) room);
                written = limit;
            }
            return; // a streamed reader gets no partial chunk: the whole result is refused anyway
        }
        written += len;
        if (sink == null) {
            bytes.write(b, off, len);
            return;
        }
        try {
            sink.write(b, off, len);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    /** What was kept; empty when streaming to a sink. */
    synchronized String text() {
        return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
    }
}
