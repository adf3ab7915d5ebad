package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.i18n.Text;
import dev.linger.runbook.DocumentImporter.Candidate;
import dev.linger.runbook.ImportedStep.Flag;
import dev.linger.runbook.StepTyping.Draft;

/** Typing single commands into steps, with the document around them told by a hand-made context. */
class StepTypingTest {

    /** What the document says around the command: set by each test. */
    private boolean repeatHint;
    private TcpState stateBefore;
    private String line = "";

    private final StepTyping typing = new StepTyping(new StepTyping.Context() {
        @Override
        public boolean repeatHint(Candidate c) {
            return repeatHint;
        }

        @Override
        public TcpState stateBefore(Candidate c) {
            return stateBefore;
        }

        @Override
        public String originalLine(int l) {
            return line;
        }
    });

    @Test
    void sysctlWritesReadsAndTheirSpellings() {
        expect(one("sysctl -w net.ipv4.tcp_fin_timeout=30"), StepType.SET_SYSCTL, null,
                "key", "net.ipv4.tcp_fin_timeout", "value", "30");
        expect(one("sudo -E sysctl net.ipv4.tcp_fin_timeout = 30"), StepType.SET_SYSCTL, null,
                "key", "net.ipv4.tcp_fin_timeout", "value", "30");
        expect(one("sysctl -n net.ipv4.tcp_max_orphans"), StepType.READ_SYSCTL, null, "key", "net.ipv4.tcp_max_orphans");
        List<Draft> two = type("sysctl -w net.ipv4.tcp_keepalive_time=600 net.ipv4.tcp_keepalive_probes=2");
        assertEquals(List.of(StepType.SET_SYSCTL, StepType.SET_SYSCTL), two.stream().map(d -> d.step().type()).toList());
        expect(one("cat /proc/sys/net/ipv4/tcp_fin_timeout"), StepType.READ_SYSCTL, null,
                "key", "net.ipv4.tcp_fin_timeout");
    }

    @Test
    void sysctlShapesThatAreNotOneClearStepBecomeNotesSayingWhy() {
        expect(one("sysctl -p"), StepType.NOTE, Flag.NEEDLESS);
        assertEquals(StepTyping.RELOAD, one("sysctl --system").warning());
        expect(one("sysctl -w net.ipv4.tcp_fin_timeout=30 net.ipv4.tcp_max_orphans"), StepType.NOTE, Flag.UNTYPED);
        assertEquals(StepTyping.UNTYPED, one("sysctl -z x").warning());
        assertEquals(StepTyping.CHAINED, one("sysctl -n net.ipv4.tcp_fin_timeout | grep 3").warning());
        assertEquals(StepTyping.CHAINED, one("sysctl -a | sort").warning());
        assertEquals(StepTyping.CHAINED, one("x=$(date); sysctl -a").warning());
        assertEquals(Text.of("step.importUnbalancedQuotes"), one("sysctl -w 'net.ipv4.tcp_fin_timeout=30").warning());
        assertEquals(Text.of("step.importPlaceholder", "{value}"), one("sysctl -w net.ipv4.tcp_fin_timeout={value}")
                .warning());
    }

    @Test
    void aGrepAfterSysctlAllNamesTheOneKnownKeyOrTheKeyOnTheLine() {
        expect(one("sysctl -a |grep tcp_max_orph"), StepType.READ_SYSCTL, null, "key", "net.ipv4.tcp_max_orphans");
        line = "look at net.ipv4.tcp_rmem with: sysctl -a | grep rmem";
        expect(typing.type("sysctl -a | grep rmem", at(line.indexOf("sysctl")), false).get(0), StepType.READ_SYSCTL,
                null, "key", "net.ipv4.tcp_rmem");
        line = "";
        assertEquals(Text.of("step.importGrepKey"), one("sysctl -a | grep -v tcp").warning());
        assertEquals(Text.of("step.importGrepKey"), one("sysctl -a | grep tcp").warning(), "many keys hold tcp");
    }

