# Linger collector, format 3. Run with sh (optionally under `sudo -n`) with the watched sysctl keys
# in LINGER_SYSCTLS. One round trip prints every section; it changes nothing on the host (it only
# uses a private temporary directory that it removes). Sections start with "==linger:NAME==" and
# the output ends with "==linger:end==".
# Every network namespace of the host is read (containers, pods, ip netns), not only the collector's
# own: socket, count and group lines of another namespace end with that namespace's inode.
# Format 3 groups the notable sockets on the host: "groups" has exact counts and queue sums per
# (namespace, state, port, direction, owner), and "sockets" only the 20 of each group with the most
# queued bytes, so what crosses SSH stays small however many sockets are stuck.
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
case $tmp in /*) ;; *) tmp=$(pwd)/$tmp ;; esac # the owner scan changes its directory
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
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

# Owners: which process holds each socket inode, from the fd tables. Reading a /proc fd link costs the kernel
# about 4 us, so on a busy host this is the slowest part, the floor a collection cannot go below. Each process's
# table is read once: threads are skipped, as they share their leader's table, except under a zombie leader whose
# threads live on (its /proc/PID/fd is empty; its descriptors are under /proc/PID/task/TID/fd). Linger passes the
# pids that held notable sockets last time in LINGER_OWNER_PIDS: one process reads those while the socket table
# is read (the table's reader has the other core), then waits for the table (the notable inodes, in $tmp/want.N
# once $tmp/tables.done appears). When they still own every notable socket, nothing else is read. Otherwise (and
# at once without hints) it forks one part per core: part K reads the descriptors whose number is K modulo the
# parts, of every other process, so one process with 20,000 sockets is shared evenly, and every part stops as soon
# as every notable inode has an owner, counting the others' finds ($tmp/found.K, appended as they go).
hint=${LINGER_OWNER_PIDS:-} # the scan keeps only the numbers in it
have_perl=no; command -v perl >/dev/null 2>&1 && have_perl=yes
# At most 8 parts: each part lists every fd table it reads, so beyond that the listing, not the links, dominates.
parts=$(nproc 2>/dev/null); case $parts in ''|*[!0-9]*) parts=2 ;; esac; [ "$parts" -ge 2 ] || parts=2; [ "$parts" -le 8 ] || parts=8
scanners=
if [ "$have_perl" = yes ]; then
  k=0; while [ "$k" -lt "$parts" ]; do : > "$tmp/found.$k"; k=$((k + 1)); done
  perl -e '
    my ($tmp, $n, $hint) = @ARGV;
    my $k = 0; # this part
    my %hinted;
    my @hinted = grep { /^\d+$/ && !$hinted{$_}++ } split(" ", $hint);
    opendir(my $proc, "/proc") or exit 0;
    my @rest = sort { $a <=> $b } grep { /^\d+$/ && !$hinted{$_} } readdir($proc);
    closedir($proc);
    my ($mine, @others, %want, %found, @pending, @new, $known, $left);
    # each part appends the notable inodes it finds to found.K and reads the others as they grow
    sub exchange {
      open($mine, ">>", "$tmp/found.$k") or exit 1;
      @others = map { my $h; open($h, "<", "$tmp/found.$_") ? [$h, ""] : () } grep { $_ != $k } 0 .. $n - 1;
    }
    # true once every notable inode has an owner, here or in another part
    sub done {
      if (!$known) {
        return 0 unless -e "$tmp/tables.done";
        for my $f (0 .. 2) { open(my $w, "<", "$tmp/want.$f") or next; while (my $i = <$w>) { chomp $i; $want{$i} = 1 } }
        $known = 1; $left = keys %want;
        for (@pending) { my ($i) = split(/ /); next unless $want{$i}; print "$_\n"; if (!$found{$i}++) { $left--; push @new, $i } }
        @pending = ();
      }
      if (@new) { syswrite($mine, join("", map { "$_\n" } @new)); @new = () }
      for my $o (@others) {
        my $buf;
        while (sysread($o->[0], $buf, 65536)) { $o->[1] .= $buf }
        my $cut = rindex($o->[1], "\n");
        next if $cut < 0;
        for my $i (split(/\n/, substr($o->[1], 0, $cut))) { $left-- if $want{$i} && !$found{$i}++ }
        $o->[1] = substr($o->[1], $cut + 1);
      }
      return $left <= 0;
    }
    # One fd table, from inside it (relative names save the kernel a path walk per link): every descriptor, or
    # those that are K modulo the parts. The number of entries (0: empty), or -1 once every owner is found.
    sub table {
      my ($dir, $pid, $tid, $every) = @_;
      chdir($dir) or return 0;
      opendir(my $d, ".") or return 0;
      my ($entries, $read) = (0, 0);
      while (defined(my $fd = readdir($d))) {
        next if $fd eq "." || $fd eq "..";
        $entries++;
        next if !$every && $fd % $n != $k;
        my $l = readlink($fd) // next;
        next unless substr($l, 0, 8) eq "socket:[";
        my $i = substr($l, 8, -1);
        if (!$known) { push @pending, "$i $pid $tid" }
        elsif ($want{$i}) { print "$i $pid $tid\n"; if (!$found{$i}++) { $left--; push @new, $i } }
        return -1 if ++$read % 4096 == 0 && done();
      }
      return $entries;
    }
    # a process: its own table, or the tables of the threads of a zombie leader
    sub process {
      my ($pid, $every) = @_;
      my $entries = table("/proc/$pid/fd", $pid, $pid, $every);
      return $entries if $entries != 0;
      opendir(my $task, "/proc/$pid/task") or return 0;
      for my $tid (grep { /^\d+$/ && $_ != $pid } readdir($task)) { return -1 if table("/proc/$pid/task/$tid/fd", $pid, $tid, $every) < 0 }
      return 0;
    }
    sub wait_for_table { until (done() || $known) { exit 0 unless -d $tmp; select(undef, undef, undef, 0.004) } }
    exchange();
    # The owners of last time first, by this process alone: beside the table reader one core is free. Then wait
    # for the table: when they still own every notable socket, the rest of the host is not read.
    for my $pid (@hinted) { last if done() || process($pid, 1) < 0 }
    wait_for_table() if @hinted;
    if (!done()) {
      # the rest in parts, forked here so that they start with what is known
      $| = 1; $| = 0; # nothing buffered may be printed twice
      my ($forked, @mine) = (0, 0);
      for my $part (1 .. $n - 1) {
        my $child = fork();
        if (!defined $child) { push @mine, $part; next } # read here instead
        next if $child;
        ($forked, $k, @mine) = (1, $part, $part);
        open(STDOUT, ">", "$tmp/owners.$k") or exit 1;
        exchange();
        last;
      }
      PART: for my $part (@mine) {
        $k = $part;
        for my $pid (@rest) { last PART if done() || process($pid, 0) < 0 }
      }
      wait_for_table();
      exit 0 if $forked;
      while (wait() > 0) {}
    }' "$tmp" "$parts" "$hint" > "$tmp/owners.0" 2>/dev/null &
  scanners=$!
else
  # Without perl: find reads every link (no early stop, no hints), half of the processes each, by pid parity.
  for odd in 0 1; do
    if [ "$odd" = 1 ]; then glob='/proc/[13579] /proc/[0-9]*[13579]'; else glob='/proc/[2468] /proc/[0-9]*[02468]'; fi
    glob=$(for g in $glob; do printf '%s/fd ' "$g"; done)
    { find $glob -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
      # zombie leaders: their threads' tables
      empty=$(find $glob -maxdepth 0 -empty 2>/dev/null | sed 's|/fd$|/task/[0-9]*/fd|')
      [ -n "$empty" ] && find $empty -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
    } | awk '{ split($1, d, "/"); ino = $2; gsub(/[^0-9]/, "", ino); print ino, d[3], (d[4] == "task" ? d[5] : d[3]) }' > "$tmp/owners.$odd" &
    scanners="$scanners $!"
  done
