package dev.linger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellTest {

    /** Whatever the text, sh reads back exactly that text: proven by running a real sh. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "'", "''", "a b\tc", "$(touch /tmp/linger-pwned)", "`id`", "\"; rm -rf /",
            "new\nline", "back\\slash", "端口被占用", "-n"})
    void quotedTextReachesShUnchanged(String text) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' " + Shell.quote(text)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.SECONDS);
        assertEquals(text, out);
        assertEquals(false, new java.io.File("/tmp/linger-pwned").exists());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void scriptsRunThroughShWithOrWithoutSudo(boolean sudo) {
        assertEquals((sudo ? "sudo -n " : "") + "sh -c 'echo '\\''hi'\\'''", Shell.runScript("echo 'hi'", sudo));
    }
}
