package dev.linger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import dev.linger.collect.SnapshotStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shared pages read in Chinese as a Chinese on-call engineer reads them: badges, the chart's title and legend,
 * timers, namespace kinds, roles and labels are words of the catalogue; what is left in Latin letters is either
 * marked as not translatable (host and user names, ports, kernel states, commands, pids: {@code translate="no"},
 * {@code <code>}, {@code <time>}) or one of the few abbreviations Chinese ops teams write as they are.
 */
@QuarkusTest
class ChineseSharedPagesTest {

    static final String CHINESE = "zh-CN,zh;q=0.9";
    /** Written as they are in Chinese text: tools, units and protocol names, kernel names inside sentences. */
    static final Set<String> AS_THEY_ARE = Set.of("Linger", "UTC", "pid", "tid", "ps", "ss", "Pod", "TCP", "SSH", "sudo",
            "I/O", "Recv-Q", "Send-Q", "CLOSE-WAIT", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "ESTAB", "LISTEN", "SYN-SENT",
            "SYN-RECV", "LAST-ACK", "CLOSING", "API", "Webhook", "JSON", "uid", "HTTP", "Basic", "ppid", "JSONL",
            // the command ip netns and the kernel's name of a namespace, net:[inode]
            "ip", "netns", "net");
    /** Names in the fixture that sentences of the catalogue carry as values: namespaces, containers, users. */
    static final Set<String> NAMES = Set.of("blue", "checkout-7d9f", "shop-checkout-x2l", "abcdef012345", "f2a9c1e",
            TestUsers.ADMIN, "system");

    @Inject
    SnapshotStore snapshots;
    @Inject
    Clock clock;

    /** The text a reader sees, without what is marked as not to be translated, and without markup. */
    static String visible(String html) {
        String body = html.substring(html.indexOf("<body"));
        body = body.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<!--.*?-->", " ");
        StringBuilder out = new StringBuilder();
        Deque<String> skipping = new ArrayDeque<>();
        Matcher tag = Pattern.compile("<(/?)([a-zA-Z0-9]+)([^>]*)>").matcher(body);
        int last = 0;
        while (tag.find()) {
            if (skipping.isEmpty()) {
                out.append(body, last, tag.start()).append(' ');
            }
            last = tag.end();
            String name = tag.group(2).toLowerCase();
            boolean closing = !tag.group(1).isEmpty();
            boolean selfClosing = tag.group(3).endsWith("/") || Set.of("br", "input", "meta", "link", "img", "hr").contains(name);
            if (closing) {
                if (!skipping.isEmpty() && skipping.peek().equals(name)) {
                    skipping.pop();
                }
            } else if (!selfClosing && (!skipping.isEmpty() ? skipping.peek().equals(name)
                    : tag.group(3).contains("translate=\"no\"") || Set.of("code", "pre", "kbd", "time").contains(name))) {
                skipping.push(name);
            }
        }
        out.append(body.substring(last));
        return out.toString().replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"");
    }

    static Set<String> latinWords(String text) {
        Set<String> users = dev.linger.Sql.names();
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("[A-Za-z][A-Za-z0-9/_.\\-]*[A-Za-z0-9]|[A-Za-z]").matcher(text);
        while (m.find()) {
            String w = m.group();
            if (!AS_THEY_ARE.contains(w) && !NAMES.contains(w) && !users.contains(w) && !w.matches("net\\.ipv4\\..*|[a-zA-Z]|\\d.*")) {
                words.add(w);
            }
        }
        return words;
    }

    void speaksOnlyChinese(Browser b, String path) {
        String page = b.get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<html lang=\"zh-CN\">"), path);
        assertEquals(Set.of(), latinWords(visible(page)), path + " shows English words");
    }

    @Test
    void theHostPageHasNoEnglishBadgesChartOrLabels() throws Exception {
        long host = HostNamespacesTest.host("zh-page");
        Instant at = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, at, Duration.ofMillis(7),
                snapshots.continued(host, at, HostGroupsTest.node())));
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(CHINESE);
        String page = b.get("/hosts/" + host).then().statusCode(200).extract().asString();
        assertTrue(page.contains("各端口、各状态的套接字数"), "the chart's title");
        assertTrue(page.contains("<span class=\"badge status-UNKNOWN\">尚未采集</span>"), "the status badge");
        assertTrue(page.contains("无定时器"), "timers in words");
        speaksOnlyChinese(b, "/hosts/" + host);
        speaksOnlyChinese(b, "/hosts");
    }

    @Test
    void theOverviewUsersAndAccountPagesHaveNoEnglishWords() {
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(CHINESE);
        String users = b.get("/users").then().statusCode(200).extract().asString();
        for (String role : List.of("管理员", "操作员", "审批人", "只读用户")) {
            assertTrue(users.contains("> " + role + "</label>"), role);
        }
        String account = b.get("/account").then().statusCode(200).extract().asString();
        assertTrue(account.contains("当前登录用户 " + TestUsers.ADMIN + "，角色："), account);
        for (String path : List.of("/", "/users", "/account", "/audit")) {
            speaksOnlyChinese(b, path);
        }
        speaksOnlyChinese(Browser.anonymous().acceptLanguage(CHINESE), "/login");
    }

    /** A flash message is stored as its key and values, and said in the language of the page that shows it. */
    @Test
    void aFlashMessageIsSaidInTheLanguageOfThePageThatShowsIt() {
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage("en");
        String name = "zhflash" + Long.toHexString(System.nanoTime()).substring(0, 6);
        io.restassured.response.Response posted = b.postForm("/users",
                java.util.Map.of("username", name, "password", "long-enough-pw", "roles", "viewer"));
        assertEquals(303, posted.statusCode());
        String flash = java.net.URLDecoder.decode(posted.getCookie("linger_flash"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(flash.contains("\"key\":\"act.userAdded\"") && !flash.contains("Added " + name), "the cookie carries the key: " + flash);
        // posted from an English page, read on a Chinese one: the words follow the reader
        String page = b.acceptLanguage(CHINESE).get("/users").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<p class=\"flash\" role=\"status\">已添加 " + name + "（只读用户）。</p>"), page);
    }
}