    @Test
    void aSavedValueRestoresItsKeyAndAnUnknownVariableDoesNot() {
        expect(one("orig=$(sysctl -n net.ipv4.tcp_max_orphans)"), StepType.READ_SYSCTL, null,
                "key", "net.ipv4.tcp_max_orphans");
        expect(one("sysctl -w net.ipv4.tcp_max_orphans=$orig"), StepType.RESTORE_SYSCTL, null,
                "key", "net.ipv4.tcp_max_orphans");
        assertEquals(Text.of("step.importUnsavedVariable", "other"),
                one("sysctl -w net.ipv4.tcp_fin_timeout=${other}").warning());
        Draft set = one("sysctl -w net.ipv4.tcp_fin_timeout=30");
        expect(set, StepType.SET_SYSCTL, null);
        typing.remember(set); // the document set it first: a later $var may restore it
        expect(one("sysctl -w net.ipv4.tcp_fin_timeout=$old"), StepType.RESTORE_SYSCTL, null,
                "key", "net.ipv4.tcp_fin_timeout");
        assertEquals(List.of("sv", "net.ipv4.tcp_fin_timeout"),
                List.of(StepTyping.savedRead("sv=`sysctl -b net.ipv4.tcp_fin_timeout`")));
        assertNull(StepTyping.savedRead("sv=$(sysctl -n a b)"));
        assertNull(StepTyping.savedRead("1x=$(sysctl -n net.ipv4.tcp_fin_timeout)"));
    }

    @Test
    void echoIntoProcSysIsTheOneRedirectTyped() {
        expect(one("echo 0 > /proc/sys/net/ipv4/tcp_max_orphans"), StepType.SET_SYSCTL, null, "value", "0");
        assertEquals(Text.of("step.importOutsideProcSys", "/etc/x"), one("echo 1 > /etc/x").warning());
        assertEquals(StepTyping.CHAINED, one("echo 1 >> /proc/sys/net/ipv4/tcp_max_orphans && true").warning());
        assertEquals(StepTyping.UNTYPED, one("echo hello").warning());
    }

    @Test
    void ssKillTypesOnlyWithOneStateAndOnePort() {
        Draft kill = one("ss -K state close-wait sport = :9080");
        expect(kill, StepType.KILL_SOCKETS, null, "state", "CLOSE_WAIT", "port", "{port}");
        assertEquals(9080, kill.port());
        Draft wide = one("ss -K sport = :9080");
        expect(wide, StepType.NOTE, Flag.DANGEROUS);
        assertEquals(StepTyping.WIDE_KILL, wide.warning());
        assertEquals(Text.of("step.importPortUnclear"), one("ss -K state close-wait dport = :9080").warning());
        assertEquals(Text.of("step.importStateUnclear"), one("ss -K state bogus sport = :9080").warning());
    }

    @Test
    void aSocketCheckIsAManualLookOnceAndAWaitWhenRepeated() {
        Draft once = one("ss -tan state fin-wait-1 sport = :9080");
        expect(once, StepType.NOTE, null);
        assertEquals(StepTyping.MANUAL_LOOK, once.warning());
        expect(one("ss -tan state fin-wait-1 sport = :9080"), StepType.WAIT_SOCKETS, null, "state", "FIN_WAIT1",
                "port", "{port}", "atMost", "0", "pollSeconds", "2", "timeoutSeconds", "300");

        repeatHint = true;
        stateBefore = TcpState.CLOSE_WAIT;
        expect(one("netstat -np|grep 443"), StepType.WAIT_SOCKETS, null, "state", "CLOSE_WAIT", "port", "{port}");
        stateBefore = null;
        assertEquals(Text.of("step.importWaitWhich", false), one("netstat -np | grep 8443").warning());
        assertEquals(Text.of("step.importWaitWhich", true), one("ss -tan state close-wait").warning());
        assertEquals(Text.of("step.importGrepSocket"), one("netstat -np | grep java").warning());
    }

