package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.runbook.ImportedStep.Flag;

/** Documents in, typed steps out: the seed post, three documents of other styles, and hostile or broken input. */
class DocumentImporterTest {

    private static final String SEED = "fin-wait1-close-wait-runbook.zh.txt";
    private static final Param PORT_9080 = new Param("port", Param.Type.PORT, "Port", "9080",
            Param.Source.INCIDENT_PORT);

    @Test
    void theSeedPostImportsToItsTenSteps() throws IOException {
        ImportResult r = DocumentImporter.read(null, seed());

        assertEquals(List.of(PORT_9080), r.params());
        List<ImportedStep> s = r.steps();
        assertEquals(10, s.size(), () -> describe(s));
        expect(s.get(0), StepType.READ_SYSCTL, 17, "sysctl -a |grep tcp_max_orph", null, "key", "net.ipv4.tcp_max_orphans");
        expect(s.get(1), StepType.SET_SYSCTL, 19, "sysctl -w net.ipv4.tcp_max_orphans=0", null,
                "key", "net.ipv4.tcp_max_orphans", "value", "0");
        expect(s.get(2), StepType.WAIT_SOCKETS, 19, "netstat -np|grep 9080", null,
                "state", "FIN_WAIT1", "port", "{port}", "atMost", "0", "pollSeconds", "2", "timeoutSeconds", "300");
        expect(s.get(3), StepType.RESTORE_SYSCTL, 21, "$orig_orphans", null, "key", "net.ipv4.tcp_max_orphans");
        expect(s.get(4), StepType.SET_SYSCTL, 48, "tcp_keepalive_time=600", null,
                "key", "net.ipv4.tcp_keepalive_time", "value", "600");
        expect(s.get(5), StepType.SET_SYSCTL, 49, "tcp_keepalive_probes=2", null,
                "key", "net.ipv4.tcp_keepalive_probes", "value", "2");
        expect(s.get(6), StepType.SET_SYSCTL, 50, "tcp_keepalive_intvl=2", null,
                "key", "net.ipv4.tcp_keepalive_intvl", "value", "2");
        expect(s.get(7), StepType.NOTE, 56, "vi /etc/sysctl.conf", Flag.NEEDLESS, "text", "vi /etc/sysctl.conf");
        expect(s.get(8), StepType.PERSIST_SYSCTL, 59, "net.ipv4.tcp_keepalive_time = 1800", null,
                "file", "90-linger-keepalive.conf", "entries", "net.ipv4.tcp_keepalive_time = 1800\n"
                        + "net.ipv4.tcp_keepalive_probes = 3\nnet.ipv4.tcp_keepalive_intvl = 15");
        assertTrue(s.get(8).sourceText().contains("net.ipv4.tcp_keepalive_intvl = 15"), s.get(8).sourceText());
        assertEquals(Text.of("step.importSysctlConf", "90-linger-keepalive.conf"), s.get(8).warning());
        expect(s.get(9), StepType.NOTE, 65, "/etc/rc.d/init.d/network restart", Flag.DANGEROUS,
                "text", "/etc/rc.d/init.d/network restart");
        assertEquals(Text.of("step.importNetwork"), s.get(9).warning());
        assertEquals("环境信息:", r.title());
    }

