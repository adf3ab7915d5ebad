# Linger collector, format 2. Run with sh (optionally under `sudo -n`) with the watched sysctl keys
# in LINGER_SYSCTLS. One round trip prints every section; it changes nothing on the host (it only
# uses a private temporary directory that it removes). Sections start with "==linger:NAME==" and
# the output ends with "==linger:end==".
# Format 2 reads every network namespace of the host (containers, pods, ip netns), not only its own:
# socket and count lines of another namespace end with that namespace's inode.
export LC_ALL=C
PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH

set -- $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
lo=${1:-32768}; hi=${2:-60999}
# Sockets come from /proc/net/tcp and tcp6: one read gives state, queues, timer, uid and inode of
# every socket (0.25 s for 100,000 here), while `ss -e`, the only ss output with inodes, costs 2 s
# for the same table. LINGER_SOURCE=ss selects the ss reader instead.
src=${LINGER_SOURCE:-proc}
command -v ss >/dev/null 2>&1 || src=proc
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linger.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
: > "$tmp/want"
# `ss -K` needs CONFIG_INET_DIAG_DESTROY; a filter that matches nothing proves support harmlessly.
{ command -v ss >/dev/null 2>&1 && ss -K -Htn state syn-recv 'sport = :1' >/dev/null 2>&1 && echo yes > "$tmp/kill"; } &

# ("key ?": the host has no such sysctl, e.g. tcp_max_orphans inside a container's network namespace)
echo "==linger:sysctls=="
awk -v keys="$LINGER_SYSCTLS" 'BEGIN {
  n = split(keys, k, " ")
  for (i = 1; i <= n; i++) {
    f = "/proc/sys/" k[i]; gsub(/\./, "/", f)
    if ((getline v < f) > 0) { gsub(/\t/, " ", v); print k[i] " = " v } else print k[i] " ?"
    close(f)
  }
}'

echo "==linger:sockstat=="
cat /proc/net/sockstat 2>/dev/null

# Owners: which process holds each socket inode, from the fd tables. Reading a /proc fd link costs
# the kernel about 4 us, so on a busy host this is the slowest part. It runs in the background while
# the socket table is read, split in two halves (every other descriptor of every process, one half
# per core). Linger passes the pids that held notable sockets last time in LINGER_OWNER_PIDS: those
# are scanned first, and the rest only when some notable socket is still without an owner. A zombie
# leader whose threads live on has an empty /proc/PID/fd; its descriptors are under
# /proc/PID/task/TID/fd.
hint=$(printf '%s' "${LINGER_OWNER_PIDS:-}" | tr -cd '0-9 ')
have_perl=no; command -v perl >/dev/null 2>&1 && have_perl=yes
scan() { # scan NAME ONLY-PIDS SKIP-PIDS: owner lines "inode pid tid" into $tmp/owners.NAME.{0,1}
  for half in 0 1; do
    perl -e '
      my ($half, $only, $skip) = @ARGV;
      my %skip = map { $_ => 1 } split(" ", $skip);
      my @pids = $only ne "" ? split(" ", $only) : do { opendir(my $p, "/proc") or exit 0; grep { /^\d+$/ } readdir($p) };
      for my $pid (grep { !$skip{$_} } @pids) {
        my @dirs = ("/proc/$pid/fd");
        opendir(my $fd, $dirs[0]) or next;
        my @fds = grep { /^\d+$/ } readdir($fd);
        if (!@fds && opendir(my $task, "/proc/$pid/task")) {
          @dirs = map { "/proc/$pid/task/$_/fd" } grep { /^\d+$/ && $_ != $pid } readdir($task);
        }
        for my $dir (@dirs) {
          my $tid = $dir =~ m{/task/(\d+)/} ? $1 : $pid;
          opendir(my $d, $dir) or next;
          my @entries = grep { /^\d+$/ } readdir($d);
          for (my $i = $half; $i < @entries; $i += 2) {
            my $l = readlink("$dir/$entries[$i]") // next;
            print "$1 $pid $tid\n" if $l =~ /^socket:\[(\d+)\]$/;
          }
        }
      }' "$half" "$2" "$3" > "$tmp/owners.$1.$half" 2>/dev/null &
  done
}
if [ "$have_perl" = yes ]; then
  if [ -n "$hint" ]; then scan hinted "$hint" ""; else scan all "" ""; fi
