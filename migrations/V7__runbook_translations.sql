-- Runbook texts in other languages than the one they were written in: shown on the pages when a
-- person reads Linger in that language, falling back to the stored text. Kept beside the immutable
-- runbook_version (never in it): a translation changes how a version reads, never what it runs.

CREATE TABLE runbook_translation (
    runbook_version_id bigint NOT NULL REFERENCES runbook_version (id),
    lang               text   NOT NULL,
    title              text   NOT NULL,
    description        text   NOT NULL DEFAULT '',
    -- {"param name": "label"}
    param_labels       jsonb  NOT NULL DEFAULT '{}'::jsonb,
    -- {"step number, from 1": "text of its NOTE"}
    step_texts         jsonb  NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (runbook_version_id, lang),
    CONSTRAINT runbook_translation_lang_known CHECK (lang IN ('zh')),
    CONSTRAINT runbook_translation_labels_object CHECK (jsonb_typeof(param_labels) = 'object'),
    CONSTRAINT runbook_translation_steps_object CHECK (jsonb_typeof(step_texts) = 'object')
);

-- The Simplified Chinese of the runbooks shipped in V5 (version 1 of each; nothing when a slug is absent).
-- (Each JSON text starts after a space: Flyway reads a dollar sign right before a brace as a placeholder.)
CREATE FUNCTION pg_temp.translate(p_slug text, p_title text, p_labels jsonb, p_steps jsonb, p_description text)
    RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO runbook_translation (runbook_version_id, lang, title, description, param_labels, step_texts)
    SELECT v.id, 'zh', p_title, p_description, p_labels, p_steps
      FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id
     WHERE r.slug = p_slug AND r.shipped AND v.version = 1;
$$;

SELECT pg_temp.translate('fin-wait1-drain-orphans', '用孤儿连接上限清理 FIN-WAIT-1 孤儿连接',
    $json$ {"port": "端口"}$json$, '{}',
    $text$释放被 FIN-WAIT-1 连接占住的端口，这些连接的程序已经关闭了它们（即孤儿连接）。我们发出的 FIN 始终得不到确认：对端通告零窗口（Send-Q 一直是满的，定时器为 "persist"），或者对端已经消失（定时器为 "on"），内核会在很多分钟里不停重试。

把 net.ipv4.tcp_max_orphans 设为 0 后，内核会在每个孤儿连接的下一次定时器触发时将其杀掉，并在日志里记下 "TCP: too many orphaned sockets"。在 Linux 6 上实测：三个卡住的连接大约 5 秒内就没了。任务会先记录原来的上限值，等到端口上不再有 FIN-WAIT-1 连接，再把记录的值恢复回去。

影响范围：这个上限是整台机器共用的一个值。在它为 0 期间，主机上所有端口的每一个孤儿连接都会被杀掉，包括其他服务正在正常关闭的连接。请尽量缩短这个窗口；主机支持时，优先使用有针对性的 ss -K 运维手册。

在容器或网络命名空间内不适用：tcp_max_orphans 只存在于机器的初始网络命名空间。在那种环境下，请使用针对性的 kill。$text$);

SELECT pg_temp.translate('kill-fin-wait1-sockets', '杀掉某个端口的 FIN-WAIT-1 连接（ss -K）',
    $json$ {"port": "端口"}$json$, '{}',
    $text$只销毁本地端口为事件端口的 FIN-WAIT-1 连接，其他一概不动：影响范围是最小的。它们的程序已经关闭了这些连接；损失的只是发往一个不再读取数据的对端、尚未发出的字节。

需要 ss -K，它依赖内核选项 CONFIG_INET_DIAG_DESTROY；Linger 每次采集都会检查，只在它可用的主机上提供这个运维手册。在容器和网络命名空间里同样可用，而那些地方无法使用孤儿连接上限的清理方法。$text$);

SELECT pg_temp.translate('kill-close-wait-sockets', '杀掉某个端口的 CLOSE-WAIT 连接（ss -K）',
    $json$ {"port": "端口"}$json$, '{}',
    $text$销毁本地端口为事件端口的 CLOSE-WAIT 连接，让端口和它们背后占用的内核内存重新空出来。对端早就关闭了这些连接；内核自己永远不会让 CLOSE-WAIT 超时。

这只是治标。持有这些连接的程序仍然拿着它们的文件描述符：它下一次在上面读写会失败，而且还会继续泄漏，因为它不关闭对端已经关闭的连接。请安排修复属主进程（见排查运维手册），并在批准前阅读事件的证据：Recv-Q 里有字节，说明程序连读取也停了。

需要 ss -K（内核选项 CONFIG_INET_DIAG_DESTROY）；Linger 只在它可用的主机上提供这个运维手册。$text$);