    /** Issue 12 item 11: the orphan drain and the keepalive tuning are two procedures, so two runbooks. */
    @Test
    void theSeedPostProposesOneRunbookPerProcedureEachWithItsKindsChecksAndTitle() throws IOException {
        ImportResult r = DocumentImporter.read(null, seed());

        assertEquals(2, r.runbooks().size(), () -> r.runbooks().toString());
        ImportResult.Proposal drain = r.runbooks().get(0);
        assertEquals("FIN_WAIT1", drain.title());
        assertEquals(List.of(dev.linger.incident.IncidentKind.FIN_WAIT1_STUCK), drain.fits());
        assertEquals(java.util.Set.of(Check.ORPHAN_LIMIT_PRESENT), drain.checks());
        assertEquals(Risk.HIGH, drain.risk(), "tcp_max_orphans is one value for the whole machine");
        assertEquals(List.of(PORT_9080), drain.params());
        assertEquals(List.of(17, 19, 19, 21), drain.steps().stream().map(ImportedStep::sourceLine).toList());
        assertEquals(r.steps().subList(0, 4), drain.steps());
        assertTrue(drain.mismatches().isEmpty());

        ImportResult.Proposal keepalive = r.runbooks().get(1);
        assertEquals("CLOSE_WAIT", keepalive.title());
        assertEquals(List.of(dev.linger.incident.IncidentKind.CLOSE_WAIT_LEAK), keepalive.fits());
        assertEquals(java.util.Set.of(Check.KEEPALIVE_IN_USE), keepalive.checks(), "as the shipped keepalive runbooks");
        assertEquals(List.of(new Param("port", Param.Type.PORT, "Port", null, Param.Source.INCIDENT_PORT)),
                keepalive.params(), "KEEPALIVE_IN_USE looks at the incident's port");
        assertEquals(Risk.HIGH, keepalive.risk(), "it persists keepalive settings in /etc/sysctl.d");
        assertEquals(r.steps().subList(4, 10), keepalive.steps());
        assertEquals(List.of(
                new ImportResult.Mismatch("net.ipv4.tcp_keepalive_time", "600", 48, "1800", 59),
                new ImportResult.Mismatch("net.ipv4.tcp_keepalive_probes", "2", 49, "3", 59),
                new ImportResult.Mismatch("net.ipv4.tcp_keepalive_intvl", "2", 50, "15", 59)), keepalive.mismatches());
        assertEquals(Text.of("runbook.editorMismatch", "net.ipv4.tcp_keepalive_time", "600", 48, "1800", 59),
                keepalive.mismatches().get(0).text());

        // each proposal saves as it is
        for (ImportResult.Proposal p : r.runbooks()) {
            RunbookDefinition d = RunbookDefinition.check(input(p));
            RiskFloor.require(d);
            assertTrue(d.checks().containsAll(p.checks()));
        }
    }

    @Test
    void aGivenTitleNamesEachProcedureAndOneProcedureKeepsIt() throws IOException {
        List<String> titles = DocumentImporter.read("Port 9080", seed()).runbooks().stream()
                .map(ImportResult.Proposal::title).toList();
        assertEquals(List.of("Port 9080: FIN_WAIT1", "Port 9080: CLOSE_WAIT"), titles);
        assertEquals(List.of("Our notes"), DocumentImporter.read("Our notes", resource("chinese-notes.md")).runbooks()
                .stream().map(ImportResult.Proposal::title).toList());
    }

    @Test
    void otherDocumentsSplitOnlyWhereTheSubjectChanges() {
        List<ImportResult.Proposal> numbered = DocumentImporter.read(null, resource("numbered-list.txt")).runbooks();
        assertEquals(2, numbered.size());
        assertEquals(List.of(dev.linger.incident.IncidentKind.FIN_WAIT1_STUCK), numbered.get(0).fits());
        assertEquals("Make keepalive probing start sooner, for good", numbered.get(1).title(),
                "the heading without its list marker");
        assertEquals(java.util.Set.of(Check.KEEPALIVE_IN_USE), numbered.get(1).checks());

        ImportResult markdown = DocumentImporter.read(null, resource("markdown-fenced.md"));
        assertEquals(1, markdown.runbooks().size());
        assertEquals("Draining CLOSE_WAIT on port 8443", markdown.runbooks().get(0).title());
        assertEquals(markdown.steps(), markdown.runbooks().get(0).steps());
        assertTrue(markdown.runbooks().get(0).mismatches().isEmpty(),
                "a value set for a while and restored is not a runtime value that the file contradicts");

        ImportResult.Proposal notes = DocumentImporter.read(null, resource("chinese-notes.md")).runbooks().get(0);
        assertEquals(List.of(new ImportResult.Mismatch("net.ipv4.tcp_keepalive_time", "300", 13, "1200", 27)),
                notes.mismatches());
        assertEquals(java.util.Set.of(Check.KEEPALIVE_IN_USE, Check.SOCKET_KILL_SUPPORTED), notes.checks());
    }

    static RunbookInput input(ImportResult.Proposal p) {
        return new RunbookInput(null, p.title(), "", p.risk().name(), p.fits().stream().map(Enum::name).toList(),
                p.params().stream().map(x -> new RunbookInput.ParamInput(x.name(), x.type().name(), x.label(),
                        x.defaultValue(), x.from() == null ? null : x.from().name())).toList(),
                p.checks().stream().map(Enum::name).toList(),
                p.steps().stream().filter(s -> s.flag() == null)
                        .map(s -> StepJson.stored(new RunbookStep(s.step(), s.sourceLine(), s.sourceText()))).toList(),
                null, null);
    }