else
  { find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
    for t in /proc/[0-9]*/task/[0-9]*/fd; do
      p=${t#/proc/}; p=${p%%/*}; [ -z "$(ls -A "/proc/$p/fd" 2>/dev/null)" ] || continue
      find "$t" -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
    done
  } | awk '{ split($1, d, "/"); ino = $2; gsub(/[^0-9]/, "", ino); print ino, d[3], (d[4] == "task" ? d[5] : d[3]) }' > "$tmp/owners.all.0" &
fi

# mawk reads the table several times faster than gawk; any POSIX awk works.
AWK=awk; command -v mawk >/dev/null 2>&1 && AWK=mawk

# The host's network namespaces: one line "INODE PID [PID...]" per namespace other than the collector's
# own (at most three pids, lowest first, so a process that exits meanwhile has a stand-in). Reading
# /proc/PID/net/tcp shows PID's namespace, so no nsenter is needed to read the tables.
own=$(readlink /proc/$$/ns/net 2>/dev/null); own=${own#net:[}; own=${own%]}
if [ "$have_perl" = yes ]; then
  perl -e '
    my $own = shift; my %pids;
    opendir(my $p, "/proc") or exit 0;
    for my $pid (sort { $a <=> $b } grep { /^\d+$/ } readdir($p)) {
      my $l = readlink("/proc/$pid/ns/net") // next;
      next unless $l =~ /^net:\[(\d+)\]$/ && $1 ne $own;
      my $list = $pids{$1} //= [];
      push @$list, $pid if @$list < 3;
    }
    print "$_ @{$pids{$_}}\n" for sort { $a <=> $b } keys %pids;' "$own" > "$tmp/netns" 2>/dev/null
else
  find /proc/[0-9]*/ns -maxdepth 1 -name net -printf '%h %l\n' 2>/dev/null | awk -v own="$own" '
    { split($1, d, "/"); ino = $2; gsub(/[^0-9]/, "", ino) }
    ino != own && ino != "" && n[ino]++ < 3 { pids[ino] = pids[ino] " " d[3] }
    END { for (ino in pids) print ino pids[ino] }' | sort -n -k2 > "$tmp/netns"
fi
# `ip netns` names: the inode of each /run/netns entry
if [ -s "$tmp/netns" ] && [ -n "$(ls -A /run/netns 2>/dev/null)" ]; then
  stat -L -c '%i %n' /run/netns/* 2>/dev/null > "$tmp/netns-names"
fi

# Counts per (state, port) and the notable sockets, per network namespace. A socket counts under its local
# port when that port listens in its namespace or lies outside the ephemeral range; otherwise it is an
# outgoing connection and counts under the peer's port ("remote"), so thousands of ephemeral ports collapse
# into the services they talk to. Notable: every state but LISTEN, ESTAB and TIME-WAIT, plus any socket with
# queued bytes (for LISTEN only Recv-Q, the accept queue: its Send-Q is the backlog limit). Their inodes go
# to $tmp/want for the owner lookup. Another namespace's table is read only when its sockstat counts TCP
# sockets: every read of a table walks the kernel's whole established hash (shared by all namespaces unless
# net.ipv4.tcp_child_ehash_entries is set), about 4 ms here even for an empty namespace, while sockstat is a
# counter. Each namespace read lands in $tmp/netns-read as "INODE PID NOTABLE"; one that vanished is left out.
$AWK -v lo="$lo" -v hi="$hi" -v src="$src" -v want="$tmp/want" -v nslist="$tmp/netns" -v nsread="$tmp/netns-read" '
function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return v }
function port(a,   i) { i = match(a, /:[0-9*]+$/); return i ? substr(a, i + 1) : "?" }
# /proc/net/tcp: sl local rem st tx:rx tr:when retrnsmt uid timeout inode, numbers in hex. Each file lists its
# listeners before its connections, so every socket is classified as it is read and only a few hundred keys
# are kept (in hex until the end). Notable lines are copied as they are, plus the namespace inode for another
# namespace: Linger decodes them, which is far cheaper than awk doing it here.
function table(file, suffix,   st, lp) {
  while ((getline < file) > 0) {
    st = $4; if (length(st) != 2 || st == "st") continue
    lp = substr($2, length($2) - 3)
    if (st == "0A") listening[lp] = 1
    if ((lp in listening) || lp < lohex || lp > hihex) c[st " " lp " local"]++
    else c[st " " substr($3, length($3) - 3) " remote"]++
    if ((st != "0A" && st != "01" && st != "06") || (st == "0A" ? substr($5, 10) != "00000000" : $5 != "00000000:00000000")) {
      print "/proc " st " " $2 " " $3 " " $5 " " $6 " " $7 " " $8 " " $10 suffix
      if ($10 != "0") print $10 > want
      notable++
    }
  }
  close(file)
}
function flush(suffix,   key, f) {
  for (key in c) { split(key, f, " "); counts[++nc] = stname[hex(f[1])] " " hex(f[2]) " " f[3] " " c[key] suffix }
  split("", c); split("", listening)
}
BEGIN {
  split("ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT UNCONN CLOSE-WAIT LAST-ACK LISTEN CLOSING", stname, " ")
  lohex = sprintf("%04X", lo); hihex = sprintf("%04X", hi)
  # Notable sockets are printed as they are read, so their transfer overlaps the rest of the tables.
  print "==linger:sockets=="
  if (src == "ss") {
    cmd = "ss -Htanoe 2>/dev/null"
    while ((cmd | getline line) > 0) {
      split(line, f, " "); s = f[1]; lp = port(f[4])
      if (s == "LISTEN") listening[lp] = 1
      n[s " " lp " " port(f[5])]++
      if ((s != "LISTEN" && s != "ESTAB" && s != "TIME-WAIT") || f[2] > 0 || (s != "LISTEN" && f[3] > 0)) {
        print line
        if (match(line, / ino:[0-9]+/)) { ino = substr(line, RSTART + 5, RLENGTH - 5); if (ino != "0") print ino > want }
      }
    }
    close(cmd)
    for (key in n) {
      split(key, f, " ")
      if ((f[2] in listening) || f[2] + 0 < lo + 0 || f[2] + 0 > hi + 0) sc[f[1] " " f[2] " local"] += n[key]
      else sc[f[1] " " f[3] " remote"] += n[key]
    }
    for (key in sc) counts[++nc] = key " " sc[key]
    split("", listening)
  } else {
    table("/proc/net/tcp", ""); table("/proc/net/tcp6", ""); flush("")
  }
  # The other namespaces, through the first of their pids that is still there.
  while ((getline nsline < nslist) > 0) {
    np = split(nsline, p, " ")
    for (i = 2; i <= np; i++) {
      v4 = -1; v6 = 0; tw = 0
      sf = "/proc/" p[i] "/net/sockstat"
      while ((getline l < sf) > 0) if (substr(l, 1, 5) == "TCP: ") { split(l, w, " "); v4 = w[3] + 0; tw = w[7] + 0 }
      close(sf)
      if (v4 < 0) continue
      sf = "/proc/" p[i] "/net/sockstat6"
      while ((getline l < sf) > 0) if (substr(l, 1, 6) == "TCP6: ") { split(l, w, " "); v6 = w[3] + 0 }
      close(sf)
      before = notable
      if (v4 > 0 || tw > 0) table("/proc/" p[i] "/net/tcp", " " p[1])
      if (v6 > 0 || tw > 0) table("/proc/" p[i] "/net/tcp6", " " p[1])
      flush(" " p[1])
      print p[1], p[i], notable - before > nsread
      break
    }
  }
  close(nslist); close(nsread)
  print "==linger:counts=="
  for (i = 1; i <= nc; i++) print counts[i]
  close(want)
}'

# Hostname and per-namespace sysctls, read inside each other namespace that holds notable sockets (one nsenter
# each, in the background while the owners are scanned; the others cost nothing here). tcp_max_orphans exists
# only in the root namespace, so elsewhere it prints "key ?". A namespace that is gone by now is skipped quietly.
: > "$tmp/problems"
if [ -s "$tmp/netns-read" ]; then
  $AWK '$3 > 0' "$tmp/netns-read" > "$tmp/netns-notable"
  if [ ! -s "$tmp/netns-notable" ]; then
    :
  elif [ "$(id -u)" != 0 ] || ! command -v nsenter >/dev/null 2>&1; then
    echo "hostname and sysctls of $(wc -l < "$tmp/netns-notable") namespace(s) with notable sockets not read: reading them needs nsenter as root" >> "$tmp/problems"
  else
    while read -r ino pid n; do
      nsenter --net="/proc/$pid/ns/net" --uts="/proc/$pid/ns/uts" $AWK -v ino="$ino" -v keys="$LINGER_SYSCTLS" \
          -v hosts="$tmp/netns-hostnames" -v out="$tmp/netns-sysctls" 'BEGIN {
        if ((getline h < "/proc/sys/kernel/hostname") > 0) { gsub(/[\001-\037\177]/, "?", h); print ino "\t" h >> hosts }
        n = split(keys, k, " ")
        for (i = 1; i <= n; i++) {
          f = "/proc/sys/" k[i]; gsub(/\./, "/", f)
          if ((getline v < f) > 0) { gsub(/\t/, " ", v); print ino " " k[i] " = " v >> out } else print ino " " k[i] " ?" >> out
          close(f)
        }
      }' 2> "$tmp/nsenter.err" \
        || { [ -e "/proc/$pid" ] && echo "namespace net:[$ino] (pid $pid): hostname and sysctls not read: $(head -c 200 "$tmp/nsenter.err" | tr -d '\000-\037')" >> "$tmp/problems"; }
    done < "$tmp/netns-notable"
  fi
fi &

wait # for the owner scan

# Some notable socket still without an owner after the hinted pids: scan everything else too.
if [ -n "$hint" ] && [ "$have_perl" = yes ] && ! $AWK -v want="$tmp/want" '
    BEGIN { while ((getline ino < want) > 0) missing[ino] = 1 }
    { delete missing[$1] }
    END { for (ino in missing) exit 1 }' "$tmp"/owners.hinted.*; then
  scan rest "" "$hint"
  wait
fi

$AWK -v want="$tmp/want" '
FILENAME == want { wanted[$1] = 1; next }
($1 in wanted) && !seen[$1 " " $2]++ { owners[++n] = $0; owner[$2] = 1 }
END {
  print "==linger:owners=="
  for (i = 1; i <= n; i++) print owners[i]
  # The processes of interest: pid, ppid, state, threads, command (the command sits between the first "(" and
  # the last ")"): zombies, socket owners, and the parent of each, so that a page names who has to reap a zombie
  # rather than guessing (pid 1 is not always an init that reaps). Each pid once, in /proc order.
  print "==linger:processes=="
  cmd = "cat /proc/[0-9]*/stat 2>/dev/null"
  while ((cmd | getline line) > 0) {
    a = index(line, "("); b = 0; for (i = length(line); i > a; i--) if (substr(line, i, 1) == ")") { b = i; break }
    if (!a || !b) continue
    pid = substr(line, 1, a - 2); comm = substr(line, a + 1, b - a - 1); gsub(/[^ -~]/, "?", comm)
    split(substr(line, b + 2), r, " ")
    procs[++m] = pid; info[pid] = pid " " r[2] " " r[1] " " r[18] " " comm
    if (r[1] == "Z" || (pid in owner)) { keep[pid] = 1; parent[r[2]] = 1 }
  }
  close(cmd)
  for (i = 1; i <= m; i++) if ((procs[i] in keep) || (procs[i] in parent)) print info[procs[i]]
}' "$tmp/want" "$tmp"/owners.*

wait # for the ss -K probe
# Every namespace read: "INODE<TAB>PID<TAB>IP-NETNS-NAME<TAB>HOSTNAME[<TAB>CGROUP-PATH...]", fields empty when
# unknown (the hostname is read only where there are notable sockets); the distinct cgroup paths of PID name
# the container or pod. Control characters (a container sets its own hostname) become "?".
echo "==linger:namespaces=="
[ -s "$tmp/netns-read" ] && $AWK -v names="$tmp/netns-names" -v hosts="$tmp/netns-hostnames" '
function clean(s) { gsub(/[\001-\037\177]/, "?", s); return s }
BEGIN {
  while ((getline l < names) > 0) { i = index(l, " "); n = substr(l, i + 1); sub(/^\/run\/netns\//, "", n); name[substr(l, 1, i - 1)] = clean(n) }
  while ((getline l < hosts) > 0) { i = index(l, "\t"); host[substr(l, 1, i - 1)] = substr(l, i + 1) }
}
{
  line = $1 "\t" $2 "\t" name[$1] "\t" host[$1]; f = "/proc/" $2 "/cgroup"; split("", seen); m = 0
  while ((getline l < f) > 0) {
    i = index(l, ":"); l = substr(l, i + 1); i = index(l, ":"); path = clean(substr(l, i + 1))
    if (path != "/" && path != "" && !(path in seen) && m++ < 8) { seen[path] = 1; line = line "\t" substr(path, 1, 512) }
  }
  close(f)
  print line
}' "$tmp/netns-read"
echo "==linger:netns-sysctls=="
cat "$tmp/netns-sysctls" 2>/dev/null
# What the collector could not read, in plain words (not an error of the output).
echo "==linger:problems=="
cat "$tmp/problems" 2>/dev/null
echo "==linger:meta=="
echo "format 2"
echo "boot $(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
echo "netns $own"
echo "hostname $(cat /proc/sys/kernel/hostname 2>/dev/null)"
echo "kernel $(uname -r 2>/dev/null)"
echo "now $(date +%s)"
echo "uid $(id -u)"
echo "ephemeral $lo $hi"
echo "source $src"
if [ -e "$tmp/kill" ]; then echo "kill-sockets yes"; else echo "kill-sockets no"; fi
echo "==linger:end=="
