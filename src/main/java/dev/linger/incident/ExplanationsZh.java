package dev.linger.incident;

import static dev.linger.incident.Explanations.counts;
import static dev.linger.incident.Explanations.num;
import static dev.linger.incident.Explanations.percent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.linger.collect.NetNamespace;

/**
 * The Chinese rendering of {@link Explanations}, computed when a page is shown (the stored text stays English: it
 * also goes to webhooks and the timeline). Same facts from the same evidence, so both languages say the same thing;
 * numbers, pids, ports, commands and TCP state names are left as they are.
 */
final class ExplanationsZh {

    private ExplanationsZh() {
    }

    /** The Chinese text for a kind the detector explains; null for kinds whose text is made elsewhere. */
    static String of(IncidentKind kind, int port, Map<String, Object> ev) {
        return of(kind, port, ev, null);
    }

    /** {@code ns}: the incident's namespace; null or the host's own names nothing. */
    static String of(IncidentKind kind, int port, Map<String, Object> ev, NetNamespace ns) {
        return switch (kind) {
            case CLOSE_WAIT_LEAK -> closeWaitLeak(port, ev, ns);
            case FIN_WAIT1_STUCK -> finWait1Stuck(port, ev, ns);
            case DEFUNCT_OWNER -> defunctOwner(port, ev, ns);
            case ORPHAN_PRESSURE -> orphanPressure(ev);
            case PORT_BLOCKED -> portBlocked(port, ev);
            default -> null;
        };
    }

    static String closeWaitLeak(int port, Map<String, Object> ev) {
        return closeWaitLeak(port, ev, null);
    }

    static String closeWaitLeak(int port, Map<String, Object> ev, NetNamespace ns) {
        long count = num(ev, "count");
        boolean outgoing = "outgoing".equals(ev.get("direction"));
        StringBuilder b = new StringBuilder();
        b.append(subject(outgoing, count, port, ns));
        String since = since(ev);
        b.append(since.isEmpty() ? "处于 CLOSE-WAIT 状态" : since + "一直处于 CLOSE-WAIT 状态");
        if (ev.get("growth") instanceof List<?> growth) {
            b.append("，且最近 ").append(growth.size() - 1).append(" 次采集每次都在增长（");
            for (int i = 0; i < growth.size(); i++) {
                b.append(i == 0 ? "" : " → ").append(growth.get(i));
            }
            b.append('）');
        }
        b.append(outgoing ? (Explanations.isHost(ns) ? "：对端已经关闭，本机程序却没有关闭。" : "：对端已经关闭，里面的程序却没有关闭。")
                : "：对端已经关闭了自己一侧，程序却一直没有关闭自己这一侧。");
        long withUnread = num(ev, "withUnreadBytes");
        String who = who(ev);
        boolean lines = ev.get("samples") instanceof List<?> samples && !samples.isEmpty();
        if (withUnread > 0) {
            if (ev.containsKey("unreadBytesEach") && withUnread == count) {
                b.append("每个连接都有 ").append(bytes(num(ev, "unreadBytesEach"))).append("未读");
            } else {
                b.append("其中 ").append(withUnread).append(" 个连接共有 ").append(bytes(num(ev, "unreadBytes")))
                        .append("未读");
            }
            b.append(who == null ? "：持有它们的进程已不再读取。" : "：持有它们的进程 " + who + " 已不再读取。");
        } else if (lines) {
            b.append("没有未读字节：").append(who == null ? "持有它们的进程" : "进程 " + who)
                    .append(" 一直在读，却从不关闭连接。");
        } else {
            // only the count is known, as in English: say nothing about bytes or owners we did not see
            b.append("Linger 只拿到了数量，没有这些连接的明细。");
        }
        if (who == null && lines) {
            b.append("Linger 没有找到持有它们的进程。");
        }
        long withKeepalive = num(ev, "withKeepalive");
        if (withKeepalive == 0) {
            b.append("调 keepalive 参数没有用：这些连接没有开启 SO_KEEPALIVE。");
        } else if (withKeepalive < count) {
            b.append("调 keepalive 参数只对开启了 SO_KEEPALIVE 的 ").append(withKeepalive)
                    .append(" 个连接有效，而且只能清掉对端已经不在的连接。");
        } else {
            b.append("它们开启了 SO_KEEPALIVE，调 keepalive 参数也只能清掉对端已经不在的连接。");
        }
        b.append("根本的解决办法在持有连接的进程上。");
        otherDirection(b, port, ev, "CLOSE-WAIT");
        return fit(b);
    }

    static String finWait1Stuck(int port, Map<String, Object> ev) {
        return finWait1Stuck(port, ev, null);
    }