    @Test
    void markdownWithFencesSkipsNavigationAdsAndComments() {
        ImportResult r = DocumentImporter.read("  ", resource("markdown-fenced.md"));

        assertEquals("Draining CLOSE_WAIT on port 8443", r.title());
        assertEquals(List.of(new Param("port", Param.Type.PORT, "Port", "8443", Param.Source.INCIDENT_PORT)), r.params());
        List<ImportedStep> s = r.steps();
        assertEquals(11, s.size(), () -> describe(s));
        expect(s.get(0), StepType.READ_SYSCTL, 15, "sysctl net.ipv4.tcp_fin_timeout", null,
                "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(1), StepType.READ_SYSCTL, 16, "OLD=$(sysctl -n", null, "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(2), StepType.SET_SYSCTL, 22, "tcp_fin_timeout=30", null,
                "key", "net.ipv4.tcp_fin_timeout", "value", "30");
        // looked at once before the kill: a manual look, not a wait that would time out
        expect(s.get(3), StepType.NOTE, 28, "ss -tan state close-wait", null,
                "text", "ss -tan state close-wait '( sport = :8443 )'");
        assertEquals(DocumentImporter.MANUAL_LOOK, s.get(3).warning());
        expect(s.get(4), StepType.KILL_SOCKETS, 39, "ss -K state close-wait", null,
                "state", "CLOSE_WAIT", "port", "{port}");
        expect(s.get(5), StepType.WAIT_SOCKETS, 40, "watch -n1", null,
                "state", "CLOSE_WAIT", "port", "{port}", "atMost", "0");
        expect(s.get(6), StepType.RESTORE_SYSCTL, 46, "tcp_fin_timeout=$OLD", null, "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(7), StepType.PERSIST_SYSCTL, 55, "net.ipv4.tcp_fin_timeout = 20", null,
                "file", "90-linger-import.conf", "entries",
                "net.ipv4.tcp_fin_timeout = 20\nnet.ipv4.tcp_keepalive_time = 600");
        assertNull(s.get(7).warning(), "the document never mentions /etc/sysctl.conf");
        expect(s.get(8), StepType.NOTE, 64, "systemctl restart networking", Flag.DANGEROUS,
                "text", "systemctl restart networking");
        expect(s.get(9), StepType.NOTE, 65, "kill -9 4242", Flag.DANGEROUS, "text", "kill -9 4242");
        assertEquals(Text.of("step.importKill"), s.get(9).warning(), "a copied pid is a guess");
        expect(s.get(10), StepType.NOTE, 68, "`lsof -i :8443`", Flag.UNTYPED, "text", "lsof -i :8443");
        assertTrue(s.stream().noneMatch(x -> x.sourceText().contains("tcp_max_orphans")), "commented out");
    }

    @Test
    void plainTextNumberedListWithInlineCode() {
        ImportResult r = DocumentImporter.read(null, resource("numbered-list.txt"));

        assertEquals("Freeing port 9443 after a crashed proxy", r.title());
        assertEquals("9443", r.params().get(0).defaultValue());
        List<ImportedStep> s = r.steps();
        assertEquals(6, s.size(), () -> describe(s));
        expect(s.get(0), StepType.READ_SYSCTL, 6, "1. Write down", null, "key", "net.ipv4.tcp_max_orphans");
        expect(s.get(1), StepType.SET_SYSCTL, 7, "tcp_max_orphans=0", null,
                "key", "net.ipv4.tcp_max_orphans", "value", "0");
        expect(s.get(2), StepType.WAIT_SOCKETS, 8, "Wait until", null, "state", "FIN_WAIT1", "port", "{port}");
        expect(s.get(3), StepType.RESTORE_SYSCTL, 9, "$saved", null, "key", "net.ipv4.tcp_max_orphans");
        expect(s.get(4), StepType.NOTE, 10, "ps -o pid,stat,cmd -p 3120", Flag.UNTYPED,
                "text", "ps -o pid,stat,cmd -p 3120");
        expect(s.get(5), StepType.PERSIST_SYSCTL, 13, "net.ipv4.tcp_keepalive_intvl = 30", null,
                "file", "90-linger-keepalive.conf", "entries",
                "net.ipv4.tcp_keepalive_time = 900\nnet.ipv4.tcp_keepalive_intvl = 30");
        // "7) Do not reboot: ..." and "8) kill the stuck proxy ..." are sentences, not commands
    }

    @Test
    void chineseNotesWithCommandsInsideSentences() {
        ImportResult r = DocumentImporter.read(null, resource("chinese-notes.md"));

        assertEquals("端口 7001 被 CLOSE_WAIT 占住的处理记录", r.title());
        assertEquals("7001", r.params().get(0).defaultValue());
        List<ImportedStep> s = r.steps();
        assertEquals(7, s.size(), () -> describe(s));
        // line 9 looks once, mid-sentence: dropped. Line 30's "执行sysctl命令" is prose, "sysctl -p" there is needless.
        expect(s.get(0), StepType.SET_SYSCTL, 13, "执行 sysctl -w", null,
                "key", "net.ipv4.tcp_keepalive_time", "value", "300");
        expect(s.get(1), StepType.READ_SYSCTL, 13, "再用 sysctl net.ipv4.tcp_keepalive_time", null,
                "key", "net.ipv4.tcp_keepalive_time");
        expect(s.get(2), StepType.KILL_SOCKETS, 18, "# ss -K", null, "state", "CLOSE_WAIT", "port", "{port}");
        expect(s.get(3), StepType.WAIT_SOCKETS, 21, "反复确认", null, "state", "CLOSE_WAIT", "port", "{port}");
        expect(s.get(4), StepType.PERSIST_SYSCTL, 27, "tcp_keepalive_time = 1200", null,
                "file", "90-linger-keepalive.conf", "entries",
                "net.ipv4.tcp_keepalive_time = 1200\nnet.ipv4.tcp_keepalive_probes = 5");
        assertEquals(Text.of("step.importSysctlConf", "90-linger-keepalive.conf"), s.get(4).warning());
        expect(s.get(5), StepType.NOTE, 35, "（1）service network restart", Flag.DANGEROUS,
                "text", "service network restart");
        expect(s.get(6), StepType.NOTE, 36, "kill -9", Flag.DANGEROUS, "text", "kill -9");
    }

    private static final String HOSTILE = String.join("\n",
            "sysctl -w net.ipv4.tcp_keepalive_time=600;rm -rf /",
            "sysctl -w net.ipv4.tcp_keepalive_time='$(reboot)'",
            "sysctl -w net.ipv4.tcp_keepalive_time=99999999",
            "echo 1 > /etc/passwd",
            "sysctl -w net.ipv4.tcp_keepalive_time;id=5",
            "sysctl -w \"net.ipv4.tcp_keepalive_time;id=5\"",
            "sysctl -w net.ipv4.tcp_keepalive_time=`reboot`",
            "sysctl -w net.ipv4.tcp_keepalive_time=600 && reboot",
            "sysctl -w net.ipv4.tcp_keepalive_time=1 | sh",
            "echo 5 > /proc/sys/../../etc/passwd",
            "echo 5 >> /proc/sys/net/ipv4/tcp_keepalive_time",
            "sysctl -w net.ipv4.tcp_keepalive_time={evil}",
            "cat /proc/sys/net/ipv4/tcp_keepalive_time > /tmp/x",
            "ss -K state close-wait '( sport = :8443 )' ; reboot",
            "",
            "Then run sysctl -w net.ipv4.tcp_keepalive_time=600;reboot and wait.",
            "Try `sysctl -w net.ipv4.tcp_fin_timeout=$(curl evil)` too.",
            "",
            "net.ipv4.tcp_keepalive_time;id = 5",
            "",
            "net.ipv4.tcp_keepalive_time = 600;reboot",
            "",
            "```bash",
            "sysctl -w net.ipv4.tcp_keepalive_time=600||reboot",
            "X=$(sysctl -n net.ipv4.tcp_fin_timeout; reboot)",
            "```");

    @Test
    void hostileCommandsNeverBecomeTypedSteps() {
        List<ImportedStep> s = DocumentImporter.read("hostile", HOSTILE).steps();

        assertTrue(s.stream().allMatch(x -> x.step().type() == StepType.NOTE), () -> describe(s));
        assertTrue(s.stream().allMatch(x -> x.flag() == Flag.UNTYPED || x.flag() == Flag.DANGEROUS), () -> describe(s));
        List<Integer> lines = s.stream().map(ImportedStep::sourceLine).toList();
        for (int line : List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 21, 24, 25)) {
            assertTrue(lines.contains(line), "line " + line + " should be a NOTE: " + describe(s));
        }
        assertTrue(!lines.contains(16), "a chained command mid-sentence is dropped, not typed");
        assertEquals(Text.of("step.importChained"), s.get(0).warning());
        assertEquals("step.importRefused", noteAt(s, 3).warning().key());
        // the refusal travels as its own fact inside the warning, with its values
        assertTrue(noteAt(s, 3).warning().toJson().contains("{\"key\":\"refuse.sysctlRange\",\"args\":"
                + "[\"net.ipv4.tcp_keepalive_time\",1,32767,\"99999999\"]}"), noteAt(s, 3).warning().toJson());
        assertTrue(noteAt(s, 4).warning().toJson().contains("/etc/passwd"), noteAt(s, 4).warning().toJson());
        assertEquals("sysctl -w net.ipv4.tcp_keepalive_time=600;rm -rf /", ((Step.Note) s.get(0).step()).text());
    }

