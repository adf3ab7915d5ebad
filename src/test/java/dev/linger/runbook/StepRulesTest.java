package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;

/** Each step type: the exact command it renders, the fields it refuses, and what it says about undo. */
class StepRulesTest {

    private static Step step(String type, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        return StepCodec.parse(type, fields, "");
    }

    private static String refusal(String type, Object... kv) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> step(type, kv));
        return e.fields().keySet().iterator().next();
    }

    @Test
    void everyStepTypeRendersItsExactCommand() {
        assertEquals("sysctl -n net.ipv4.tcp_max_orphans",
                step("READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans").command(Bindings.NONE));
        assertEquals("sysctl -w net.ipv4.tcp_keepalive_time=600",
                step("set_sysctl", "key", "net.ipv4.tcp_keepalive_time", "value", 600).command(Bindings.NONE));
        assertEquals("sysctl -w 'net.ipv4.ip_local_port_range=20000 60999'",
                step("SET_SYSCTL", "key", "net.ipv4.ip_local_port_range", "value", "20000\t 60999")
                        .command(Bindings.NONE));
        assertEquals("sysctl -w net.ipv4.tcp_max_orphans=<recorded value>",
                step("RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans").command(Bindings.NONE));
        assertEquals("sysctl -w net.ipv4.tcp_max_orphans=65536", step("RESTORE_SYSCTL", "key",
                "net.ipv4.tcp_max_orphans").command(new Bindings(Map.of(), Map.of("net.ipv4.tcp_max_orphans", "65536"))));
        assertEquals("for f in /etc/sysctl.d/90-linger-keepalive.conf /etc/sysctl.d/90-linger-keepalive.conf.linger-tmp;"
                + " do if [ -L \"$f\" ]; then echo \"$f is a symbolic link; Linger does not write through it or replace"
                + " it\" >&2; exit 3; fi; done; "
                + "umask 022; printf '%s\\n' 'net.ipv4.tcp_keepalive_time = 1800' 'net.ipv4.tcp_keepalive_intvl = 15'"
                + " > /etc/sysctl.d/90-linger-keepalive.conf.linger-tmp && mv -f"
                + " /etc/sysctl.d/90-linger-keepalive.conf.linger-tmp /etc/sysctl.d/90-linger-keepalive.conf"
                + " && sysctl -p /etc/sysctl.d/90-linger-keepalive.conf",
                step("PERSIST_SYSCTL", "file", "/etc/sysctl.d/90-linger-keepalive.conf", "entries",
                        "# keepalive\nnet.ipv4.tcp_keepalive_time = 1800\nnet.ipv4.tcp_keepalive_intvl=15\n")
                        .command(Bindings.NONE));
        assertEquals("ss -Htn state fin-wait-1 '( sport = :9080 )'",
                step("WAIT_SOCKETS", "state", "FIN-WAIT-1", "port", 9080).command(Bindings.NONE));
        assertEquals("ss -K -Htn state close-wait '( sport = :{port} )'",
                step("KILL_SOCKETS", "state", "close_wait", "port", "{port}").command(Bindings.NONE));
        assertEquals("ss -K -Htn state close-wait '( sport = :8443 )'",
                step("KILL_SOCKETS", "state", "CLOSE_WAIT", "port", "{port}").command(Bindings.of(Map.of("port", "8443"))));
        assertEquals("kill -s TERM 4242", step("SIGNAL_PROCESS", "pid", 4242).command(Bindings.NONE));
        assertEquals("kill -s KILL {pid}", step("SIGNAL_PROCESS", "pid", "{pid}", "signal", "SIGKILL").command(Bindings.NONE));
        assertNull(step("VERIFY").command(Bindings.NONE));
        assertNull(step("NOTE", "text", "Call the service owner.").command(Bindings.NONE));
        assertEquals("systemctl restart app@9080", step("SHELL", "command", "systemctl restart app@{port}")
                .command(Bindings.of(Map.of("port", "9080"))));
    }

    @Test
    void waitingHasSensibleDefaultsAndSaysWhatItWaitsFor() {
        Step.WaitSockets w = (Step.WaitSockets) step("WAIT_SOCKETS", "state", "CLOSE_WAIT", "port", 9080);
        assertEquals(0, w.atMost());
        assertEquals(2, w.pollSeconds());
        assertEquals(300, w.timeoutSeconds());
        assertEquals(dev.linger.i18n.Text.of("step.changesWaitSockets", 2, "CLOSE-WAIT", "9080", 0, 300),
                w.changes(Bindings.NONE), "every 2 s, CLOSE-WAIT as the kernel names it, until none remain, 300 s");
    }

    @Test
    void eachStepSaysWhetherAndHowItIsUndone() {
        assertEquals(Step.Undo.Kind.NOTHING_TO_UNDO, step("READ_SYSCTL", "key", "net.ipv4.tcp_fin_timeout").undo().kind());
        assertEquals(Step.Undo.Kind.AUTOMATIC, step("SET_SYSCTL", "key", "net.ipv4.tcp_fin_timeout", "value", 30).undo().kind());
        assertEquals(Step.Undo.Kind.AUTOMATIC, step("PERSIST_SYSCTL", "file", "90-x.conf", "entries",
                Map.of("net.ipv4.tcp_fin_timeout", "30")).undo().kind());
        assertEquals(Step.Undo.Kind.IRREVERSIBLE, step("KILL_SOCKETS", "state", "CLOSE_WAIT", "port", 1).undo().kind());
        assertEquals(Step.Undo.Kind.IRREVERSIBLE, step("SIGNAL_PROCESS", "pid", 99).undo().kind());
        assertEquals(Step.Undo.Kind.MANUAL, step("NOTE", "text", "x").undo().kind());
        assertEquals(Step.Undo.Kind.MANUAL, step("SHELL", "command", "true").undo().kind());
    }

    @Test
    void theOrphanLimitIsCalledSystemWide() {
        assertEquals(dev.linger.i18n.Text.of("step.changesSetSysctl", "net.ipv4.tcp_max_orphans", "0", true),
                step("SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", 0).changes(Bindings.NONE));
        assertEquals(dev.linger.i18n.Text.of("step.changesSetSysctl", "net.ipv4.tcp_keepalive_time", "60", false),
                step("SET_SYSCTL", "key", "net.ipv4.tcp_keepalive_time", "value", 60).changes(Bindings.NONE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time;id|value|1|key",
            "SET_SYSCTL|key|/etc/passwd|value|1|key",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time|value|600; rm -rf /|value",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time|value|$(reboot)|value",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time|value|`id`|value",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time|value|99999|value",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_probes|value|0|value",
            "SET_SYSCTL|key|net.ipv4.tcp_max_orphans|value|-1|value",
            "SET_SYSCTL|key|net.ipv4.tcp_keepalive_time|value|{Port}|value",
            "WAIT_SOCKETS|state|FIN_WAIT_9|port|80|state",
            "WAIT_SOCKETS|state|CLOSE_WAIT|port|0|port",
            "WAIT_SOCKETS|state|CLOSE_WAIT|port|65536|port",
            "WAIT_SOCKETS|state|CLOSE_WAIT|port|80 ; id|port",
            "KILL_SOCKETS|state|LISTEN|port|80|state",
            "SIGNAL_PROCESS|pid|1|signal|TERM|pid",
            "SIGNAL_PROCESS|pid|-1|signal|TERM|pid",
            "SIGNAL_PROCESS|pid|100|signal|SEGV|signal",
            "PERSIST_SYSCTL|file|../../etc/passwd|entries|net.ipv4.tcp_fin_timeout = 30|file",
            "PERSIST_SYSCTL|file|/etc/sysctl.conf|entries|net.ipv4.tcp_fin_timeout = 30|file",
            "PERSIST_SYSCTL|file|90-a.conf|entries|net.ipv4.tcp_fin_timeout = 30$(id)|entries",
            "PERSIST_SYSCTL|file|90-a.conf|entries|just words|entries",
            "NOTE|text||x|x|text",
    })
    void badFieldsAreRefusedByName(String type, String f1, String v1, String f2, String v2, String field) {
        assertEquals(field, refusal(type, f1, v1 == null ? "" : v1, f2, v2));
    }

    @Test
    void waitingMustCheckAtLeastOnceBeforeGivingUp() {
        assertEquals("pollSeconds", refusal("WAIT_SOCKETS", "state", "FIN_WAIT1", "port", 80, "pollSeconds", 30,
                "timeoutSeconds", 10));
    }

    @Test
    void controlCharactersNeverReachANoteOrACommand() {
        assertEquals("text", refusal("NOTE", "text", "ring\u0007bell"));
        assertEquals("command", refusal("SHELL", "command", "echo\u0000hi"));
        assertEquals("type", refusal("REBOOT"));
    }

    /** The filters Linger renders are ones the real ss on this machine accepts. */
    @Test
    void theRenderedSocketFilterIsAcceptedByTheRealSs() throws Exception {
        String command = step("WAIT_SOCKETS", "state", "CLOSE_WAIT", "port", 1).command(Bindings.NONE);
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + " -> " + out);
    }

    @Test
    void aRunbookChecksReferencesRestoresAndShell() {
        RunbookInput.ParamInput port = new RunbookInput.ParamInput("port", "PORT", "Port", null, "INCIDENT_PORT");
        assertEquals(Map.of("steps[1].port", Text.of("refuse.refUndeclared", "{pid}")),
                refused(List.of(port), "LOW", Map.of("type", "WAIT_SOCKETS", "state", "FIN_WAIT1", "port", "{pid}")));
        assertEquals(refused(List.of(port), "LOW", Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_fin_timeout",
                "value", "{port}")).get("steps[1].value"), Text.of("refuse.refWrongType", "{port}", "PORT", "INTEGER"));
        assertEquals(Text.of("refuse.restoreUnrecorded", "net.ipv4.tcp_max_orphans"), refused(List.of(), "LOW",
                Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans")).get("steps[1].key"));
        assertEquals(Text.of("refuse.shellNeedsCritical"), refused(List.of(), "HIGH", Map.of("type", "SHELL",
                "command", "reboot")).get("steps[1].type"));
        assertEquals(Text.of("refuse.paramNameTwice", "port"), refused(List.of(port, port), "LOW",
                Map.of("type", "VERIFY")).get("params[2].name"));
        RunbookInput.ParamInput badFrom = new RunbookInput.ParamInput("pid", "PID", null, null, "INCIDENT_PORT");
        assertTrue(refused(List.of(badFrom), "LOW", Map.of("type", "VERIFY")).containsKey("params[1].from"));
    }

    @Test
    void bindingChecksEachValueAgainstItsTypeAndTheSysctlRange() {
        RunbookDefinition d = RunbookDefinition.check(new RunbookInput(null, "Keepalive", "", "LOW", List.of(),
                List.of(new RunbookInput.ParamInput("idle", "INTEGER", "Idle", "600", null)), null,
                List.of(Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_keepalive_time", "value", "{idle}")), null,
                null));
        assertEquals("sysctl -w net.ipv4.tcp_keepalive_time=600", d.steps().get(0).step().command(d.bind(Map.of())));
        assertEquals("sysctl -w net.ipv4.tcp_keepalive_time=60",
                d.steps().get(0).step().command(d.bind(Map.of("idle", "60"))));
        Text range = assertThrows(InvalidInput.class, () -> d.bind(Map.of("idle", "40000"))).fields().get("params");
        assertEquals("refuse.sysctlRange", range.key());
        assertTrue(range.args().contains(32767L), range.toString());
        assertTrue(assertThrows(InvalidInput.class, () -> d.bind(Map.of("idle", "1; reboot"))).fields()
                .containsKey("params.idle"));
        assertTrue(assertThrows(InvalidInput.class, () -> d.bind(Map.of("other", "1"))).fields()
                .containsKey("params.other"));
    }

    private static Map<String, Text> refused(List<RunbookInput.ParamInput> params, String risk,
            Map<String, Object> step) {
        return assertThrows(InvalidInput.class, () -> RunbookDefinition.check(new RunbookInput(null, "T", "", risk,
                List.of(), params, null, List.of(step), null, null))).fields();
    }
}
