package dev.linger.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects a command's output up to a limit; past it, keeps nothing more and remembers that it overflowed. */
final class CappedOutput extends java.io.OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    private final long limit;
    private volatile boolean overflowed;

    CappedOutput(long limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        long room = limit - bytes.size();
        if (len > room) {
            overflowed = true;
            if (room > 0) {
                bytes.write(b, off, (int) room);
            }
            return;
        }
        bytes.write(b, off, len);
    }

    boolean overflowed() {
        return overflowed;
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