    @Test
    void everyTypedCommandIsFreeOfShellSyntax() throws IOException {
        List<String> documents = new ArrayList<>(List.of(HOSTILE, resource("markdown-fenced.md"),
                resource("numbered-list.txt"), resource("chinese-notes.md")));
        if (seedPath() != null) {
            documents.add(seed());
        }
        int typed = 0;
        for (String doc : documents) {
            for (ImportedStep s : DocumentImporter.read(null, doc).steps()) {
                String command = s.step().command(Bindings.NONE);
                if (command == null) {
                    continue;
                }
                typed++;
                if (s.step() instanceof Step.PersistSysctl p) {
                    String path = "/etc/sysctl.d/" + p.file();
                    String guard = Step.refuseSymlinks(path, path + ".linger-tmp");
                    assertTrue(command.startsWith(guard), command);
                    command = command.substring(guard.length());
                    assertTrue(command.startsWith("umask 022; printf '%s\\n' '") && command.contains(" > " + path
                            + ".linger-tmp && mv -f " + path + ".linger-tmp " + path + " && sysctl -p " + path), command);
                    command = command.substring(0, command.indexOf(" > "));
                    command = command.replace("umask 022;", "");
                }
                // RESTORE renders its recorded value as a placeholder until a job has recorded it
                command = command.replace("=<recorded value>", "=1");
                for (String bad : List.of(";", "$(", "`", "&&", "|", ">", "<")) {
                    assertTrue(!command.contains(bad), bad + " in " + command);
                }
            }
        }
        assertTrue(typed >= 25, "the documents hold typed steps: " + typed);
    }