SELECT pg_temp.translate('tcp-keepalive-runtime', '缩短 TCP keepalive（运行时）',
    $json$ {"port": "端口", "idle_seconds": "首次探测前的空闲秒数", "interval_seconds": "探测间隔秒数",
           "probes": "断开前允许无应答的探测次数"}$json$, '{}',
    $text$让内核更快发现已经失效的对端：空闲时间过后发出一次探测，按间隔重复，在给定次数的探测都没有应答后断开连接。这样，一个已经消失的对端会在 空闲 + 间隔 × 次数 秒之后被发现（默认值下是 645 秒），而不是两个多小时。

先确认它到底能不能起作用：keepalive 只在程序设置了 SO_KEEPALIVE 的连接上运行（ss -o 会显示 timer:(keepalive,…)）。Linger 会检查该端口的 CLOSE-WAIT 连接，如果它们都没有 keepalive 定时器，会直接说明：这时这些设置对它们毫无作用，真正要修的是不关闭连接的属主进程。

这些值属于主机的网络命名空间，作用于其中所有启用了 keepalive 的连接，重启后失效；持久化的运维手册会把它们写入 /etc/sysctl.d。$text$);

SELECT pg_temp.translate('tcp-keepalive-persistent', '缩短 TCP keepalive（持久化，/etc/sysctl.d）',
    $json$ {"port": "端口", "idle_seconds": "首次探测前的空闲秒数", "interval_seconds": "探测间隔秒数",
           "probes": "断开前允许无应答的探测次数"}$json$, '{}',
    $text$让更短的 keepalive 设置在重启后依然有效：把它们写入 /etc/sysctl.d/90-linger-keepalive.conf（开机时会像 /etc/sysctl.conf 一样读取它），并立即用 sysctl -p 应用这个文件。重启网络服务既没有必要，也不安全。

请在运行时的设置经过业务最繁忙时段的检验之后再使用。限制与运行时运维手册相同：只有启用了 SO_KEEPALIVE 的连接会受影响；如果该端口的 CLOSE-WAIT 连接都没有 keepalive 定时器，Linger 会直接说明。$text$);

SELECT pg_temp.translate('close-wait-owner-triage', '排查 CLOSE-WAIT 或已失效属主背后的进程',
    $json$ {"port": "端口", "pid": "属主进程"}$json$,
    $json$ {"1": "阅读事件的证据：持有该端口 CLOSE-WAIT 连接的进程、它的状态、它的父进程（PPID）以及父进程的命令。Recv-Q 里有字节，说明程序连读取也停了：没有哪个内核参数能关闭这些连接，只有程序自己关闭，或者程序结束。",
           "2": "判断这是什么进程。已失效的主线程进程（状态为 Z，但还有其他线程存活；ss -p 显示没有属主）会一直持有它的连接，直到最后一个线程退出：结束这个进程就是修复办法。真正的僵尸进程（所有线程都已退出）不持有任何连接；是它的父进程没有回收它，所以应该给父进程发信号或重启父进程。父进程是 PID 1 或 subreaper 的进程，退出后会被自动回收。如果服务由 systemd 之类的守护进程管理，重启 unit 比发信号更干净。只有当给下面这个进程发送 SIGTERM 确实是正确做法时，才在这里确认。"}$json$,
    $text$用于一直不消失的 CLOSE-WAIT 连接，或者被一个 ps 显示为 defunct 的进程占住的端口。CLOSE-WAIT 表示对端已经关闭而我们的程序没有关闭：内核永远不会让它超时，keepalive 也只对启用了它的连接有用。长久的修复在于属主进程。

任务会带你完成判断（已失效的主线程进程、僵尸进程，还是孤儿进程），在有人确认后向属主进程发送 SIGTERM，然后等待该端口的 CLOSE-WAIT 连接消失。高风险：进程会结束，守护进程可能会、也可能不会把它重新拉起来。$text$);