    @Test
    void watchRepeatsItsCommandSoACheckInsideIsAWait() {
        expect(one("watch -n 2 'ss -tan state close-wait sport = :9080'"), StepType.WAIT_SOCKETS, null,
                "state", "CLOSE_WAIT");
        Draft note = one("watch -n 1 'date; ss -tan'");
        expect(note, StepType.NOTE, Flag.UNTYPED);
        assertEquals("watch -n 1 'date; ss -tan'", note.step().fields().get("text"), "the note keeps the whole line");
        assertEquals(StepTyping.UNTYPED, one("watch watch ss").warning());
    }

    @Test
    void theFirstPortBecomesTheParameterAndOthersStayNumbers() {
        Draft first = one("ss -K state close-wait sport = :9080");
        typing.remember(first);
        assertEquals(new Param("port", Param.Type.PORT, "Port", "9080", Param.Source.INCIDENT_PORT), typing.port());
        expect(one("ss -K state close-wait sport = :443"), StepType.KILL_SOCKETS, null, "port", "443");
        expect(one("ss -K state close-wait sport = :9080"), StepType.KILL_SOCKETS, null, "port", "{port}");
    }

    @Test
    void dangerousCommandsAreFlaggedWhateverFollows() {
        Map<String, Text> dangerous = Map.of("kill -9 1234", StepTyping.KILL, "sudo pkill -f java; ls", StepTyping.KILL,
                "reboot", StepTyping.REBOOT, "systemctl restart network", StepTyping.NETWORK,
                "service networking stop", StepTyping.NETWORK, "/etc/init.d/network restart", StepTyping.NETWORK,
                "ip link set eth0 down", StepTyping.NETWORK, "ifdown eth0", StepTyping.NETWORK,
                "iptables -F", StepTyping.FLUSH);
        dangerous.forEach((command, why) -> {
            Draft d = one(command);
            assertEquals(Flag.DANGEROUS, d.flag(), command);
            assertEquals(why, d.warning(), command);
            assertEquals(command, d.step().fields().get("text"));
        });
        for (String harmless : List.of("systemctl restart nginx", "iptables -L -n", "ip link show", "ps aux")) {
            Draft d = one(harmless);
            assertEquals(Flag.UNTYPED, d.flag(), harmless);
            assertEquals(StepTyping.UNTYPED, d.warning(), harmless);
        }
        assertEquals(StepTyping.EDIT, one("vim /etc/sysctl.d/90-x.conf").warning());
    }

    @Test
    void theCommandParts() {
        assertEquals("9080", StepTyping.grepPattern(ShellWords.split("grep 9080")));
        assertEquals("FIN", StepTyping.grepPattern(ShellWords.split("grep -i -e FIN")));
        assertNull(StepTyping.grepPattern(ShellWords.split("grep -v 9080")));
        assertNull(StepTyping.grepPattern(ShellWords.split("grep 9080 file")));
        assertEquals(9080, StepTyping.filterPort(":9080"));
        assertEquals(443, StepTyping.filterPort("( sport == :443 )"));
        assertEquals(443, StepTyping.filterPort("sport eq :443"));
        assertNull(StepTyping.filterPort("dport = :443"));
        assertNull(StepTyping.portOf("70000"));
        assertNull(StepTyping.portOf("0"));
        assertEquals(22, StepTyping.portOf(" 22 "));
        assertEquals("kill", StepTyping.firstWord("sudo  kill -9 1"));
        assertEquals(List.of(), type("sudo"), "nothing after sudo is no step");
    }

    private Draft one(String command) {
        List<Draft> drafts = type(command);
        assertEquals(1, drafts.size(), () -> command + " gave " + drafts);
        return drafts.get(0);
    }

    private List<Draft> type(String command) {
        return typing.type(command, at(0), false);
    }

    private static Candidate at(int col) {
        return new Candidate("", false, 0, 0, col, -1);
    }

    private static void expect(Draft d, StepType type, Flag flag, String... fields) {
        assertEquals(type, d.step().type(), d::toString);
        assertEquals(flag, d.flag(), d::toString);
        for (int i = 0; i < fields.length; i += 2) {
            assertEquals(fields[i + 1], d.step().fields().get(fields[i]), fields[i] + " of " + d);
        }
    }
}