fi

# mawk reads the table several times faster than gawk; any POSIX awk works.
AWK=awk; command -v mawk >/dev/null 2>&1 && AWK=mawk

# Counts per (state, port) and the notable sockets, per network namespace. A socket counts under its local
# port when that port listens in its namespace or lies outside the ephemeral range; otherwise it is an
# outgoing connection and counts under the peer's port ("remote"), so thousands of ephemeral ports collapse
# into the services they talk to. Notable: every state but LISTEN, ESTAB and TIME-WAIT, plus any socket with
# queued bytes (for LISTEN only Recv-Q, the accept queue: its Send-Q is the backlog limit). Their inodes go
# to $tmp/want.N for the owner scan, their lines to $tmp/notable.N for the grouping pass. Another namespace's
# table is read only when its sockstat counts TCP sockets: every read of a table walks the kernel's whole
# established hash (shared by all namespaces unless net.ipv4.tcp_child_ehash_entries is set), about 4 ms here
# even for an empty namespace, while sockstat is a counter. Each namespace read lands in $tmp/netns-read as
# "INODE PID NOTABLE"; one that vanished is left out. Such a walk visits every socket of every namespace (about
# 40 ms per namespace with 100,000 sockets on the host), so with more than one other namespace a second reader
# takes every other one, on the second core.
tables='
function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return v }
function port(a,   i) { i = match(a, /:[0-9*]+$/); return i ? substr(a, i + 1) : "?" }
# /proc/net/tcp: sl local rem st tx:rx tr:when retrnsmt uid timeout inode, numbers in hex. Each file lists its
# listeners before its connections, so every socket is classified as it is read and only a few hundred keys
# are kept (in hex until the end). Notable lines go to a file as they are (plus the namespace inode for another
# namespace), after the port and direction they count under: the grouping pass reads them once owners are known.
function table(file, suffix,   st, lp, gp, gd) {
  while ((getline < file) > 0) {
    st = $4; if (length(st) != 2 || st == "st") continue
    lp = substr($2, length($2) - 3)
    if (st == "0A") listening[lp] = 1
    if ((lp in listening) || lp < lohex || lp > hihex) { gp = lp; gd = "local" } else { gp = substr($3, length($3) - 3); gd = "remote" }
    c[st " " gp " " gd]++
    if ((st != "0A" && st != "01" && st != "06") || (st == "0A" ? substr($5, 10) != "00000000" : $5 != "00000000:00000000")) {
      print gp " " gd " /proc " st " " $2 " " $3 " " $5 " " $6 " " $7 " " $8 " " $10 suffix > notables
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
  if (own != "yes") {
    # the second reader: other namespaces only
  } else if (src == "ss") {
    cmd = "ss -Htanoe 2>/dev/null"
    while ((cmd | getline line) > 0) {
      split(line, f, " "); s = f[1]; lp = port(f[4])
      if (s == "LISTEN") listening[lp] = 1
      n[s " " lp " " port(f[5])]++
      if ((s != "LISTEN" && s != "ESTAB" && s != "TIME-WAIT") || f[2] > 0 || (s != "LISTEN" && f[3] > 0)) {
        print line > notables
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
    if (++nsline_no % parts != part) continue
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
  for (i = 1; i <= nc; i++) print counts[i] > countfile
  close(countfile); close(want); close(notables)
}'
# The own namespace's table is read while the other namespaces are listed; then theirs, by one or two readers.
$AWK -v lo="$lo" -v hi="$hi" -v src="$src" -v own=yes -v part=0 -v parts=1 -v want="$tmp/want.0" -v nslist=/dev/null \
  -v nsread=/dev/null -v countfile="$tmp/counts.0" -v notables="$tmp/notable.0" "$tables" &
readers=$!

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

parts_ns=1; { read -r line && read -r line && parts_ns=2; } < "$tmp/netns"
if [ -s "$tmp/netns" ]; then
  p=0
  while [ "$p" -lt "$parts_ns" ]; do
    $AWK -v lo="$lo" -v hi="$hi" -v src="$src" -v own=no -v part="$p" -v parts="$parts_ns" -v want="$tmp/want.$((p + 1))" \
      -v nslist="$tmp/netns" -v nsread="$tmp/netns-read.$p" -v countfile="$tmp/counts.$((p + 1))" \
      -v notables="$tmp/notable.$((p + 1))" "$tables" &
    readers="$readers $!"
    p=$((p + 1))
  done
fi
wait $readers
# The owner scan's signal that the notable inodes are all in $tmp/want.N (no command: each costs a fork and exec)
: > "$tmp/tables.done"
cat "$tmp"/netns-read.? > "$tmp/netns-read" 2>/dev/null

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

wait $scanners

# The grouping pass: one line per (namespace, state, port, direction, owner) with exact counts and queue sums over
# every notable socket, and as evidence only the 20 sockets of each group with the most queued bytes (raw lines,
# as format 2), with the owners of those. A socket's owner is the lowest pid (then tid) holding its inode.
# LINGER_SOURCE=ss stays format 2: every notable ss line and every owner.
if [ "$have_perl" = yes ]; then
  perl -e '
    my ($tmp, $src) = @ARGV;
    my @names = qw(ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT UNCONN CLOSE-WAIT LAST-ACK LISTEN CLOSING);
    my @timers = qw(on keepalive timewait persist none);
    opendir(my $dir, $tmp) or exit 1;
    my @files = sort readdir($dir);
    sub lines { my $f = shift; open(my $h, "<", "$tmp/$f") or return (); return <$h> }
    # the owner of each inode: the lowest pid, then tid, that holds it
    my (%owner, %pids);
    for my $f (grep { /^owners\.\d+$/ } @files) {
      open(my $h, "<", "$tmp/$f") or next;
      while (my $l = <$h>) {
        chomp $l;
        my $sp = index($l, " ");
        my $i = substr($l, 0, $sp);
        my $old = $owner{$i};
        if (!defined $old) { $owner{$i} = substr($l, $sp + 1) }
        else {
          my ($p, $t) = split(/ /, substr($l, $sp + 1)); my ($op, $ot) = split(/ /, $old);
          $owner{$i} = "$p $t" if $p < $op || ($p == $op && $t < $ot);
        }
      }
    }
    my @notable = grep { /^notable\.\d+$/ } @files;
    my @counts = grep { /^counts\.\d+$/ } @files;
    if ($src eq "ss") {
      print "==linger:sockets==\n", (map { lines($_) } @notable), "==linger:counts==\n", (map { lines($_) } @counts);
      print "==linger:owners==\n";
      for my $i (sort { $a <=> $b } keys %owner) { print "$i $owner{$i}\n"; $pids{(split(/ /, $owner{$i}))[0]} = 1 }
    } else {
      my (%groups, %top, %least);
      for my $f (@notable) {
        open(my $h, "<", "$tmp/$f") or next;
        while (my $l = <$h>) {
          chomp $l;
          # PORT DIR /proc ST LOCAL REM TX:RX TR:WHEN RETR UID INODE [NETNS]
          my ($port, $dir, undef, $st, undef, undef, $queues, $timer, $retr, undef, $ino, $ns) = split(/ /, $l);
          next unless defined $ino;
          my $key = join(" ", $ns // "", $port, $dir, $st, $ino ne "0" && $owner{$ino} || "0 0");
          my $g = $groups{$key} //= [(0) x 14];
          $g->[0]++;
          my $bytes = 0;
          if ($queues ne "00000000:00000000") {
            my ($sq, $rq) = (hex(substr($queues, 0, 8)), hex(substr($queues, 9)));
            if ($rq > 0) { $g->[1] += $rq; $g->[2] = $rq if $rq > $g->[2]; $g->[3] = $rq if !$g->[4] || $rq < $g->[3]; $g->[4]++ }
            if ($sq > 0) { $g->[5] += $sq; $g->[6] = $sq if $sq > $g->[6]; $g->[7]++ }
            $bytes = $rq + $sq;
          }
          my $t = hex(substr($timer, 0, 2));
          if ($t >= 1 && $t <= 4) { $g->[7 + $t]++; $retr = hex($retr); $g->[13] = $retr if $retr > $g->[13] } else { $g->[12]++ }
          # the 20 with the most queued bytes; the first ones read win a tie
          my $s = $top{$key} //= [];
          if (@$s < 20) { push @$s, [$bytes, substr($l, length($port) + length($dir) + 2)] }
          elsif ($bytes > $s->[$least{$key}][0]) { $s->[$least{$key}] = [$bytes, substr($l, length($port) + length($dir) + 2)] }
          else { next }
          if (@$s == 20) { my $m = 0; for (1 .. 19) { $m = $_ if $s->[$_][0] < $s->[$m][0] } $least{$key} = $m }
        }
      }
      my @keys = sort keys %groups;
      my %sampled;
      print "==linger:sockets==\n";
      for my $key (@keys) {
        for my $s (sort { $b->[0] <=> $a->[0] } @{$top{$key}}) { print "$s->[1]\n"; my $i = (split(/ /, $s->[1]))[8]; $sampled{$i} = 1 if $owner{$i} }
      }
      print "==linger:counts==\n", map { lines($_) } @counts;
      print "==linger:groups==\n";
      for my $key (@keys) {
        my ($ns, $port, $dir, $st, $pid, $tid) = split(/ /, $key);
        my $g = $groups{$key};
        print join(" ", $names[hex($st) - 1] // $st, hex($port), $dir, $pid, $tid, @$g[0 .. 7],
          join(",", map { "$timers[$_]=$g->[8 + $_]" } grep { $g->[8 + $_] } 0 .. 4), $g->[13]), ($ns eq "" ? "" : " $ns"), "\n";
        $pids{$pid} = 1 if $pid;
      }
      print "==linger:owners==\n";
      print "$_ $owner{$_}\n" for sort { $a <=> $b } keys %sampled;
    }
    # The processes of interest: pid, ppid, state, threads, command (the command sits between the first "(" and
    # the last ")"): zombies, socket owners, and the parent of each, so that a page names who has to reap a zombie
    # rather than guessing (pid 1 is not always an init that reaps). Each pid once.
    print "==linger:processes==\n";
    opendir(my $proc, "/proc") or exit 0;
    my (@procs, %info, %keep, %parent);
    for my $pid (sort { $a <=> $b } grep { /^\d+$/ } readdir($proc)) {
      open(my $h, "<", "/proc/$pid/stat") or next;
      my $line = <$h> // next;
      chomp $line;
      my ($open, $close) = (index($line, "("), rindex($line, ")"));
      next if $open < 0 || $close < $open;
      my $comm = substr($line, $open + 1, $close - $open - 1);
      $comm =~ s/[^ -~]/?/g;
      my @r = split(/ /, substr($line, $close + 2));
      push @procs, $pid;
      $info{$pid} = "$pid $r[1] $r[0] $r[17] $comm";
      if ($r[0] eq "Z" || $pids{$pid}) { $keep{$pid} = 1; $parent{$r[1]} = 1 }
    }
    print "$info{$_}\n" for grep { $keep{$_} || $parent{$_} } @procs;' "$tmp" "$src"
else
  $AWK -v tmp="$tmp" -v src="$src" '
  function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return v }
  function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
  # the group key k keeps its samples in top[k, 1..ntop[k]], most queued bytes first (ties: by the line)
  function keep(k, q, l,   j) {
    if (ntop[k] == 20 && !(q > topq[k, 20] || (q == topq[k, 20] && l < topl[k, 20]))) return
    if (ntop[k] < 20) ntop[k]++
    for (j = ntop[k]; j > 1 && (q > topq[k, j - 1] || (q == topq[k, j - 1] && l < topl[k, j - 1])); j--) { topq[k, j] = topq[k, j - 1]; topl[k, j] = topl[k, j - 1] }
    topq[k, j] = q; topl[k, j] = l
  }
  BEGIN {
    split("ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT UNCONN CLOSE-WAIT LAST-ACK LISTEN CLOSING", names, " ")
    split("on keepalive timewait persist none", timers, " ")
    for (p = 0; p < 3; p++) { f = tmp "/want." p; while ((getline l < f) > 0) want[l] = 1; close(f) }
    for (p = 0; p < 2; p++) {
      f = tmp "/owners." p
      while ((getline l < f) > 0) {
        split(l, o, " "); if (!(o[1] in want) || o[3] == "") continue
        if (!(o[1] in opid) || o[2] + 0 < opid[o[1]] + 0 || (o[2] == opid[o[1]] && o[3] + 0 < otid[o[1]] + 0)) { opid[o[1]] = o[2]; otid[o[1]] = o[3] }
      }
      close(f)
    }
    if (src == "ss") {
      print "==linger:sockets=="; for (p = 0; p < 3; p++) cat(tmp "/notable." p)
      print "==linger:counts=="; for (p = 0; p < 3; p++) cat(tmp "/counts." p)
      print "==linger:owners=="
      for (i in opid) { print i, opid[i], otid[i]; pids[opid[i]] = 1 }
    } else {
      for (p = 0; p < 3; p++) {
        f = tmp "/notable." p
        while ((getline l < f) > 0) {
          nf = split(l, x, " "); if (nf < 11) continue
          split(x[7], q, ":"); rq = hex(q[2]); sq = hex(q[1]); t = hex(substr(x[8], 1, 2)); retr = hex(x[9])
          k = (nf > 11 ? x[12] : "") " " x[1] " " x[2] " " x[4] " " ((x[11] != "0" && (x[11] in opid)) ? opid[x[11]] " " otid[x[11]] : "0 0")
          n[k]++
          if (rq > 0) { rs[k] += rq; if (rq > rmax[k]) rmax[k] = rq; if (!wr[k] || rq < rmin[k]) rmin[k] = rq; wr[k]++ }
          if (sq > 0) { ss[k] += sq; if (sq > smax[k]) smax[k] = sq; ws[k]++ }
          running = t >= 1 && t <= 4
          tm[k, running ? t : 5]++
          if (running && retr > rtmax[k]) rtmax[k] = retr
          keep(k, rq + sq, substr(l, length(x[1]) + length(x[2]) + 3))
        }
        close(f)
      }
      print "==linger:sockets=="
      for (k in n) for (j = 1; j <= ntop[k]; j++) { print topl[k, j]; split(topl[k, j], x, " "); if (x[9] in opid) sampled[x[9]] = 1 }
      print "==linger:counts=="; for (p = 0; p < 3; p++) cat(tmp "/counts." p)
      print "==linger:groups=="
      for (k in n) {
        split(k, g, " "); if (substr(k, 1, 1) == " ") { ns = ""; g[6] = g[5]; g[5] = g[4]; g[4] = g[3]; g[3] = g[2]; g[2] = g[1] } else ns = " " g[1]
        tl = ""; for (j = 1; j <= 5; j++) if (tm[k, j]) tl = tl (tl == "" ? "" : ",") timers[j] "=" tm[k, j]
        st = hex(g[4]); print ((st in names) ? names[st] : g[4]), hex(g[2]), g[3], g[5], g[6], n[k], rs[k] + 0, rmax[k] + 0, rmin[k] + 0, wr[k] + 0, ss[k] + 0, smax[k] + 0, ws[k] + 0, tl, rtmax[k] + 0 ns
        if (g[5] != "0") pids[g[5]] = 1
      }
      print "==linger:owners=="
      for (i in sampled) print i, opid[i], otid[i]
    }
    # the processes of interest, as the perl pass prints them
    print "==linger:processes=="
    cmd = "cat /proc/[0-9]*/stat 2>/dev/null"
    while ((cmd | getline line) > 0) {
      a = index(line, "("); b = 0; for (i = length(line); i > a; i--) if (substr(line, i, 1) == ")") { b = i; break }
      if (!a || !b) continue
      pid = substr(line, 1, a - 2); comm = substr(line, a + 1, b - a - 1); gsub(/[^ -~]/, "?", comm)
      split(substr(line, b + 2), r, " ")
      procs[++m] = pid; info[pid] = pid " " r[2] " " r[1] " " r[18] " " comm
      if (r[1] == "Z" || (pid in pids)) { kept[pid] = 1; parent[r[2]] = 1 }
    }
    close(cmd)
    for (i = 1; i <= m; i++) if ((procs[i] in kept) || (procs[i] in parent)) print info[procs[i]]
  }'
fi

wait # for the ss -K probe and the namespaces' hostnames and sysctls
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
# What the collector could not read, in plain words (not an error of the output), and the meta section: one awk
# rather than a command per line.
[ -e "$tmp/kill" ] && kill=yes || kill=no
$AWK -v tmp="$tmp" -v src="$src" -v own="$own" -v lo="$lo" -v hi="$hi" -v kill="$kill" -v now="$(date +%s)" -v uid="$(id -u)" '
function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
function first(f,   l) { l = ""; getline l < f; close(f); return l }
BEGIN {
  print "==linger:netns-sysctls=="; cat(tmp "/netns-sysctls")
  print "==linger:problems=="; cat(tmp "/problems")
  print "==linger:meta=="
  print "format " (src == "ss" ? 2 : 3)
  print "boot " first("/proc/sys/kernel/random/boot_id")
  print "netns " own
  print "hostname " first("/proc/sys/kernel/hostname")
  print "kernel " first("/proc/sys/kernel/osrelease")
  print "now " now
  print "uid " uid
  print "ephemeral " lo " " hi
  print "source " src
  print "kill-sockets " kill
  print "==linger:end=="
}'