    static String finWait1Stuck(int port, Map<String, Object> ev, NetNamespace ns) {
        long count = num(ev, "count");
        boolean outgoing = "outgoing".equals(ev.get("direction"));
        StringBuilder b = new StringBuilder();
        b.append(subject(outgoing, count, port, ns)).append(since(ev)).append("一直卡在 FIN-WAIT-1 状态");
        long sendQ = num(ev, "sendQ");
        if (sendQ > 0) {
            b.append("，还有 ").append(bytes(sendQ)).append("未发出");
        }
        b.append("：本端已经关闭，对端一直没有确认。");
        Map<?, ?> timers = ev.get("timers") instanceof Map<?, ?> m ? m : Map.of();
        long persist = num(timers, "persist");
        long on = num(timers, "on");
        if (persist > 0) {
            b.append(persist == count ? "全部连接" : "其中 " + persist + " 个连接")
                    .append("都在等 persist 定时器：对端通告零窗口，已经不再读取。");
        }
        if (on > 0) {
            b.append(on == count ? "全部连接" : "其中 " + on + " 个连接").append("都在重传，对端没有应答。");
        }
        long orphaned = num(ev, "orphaned");
        String who = who(ev);
        if (orphaned > 0) {
            b.append(orphaned == count ? (count == 1 ? "它是孤儿连接" : "全部都是孤儿连接")
                    : "其中 " + orphaned + " 个是孤儿连接");
            b.append("：没有进程持有它们，重启哪个进程都释放不了。");
            Object present = ev.get("tcpMaxOrphansPresent");
            if (Boolean.FALSE.equals(present)) {
                b.append("这个网络命名空间里没有 tcp_max_orphans，无法在这里用它清理。");
            } else {
                b.append("用 tcp_max_orphans=0 清理会影响整台主机：");
                b.append(ev.containsKey("hostOrphans") ? "主机上全部 " + num(ev, "hostOrphans") + " 个孤儿连接都会被清掉。"
                        : "主机上所有孤儿连接都会被清掉。");
            }
        }
        if (orphaned < count && who != null) {
            b.append(orphaned > 0 ? "其余连接属于 " : "它们属于 ").append(who).append('。');
        }
        b.append(Explanations.isHost(ns) ? "" : "在该网络命名空间里执行 ").append('`').append(ev.get("killCommand"))
                .append("` 只会杀掉这些连接。");
        otherDirection(b, port, ev, "FIN-WAIT-1");
        return fit(b);
    }

    static String defunctOwner(int port, Map<String, Object> ev) {
        return defunctOwner(port, ev, null);
    }

    static String defunctOwner(int port, Map<String, Object> ev, NetNamespace ns) {
        long pid = num(ev, "pid");
        long threads = num(ev, "threads");
        long sockets = num(ev, "sockets");
        long ppid = num(ev, "ppid");
        Object command = ev.get("command");
        StringBuilder b = new StringBuilder();
        b.append(command == null ? "进程" : "进程 " + command).append("（pid ").append(pid)
                .append("）已成为僵尸进程，却没有退出干净：主线程已退出，但还有 ").append(threads - 1)
                .append(" 个线程持有").append(in(ns));
        if (port > 0) {
            b.append("端口 :").append(port).append(" 上的");
        }
        b.append(' ').append(sockets).append(" 个连接");
        if (ev.get("states") instanceof Map<?, ?> states && !states.isEmpty()) {
            b.append("（").append(counts(states)).append('）');
        }
        b.append("。`ss -p` 和 `netstat -p` 都看不到它们的属主：/proc/").append(pid)
                .append("/fd 是空的，文件描述符在 /proc/").append(pid).append("/task/");
        b.append(ev.get("tids") instanceof List<?> tids && tids.size() == 1 ? tids.get(0) : "TID").append("/fd 下。");
        Object parent = ev.get("parentCommand");
        boolean orphan = Boolean.TRUE.equals(ev.get("orphan"));
        // as in English: the parent as seen, never "init reaps it"
        b.append("它的父进程是 ").append(parent != null ? parent + "（pid " + ppid + "）"
                : "pid " + ppid + "（本次采集没有看到它）");
        b.append(orphan ? "，它是孤儿进程。" : "。")
                .append("要等它的最后一个线程退出后，它才能被回收。结束该进程（kill ").append(pid).append("）即可关闭这些连接。");
        if (ev.get("otherDefunct") instanceof List<?> others && !others.isEmpty()) {
            b.append("另有 ").append(others.size()).append(" 个僵尸进程也在这里持有连接。");
        }
        return fit(b);
    }

    static String orphanPressure(Map<String, Object> ev) {
        StringBuilder b = new StringBuilder();
        b.append(num(ev, "orphans")).append(" 个孤儿 TCP 连接（程序已关闭、内核还留着）已达到 tcp_max_orphans（")
                .append(num(ev, "max")).append("）的 ").append(percent(ev.get("percent")))
                .append(" %。到达上限后，内核会直接重置孤儿连接，并在日志里记录 \"TCP: too many orphaned sockets\"。"
                        + "孤儿连接通常堆在 FIN-WAIT-1 状态，对端已经不再读取：请检查本机的 FIN-WAIT-1 连接。");
        return fit(b);
    }

