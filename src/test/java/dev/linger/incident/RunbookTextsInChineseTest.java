package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The runbook texts a page shows (check verdicts, check meanings, step titles, what a step changes, how it is undone,
 * the editor's labels) in the reader's language; English pages keep the English word for word.
 */
@QuarkusTest
class RunbookTextsInChineseTest {

    static final String ZH = IncidentExplanationPageTest.CHINESE_BROWSER;

    @Inject
    TestUsers users;

    @Test
    void theIncidentPageListsTheChecksOfEachRunbookInTheReadersLanguage() throws Exception {
        long id = IncidentExplanationPageTest.incident("CLOSE_WAIT_LEAK", 9080, "{\"direction\":\"incoming\","
                + "\"count\":12,\"samples\":[{\"local\":\"10.0.0.1:9080\"}]}", "CRITICAL");
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE host SET can_kill_sockets = true WHERE id = (SELECT host_id FROM incident WHERE id = " + id
                    + ")");
        }
        String zh = IncidentExplanationPageTest.admin(ZH).get("/incidents/" + id).then().statusCode(200).extract()
                .asString();
        assertTrue(zh.contains("<span aria-hidden=\"true\">✓</span> 这台主机上 ss -K 可用。</li>"), zh);
        assertTrue(zh.contains("尚不清楚：最近的采集都没有列出套接字。"), zh);
        assertFalse(zh.contains("ss -K works on this host."), zh);

        String en = IncidentExplanationPageTest.admin("en-US").get("/incidents/" + id).then().statusCode(200).extract()
                .asString();
        assertTrue(en.contains("<span aria-hidden=\"true\">✓</span> ss -K works on this host.</li>"), en);
        assertTrue(en.contains("Not known yet: no recent collection lists sockets."), en);
        assertFalse(en.contains("可用"), en);
    }

    @Test
    void aRunbookPageShowsItsChecksAndStepsInTheReadersLanguage() {
        TestUsers.Person viewer = users.create("viewer");
        String zh = Browser.signedIn(viewer.name(), viewer.password()).acceptLanguage(ZH)
                .get("/runbooks/fin-wait1-drain-orphans?port=9080").then().statusCode(200).extract().asString();
        assertTrue(zh.contains("<li>主机上存在 net.ipv4.tcp_max_orphans（即机器自己的网络栈，不是容器或网络命名空间的）</li>"), zh);
        assertTrue(zh.contains("设置内核参数（运行时）"), zh);
        assertTrue(zh.contains("<span class=\"badge risk-HIGH\">高</span>"), "the risk badge is a word: " + zh);
        assertTrue(zh.contains("net.ipv4.tcp_max_orphans 的运行时值改为 0（重启前有效）。全局生效"), zh);
        assertTrue(zh.contains("<span class=\"badge undo-AUTOMATIC\">自动撤销</span> Linger 把 net.ipv4.tcp_max_orphans 改回"), zh);
        assertTrue(zh.contains("sysctl -w net.ipv4.tcp_max_orphans=0"), "commands stay as they are");
        assertFalse(zh.contains("System-wide") || zh.contains("Set a sysctl (runtime)"), zh);

        String en = Browser.signedIn(viewer.name(), viewer.password()).acceptLanguage("en-US")
                .get("/runbooks/fin-wait1-drain-orphans?port=9080").then().statusCode(200).extract().asString();
        assertTrue(en.contains("<li>net.ipv4.tcp_max_orphans exists on the host (the machine&#39;s own network stack,"
                + " not a container&#39;s or a network namespace&#39;s)</li>"), en);
        assertTrue(en.contains("Set a sysctl (runtime)"), en);
        assertTrue(en.contains("<span class=\"badge undo-AUTOMATIC\">undone automatically</span> Linger sets net.ipv4.tcp_max_orphans"
                + " back to the value it recorded just before."), en);
        assertTrue(en.contains("(until reboot). System-wide: one value for the whole machine"), en);
        assertFalse(en.contains("全局生效"), en);
    }

    @Test
    void theEditorLabelsItsFieldsInTheReadersLanguage() {
        TestUsers.Person operator = users.create("operator");
        String zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage(ZH)
                .get("/runbooks/kill-close-wait-sockets/edit").then().statusCode(200).extract().asString();
        assertTrue(zh.contains("关闭某个端口的套接字"), zh);
        assertTrue(zh.contains("<option value=\"KILL_SOCKETS\">关闭某个端口的套接字</option>"), "step types by name: " + zh);
        assertTrue(zh.contains(">严重</option>"), "risks by name: " + zh);
        assertTrue(zh.contains("<option value=\"PORT\" selected>端口</option>"), "parameter types by name: " + zh);
        assertTrue(zh.contains("<option value=\"CLOSE_WAIT\" selected translate=\"no\">CLOSE_WAIT</option>"),
                "a TCP state stays as it is, marked as no words: " + zh);
        assertTrue(zh.contains(">TCP 状态</label>") && zh.contains(">本地端口</label>"), zh);
        assertTrue(zh.contains(">名称</label>") && zh.contains(">取值来源</label>"), zh);
        assertFalse(zh.contains(">Local port</label>") || zh.contains(">Filled from</label>"), zh);

        String en = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("en-US")
                .get("/runbooks/kill-close-wait-sockets/edit").then().statusCode(200).extract().asString();
        assertTrue(en.contains("Kill one port&#39;s sockets"), en);
        assertTrue(en.contains("<option value=\"SIGNAL_PROCESS\">Signal a process</option>"), en);
        assertTrue(en.contains(">Local port</label>") && en.contains(">Filled from</label>") && en.contains(">Name</label>"),
                en);
        assertFalse(en.contains("本地端口"), en);
    }
}