    @Test
    void refusesEmptyHugeAndBinaryDocuments() {
        assertEquals(Text.of("refuse.documentEmpty"), refusal(null));
        assertEquals(Text.of("refuse.documentEmpty"), refusal(" \n\t\n"));
        String huge = "sysctl -w net.ipv4.tcp_fin_timeout=30\n".repeat(10_485_760 / 38 + 1).substring(0, 10_485_760);
        assertEquals(Text.of("refuse.documentLong", 10_485_760, 1_000_000), refusal(huge));

        byte[] bytes = new byte[64 * 1024];
        new Random(7).nextBytes(bytes);
        bytes[100] = 0;
        assertEquals(Text.of("refuse.documentBinary"), refusal(new String(bytes, StandardCharsets.ISO_8859_1)));
        String controls = "sysctl -a\u0001\u0002\u0003\n".repeat(100);
        assertEquals(Text.of("refuse.documentBinary"), refusal(controls));
        String replaced = "sysctl -a \uFFFD\uFFFD\n".repeat(100);
        assertEquals(Text.of("refuse.documentBinary"), refusal(replaced));
        // a stray control character or two in a real document is fine
        assertEquals(1, DocumentImporter.read(null, "x\u0007\n" + "sysctl -w net.ipv4.tcp_fin_timeout=30\n"
                + "prose line ".repeat(50)).steps().size());
    }