    static String portBlocked(int port, Map<String, Object> ev) {
        long count = num(ev, "count");
        StringBuilder b = new StringBuilder();
        b.append("端口 :").append(port).append(" 是本机的服务端口，现在没有进程监听，却仍有 ").append(count)
                .append(" 个连接占着它");
        if (ev.get("states") instanceof Map<?, ?> states && !states.isEmpty()) {
            // as in English: TIME-WAIT listed apart so the numbers add up
            Map<Object, Object> blocking = new LinkedHashMap<>(states);
            Object timeWait = blocking.remove(Detector.TIME_WAIT);
            b.append("（").append(counts(blocking));
            if (timeWait != null) {
                b.append("；另有 ").append(timeWait).append(" 个处于 TIME-WAIT");
            }
            b.append('）');
        }
        b.append("。在它们消失之前，重启时绑定 :").append(port).append(" 可能会报 \"Address already in use\"。");
        String who = who(ev);
        long orphaned = num(ev, "orphaned");
        if (who != null) {
            b.append("属主：").append(who).append('。');
        }
        if (orphaned > 0) {
            b.append(orphaned).append(" 个连接没有所属进程。");
        }
        return fit(b);
    }

    // ---- pieces ----

    private static String subject(boolean outgoing, long count, int port, NetNamespace ns) {
        if (!Explanations.isHost(ns)) {
            // “容器 `checkout-7d9f`（3f2a1b9c0d1e）里 :9080 上有 12 个连接”
            return outgoing ? in(ns) + "有 " + count + " 个到端口 :" + port + " 的出站连接"
                    : in(ns) + " :" + port + " 上有 " + count + " 个连接";
        }
        return outgoing ? "本机有 " + count + " 个到端口 :" + port + " 的出站连接"
                : "端口 :" + port + " 上有 " + count + " 个连接";
    }

    /**
     * "容器 `checkout-7d9f`（3f2a1b9c0d1e）里", "Pod `web-0`（容器 3f2a1b9c0d1e，uid 6e1f…）里", "网络命名空间 `blue` 里",
     * "网络命名空间 net:[4026532] 里"; "" for the host's own. Names are cleaned as in English, escaped by the page.
     */
    static String in(NetNamespace ns) {
        if (Explanations.isHost(ns)) {
            return "";
        }
        String name = Explanations.name(ns);
        String id = ns.shortId() == null || ns.shortId().equals(ns.name()) ? null : Explanations.name(ns.shortId());
        return switch (ns.kind()) {
            case CONTAINER -> "容器 `" + name + "`" + (id == null ? "" : "（" + id + "）") + "里";
            case POD -> "Pod `" + name + "`" + Explanations.podDetail(ns, "容器 ", "uid ", "，", "（", "）") + "里";
            default -> Explanations.unnamed(ns) ? "网络命名空间 net:[" + ns.inode() + "] 里"
                    : "网络命名空间 `" + name + "` 里";
        };
    }

    /** "自 02:41 UTC 起（已 14 分钟）", or "" when the condition is seen for the first time. */
    private static String since(Map<String, Object> ev) {
        Explanations.Since since = Explanations.sinceOf(ev);
        return since == null ? "" : "自 " + since.clock() + " UTC 起（已 " + duration(since.ageSeconds()) + "）";
    }

    static String duration(long seconds) {
        if (seconds < 90) {
            return seconds + " 秒";
        }
        long minutes = seconds / 60;
        if (minutes < 90) {
            return minutes + " 分钟";
        }
        long hours = minutes / 60;
        return hours < 48 ? hours + " 小时 " + minutes % 60 + " 分钟" : hours / 24 + " 天";
    }

    /** KiB and MiB end with a space and 字节 needs none, so "7 字节未读" and "1.5 KiB 未读" both read right. */
    static String bytes(long n) {
        if (n < 10_000) {
            return n + " 字节";
        }
        if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB ", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB ", n / (1024.0 * 1024));
    }

    /** "java (pid 4242)" or "java (pid 4242) 及另外 2 个进程"; null when no owner is known. */
    private static String who(Map<String, Object> ev) {
        Explanations.Owners owners = Explanations.ownersOf(ev);
        if (owners == null) {
            return null;
        }
        return owners.others() == 0 ? owners.first() : owners.first() + " 及另外 " + owners.others() + " 个进程";
    }

    private static void otherDirection(StringBuilder b, int port, Map<String, Object> ev, String state) {
        if (ev.get("otherDirection") instanceof Map<?, ?> other) {
            boolean outgoing = "outgoing".equals(other.get("direction"));
            long n = num(other, "count");
            b.append("另外还有 ").append(n).append(outgoing ? " 个到 :" + port + " 的出站连接" : " 个本地 :" + port + " 上的连接")
                    .append("处于 ").append(state).append(" 状态。");
        }
    }

    /** Same limit as the English text: cut at a Chinese sentence end. */
    private static String fit(StringBuilder b) {
        if (b.length() <= Explanations.MAX_CHARS) {
            return b.toString();
        }
        int cut = b.lastIndexOf("。", Explanations.MAX_CHARS - 1);
        return cut > Explanations.MAX_CHARS / 2 ? b.substring(0, cut + 1) : b.substring(0, Explanations.MAX_CHARS - 1) + "…";
    }
}