    @Test
    void aMillionCharacterDocumentImportsQuickly() {
        StringBuilder b = new StringBuilder();
        String block = resource("markdown-fenced.md") + "\n" + resource("chinese-notes.md") + "\n"
                + "A long line of prose with `inline code`, some CJK 文字 and sysctl mentions ".repeat(40) + "\n";
        while (b.length() + block.length() <= DocumentImporter.MAX_CHARS) {
            b.append(block);
        }
        b.append("x".repeat(DocumentImporter.MAX_CHARS - b.length()));
        assertEquals(DocumentImporter.MAX_CHARS, b.length());
        DocumentImporter.read(null, resource("markdown-fenced.md")); // warm up

        long start = System.nanoTime();
        ImportResult r = DocumentImporter.read(null, b.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 2000, "took " + millis + " ms");
        assertTrue(r.steps().size() > 1000, "steps: " + r.steps().size());
        assertTrue(r.steps().stream().map(ImportedStep::step).filter(Step.PersistSysctl.class::isInstance)
                .map(p -> ((Step.PersistSysctl) p).file()).distinct().count() > 100, "each persisted file is its own");
    }

    @Test
    void proseAndNoiseGiveNoSteps() {
        String prose = String.join("\n", "# Why ports stay taken", "",
                "Use ss to check, or netstat if ss is missing. You can kill the owner, but ask first.",
                "kill the stuck proxy only as a last resort.", "/proc/sys/net/ipv4/tcp_keepalive_time",
                "执行sysctl命令使修改生效。", "Logo", "更多推荐", "[Home](https://example.com) · [Blog](https://example.com/b)",
                "![logo](https://example.com/logo.png)", "<!-- sysctl -w net.ipv4.tcp_fin_timeout=1", "reboot", "-->",
                "The value net.ipv4.tcp_fin_timeout = 30 is the kernel's idea of a good default.",
                "# net.ipv4.tcp_fin_timeout = 30");
        ImportResult r = DocumentImporter.read(null, prose);
        assertEquals(List.of(), r.steps());
        assertEquals(List.of(), r.params());
        assertEquals("Why ports stay taken", r.title());
    }

    @Test
    void lineNumbersSurviveCrlfCrAndABom() {
        String doc = "\uFEFFTitle line\r\n\r\nsysctl -w net.ipv4.tcp_fin_timeout=30\r\nprose\rsysctl net.ipv4.tcp_fin_timeout\r\n";
        List<ImportedStep> s = DocumentImporter.read(null, doc).steps();
        assertEquals(2, s.size(), () -> describe(s));
        expect(s.get(0), StepType.SET_SYSCTL, 3, "tcp_fin_timeout=30", null, "value", "30");
        assertEquals("sysctl -w net.ipv4.tcp_fin_timeout=30", s.get(0).sourceText());
        expect(s.get(1), StepType.READ_SYSCTL, 5, "sysctl net.ipv4.tcp_fin_timeout", null,
                "key", "net.ipv4.tcp_fin_timeout");
        assertEquals("Title line", DocumentImporter.read(null, doc).title());
    }

    @Test
    void titleIsGivenElseHeadingElseFirstProseLine() {
        assertEquals("Mine", DocumentImporter.read("  Mine \n", "# Theirs\nsysctl -a").title());
        assertEquals("Theirs", DocumentImporter.read(null, "intro\n```\n# not a heading\n```\n## Theirs ##\n").title());
        String longLine = "word ".repeat(100);
        String title = DocumentImporter.read(null, "\n\n" + longLine + "\nsysctl -a").title();
        assertTrue(title.length() <= 200 && title.startsWith("word word"), title);
    }

    @Test
    void restoresNeedARecordedValueAndKeysMustBeClear() {
        List<ImportedStep> s = DocumentImporter.read(null, String.join("\n",
                "sysctl -w net.ipv4.tcp_fin_timeout=$OLD",
                "sysctl -a | grep keepalive",
                "sysctl -a | grep fin_timeout",
                "sysctl -w net.ipv4.tcp_fin_timeout=${OLD}",
                "echo 20 > /proc/sys/net/ipv4/tcp_fin_timeout",
                "cat /proc/sys/net/ipv4/tcp_keepalive_probes",
                "sysctl -p",
                "sysctl -w net.ipv4.tcp_keepalive_time=600 net.ipv4.tcp_keepalive_intvl=30")).steps();
        assertEquals(9, s.size(), () -> describe(s));
        expect(s.get(0), StepType.NOTE, 1, "$OLD", Flag.UNTYPED, "text", "sysctl -w net.ipv4.tcp_fin_timeout=$OLD");
        assertEquals(Text.of("step.importUnsavedVariable", "OLD"), s.get(0).warning());
        expect(s.get(1), StepType.NOTE, 2, "grep keepalive", Flag.UNTYPED, "text", "sysctl -a | grep keepalive");
        assertEquals(Text.of("step.importGrepKey"), s.get(1).warning());
        expect(s.get(2), StepType.READ_SYSCTL, 3, "fin_timeout", null, "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(3), StepType.RESTORE_SYSCTL, 4, "${OLD}", null, "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(4), StepType.SET_SYSCTL, 5, "echo 20", null, "key", "net.ipv4.tcp_fin_timeout", "value", "20");
        expect(s.get(5), StepType.READ_SYSCTL, 6, "cat /proc", null, "key", "net.ipv4.tcp_keepalive_probes");
        expect(s.get(6), StepType.NOTE, 7, "sysctl -p", Flag.NEEDLESS, "text", "sysctl -p");
        expect(s.get(7), StepType.SET_SYSCTL, 8, "tcp_keepalive_time=600", null, "value", "600");
        expect(s.get(8), StepType.SET_SYSCTL, 8, "tcp_keepalive_intvl=30", null, "value", "30");
    }

    @Test
    void checksBecomeWaitsOnlyWhenRepeated() {
        List<ImportedStep> s = DocumentImporter.read(null, String.join("\n",
                "CLOSE_WAIT:",
                "netstat -tanp | grep :8080",
                "ss -K state close-wait '( sport = :8080 )'",
                "netstat -tanp | grep :8080",
                "ss -tan '( sport = :9090 )'",
                "",
                "ss -tan '( sport = :7070 )'",
                "Look again and again, it takes a while.",
                "ss -tan state listening '( dport = :80 )'",
                "ss -K '( sport = :8080 )'",
                "ss -K state listening '( sport = :8080 )'")).steps();
        assertEquals(8, s.size(), () -> describe(s));
        expect(s.get(0), StepType.NOTE, 2, "grep :8080", null, "text", "netstat -tanp | grep :8080");
        expect(s.get(1), StepType.KILL_SOCKETS, 3, "ss -K", null, "state", "CLOSE_WAIT", "port", "{port}");
        expect(s.get(2), StepType.WAIT_SOCKETS, 4, "grep :8080", null, "state", "CLOSE_WAIT", "port", "{port}");
        expect(s.get(3), StepType.NOTE, 5, "9090", null, "text", "ss -tan '( sport = :9090 )'");
        // the next line says to repeat it, and the port is not the parameter's: it stays literal
        expect(s.get(4), StepType.WAIT_SOCKETS, 7, "7070", null, "state", "CLOSE_WAIT", "port", "7070");
        expect(s.get(5), StepType.NOTE, 9, "dport", Flag.UNTYPED, "text", "ss -tan state listening '( dport = :80 )'");
        expect(s.get(6), StepType.NOTE, 10, "ss -K '(", Flag.DANGEROUS, "text", "ss -K '( sport = :8080 )'");
        expect(s.get(7), StepType.NOTE, 11, "listening", Flag.UNTYPED, "text", "ss -K state listening '( sport = :8080 )'");
        assertEquals("step.importRefused", s.get(7).warning().key());
        assertTrue(s.get(7).warning().toJson().contains("\"key\":\"refuse.noKillListen\""),
                s.get(7).warning().toJson());
    }

    @Test
    void harmfulCommandsAreFlaggedDangerous() {
        List<String> harmful = List.of("/etc/init.d/networking restart", "service network restart",
                "systemctl restart NetworkManager.service", "systemctl stop systemd-networkd", "ifdown eth0",
                "ifup eth0", "ip link set eth0 down", "reboot", "shutdown -r now", "killall java", "pkill -9 java",
                "kill -KILL 31337", "sudo kill 4242", "kill -9 $(pidof java)", "iptables -F", "iptables --flush INPUT");
        List<ImportedStep> s = DocumentImporter.read(null, "```\n" + String.join("\n", harmful) + "\n```").steps();
        assertEquals(harmful.size(), s.size(), () -> describe(s));
        for (int i = 0; i < harmful.size(); i++) {
            expect(s.get(i), StepType.NOTE, i + 2, harmful.get(i), Flag.DANGEROUS, "text", harmful.get(i));
        }
        assertEquals(DocumentImporter.NETWORK, s.get(0).warning());
        assertEquals(DocumentImporter.REBOOT, s.get(7).warning());
        assertEquals(DocumentImporter.KILL, s.get(9).warning());
        // restarting something else, or reading firewall rules, is only a manual instruction
        List<ImportedStep> other = DocumentImporter.read(null, "```\nsystemctl restart nginx\niptables -L -n\n```")
                .steps();
        assertTrue(other.stream().allMatch(x -> x.flag() == Flag.UNTYPED), () -> describe(other));
    }

    @Test
    void aTerminalSessionInAFenceKeepsCommandsAndSkipsOutput() {
        List<ImportedStep> s = DocumentImporter.read(null, String.join("\n", "```",
                "$ sysctl net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_fin_timeout = 60", "$ uptime",
                " 03:12:01 up 12 days", "```", "```bash", "sysctl -w \\", "  net.ipv4.tcp_fin_timeout=30",
                "curl -s https://example.com/health", "```")).steps();
        assertEquals(4, s.size(), () -> describe(s));
        expect(s.get(0), StepType.READ_SYSCTL, 2, "$ sysctl", null, "key", "net.ipv4.tcp_fin_timeout");
        expect(s.get(1), StepType.NOTE, 4, "uptime", Flag.UNTYPED, "text", "uptime");
        expect(s.get(2), StepType.SET_SYSCTL, 8, "sysctl -w \\\n  net.ipv4.tcp_fin_timeout=30", null, "value", "30");
        expect(s.get(3), StepType.NOTE, 10, "curl", Flag.UNTYPED, "text", "curl -s https://example.com/health");
    }

    @Test
    void longAndDirtyLinesAreCappedAndCleaned() {
        String line = "sysctl -w net.ipv4.tcp_fin_timeout=30 " + "x".repeat(3000) + "\u0007";
        ImportedStep s = DocumentImporter.read(null, "```\n" + line + "\n```").steps().get(0);
        assertEquals(StepType.NOTE, s.step().type());
        assertEquals(2000, s.sourceText().length());
        assertEquals(2000, ((Step.Note) s.step()).text().length());
        assertTrue(s.sourceText().chars().noneMatch(c -> c < 0x20));
    }

    // ---- helpers ----

    private static void expect(ImportedStep s, StepType type, int line, String sourcePart, Flag flag, String... fields) {
        assertEquals(type, s.step().type(), s::toString);
        assertEquals(line, s.sourceLine(), s::toString);
        assertTrue(s.sourceText().contains(sourcePart), () -> "'" + sourcePart + "' not in " + s.sourceText());
        assertEquals(flag, s.flag(), s::toString);
        for (int i = 0; i < fields.length; i += 2) {
            assertEquals(fields[i + 1], s.step().fields().get(fields[i]), fields[i] + " of " + s);
        }
        if (flag != null) {
            assertNotNull(s.warning(), "a flagged step says why");
        }
    }

    private static ImportedStep noteAt(List<ImportedStep> steps, int line) {
        return steps.stream().filter(s -> s.sourceLine() == line).findFirst().orElseThrow();
    }

    private static Text refusal(String text) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> DocumentImporter.read(null, text));
        assertEquals(List.of("text"), List.copyOf(e.fields().keySet()));
        return e.fields().get("text");
    }

    private static String describe(List<ImportedStep> steps) {
        StringBuilder b = new StringBuilder("\n");
        steps.forEach(s -> b.append(s.sourceLine()).append(' ').append(s.step().type()).append(' ')
                .append(s.step().fields()).append(' ').append(s.flag()).append('\n'));
        return b.toString();
    }

    private String resource(String name) {
        try (InputStream in = getClass().getResourceAsStream("/runbook/import/" + name)) {
            assertNotNull(in, "test resource /runbook/import/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path seedPath() {
        for (Path p : List.of(Path.of("../shared/seed", SEED), Path.of("/work/shared/seed", SEED))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String seed() throws IOException {
        Path p = seedPath();
        if (p == null) {
            Assumptions.abort("THE SEED DOCUMENT IS NOT ON THIS MACHINE (looked for ../shared/seed/" + SEED
                    + " and /work/shared/seed/" + SEED + "), SO THE SEED IMPORT TEST DID NOT RUN.");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
