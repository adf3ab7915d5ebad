# Linger's live socket list ("show all sockets"): every TCP socket of one port in one network namespace,
# optionally of one state, with the process holding each. Run with sh (optionally under `sudo -n`) with
#   LINGER_PORT        the port, 1-65535 (a socket belongs to it when its local or its peer's port is it)
#   LINGER_STATE       optional: the state as /proc/net/tcp codes it, two hex digits (08 = CLOSE-WAIT)
#   LINGER_NETNS_PID   optional: a process in the namespace to read (else the shell's own namespace)
#   LINGER_NETNS_INODE with it: that namespace's inode, checked before reading (the pid may be reused)
#   LINGER_LIMIT       at most this many socket lines are printed; the counts still count every one
#   LINGER_OWNER_PIDS  optional: processes that held this port's sockets at the last collection, read first
# It prints the collector's sections (format 2) so that the collector's parser reads it; the socket lines are
# /proc/net/tcp lines as collect.sh copies them, the counts count every matching socket per state and side.
# Exit status 3, with no output: the namespace is gone. It changes nothing on the host (it only uses a private
# temporary directory that it removes).
export LC_ALL=C
PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH
port=$(printf '%s' "${LINGER_PORT:-}" | tr -cd '0-9')
state=$(printf '%s' "${LINGER_STATE:-}" | tr -cd '0-9A-F')
nspid=$(printf '%s' "${LINGER_NETNS_PID:-}" | tr -cd '0-9')
nsinode=$(printf '%s' "${LINGER_NETNS_INODE:-}" | tr -cd '0-9')
limit=$(printf '%s' "${LINGER_LIMIT:-100000}" | tr -cd '0-9')
hint=$(printf '%s' "${LINGER_OWNER_PIDS:-}" | tr -cd '0-9 ')
[ -n "$port" ] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || { echo "LINGER_PORT must be 1-65535" >&2; exit 2; }
dir=/proc/net
if [ -n "$nspid" ]; then
  [ "$(readlink "/proc/$nspid/ns/net" 2>/dev/null)" = "net:[$nsinode]" ] || exit 3
  dir=/proc/$nspid/net
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linger.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
AWK=awk; command -v mawk >/dev/null 2>&1 && AWK=mawk

echo "==linger:sysctls=="
echo "==linger:sockstat=="
echo "==linger:sockets=="
# One pass over the namespace's tables; the port compared in hex as the kernel prints it, nothing decoded here.
$AWK -v porthex="$(printf '%04X' "$port")" -v port="$port" -v st="$state" -v limit="${limit:-100000}" \
    -v want="$tmp/want" -v counts="$tmp/counts" '
BEGIN { split("ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT UNCONN CLOSE-WAIT LAST-ACK LISTEN CLOSING", stname, " ")
  for (i = 1; i <= 11; i++) code[sprintf("%02X", i)] = stname[i]
  printf "" > want }
{
  s = $4; if (length(s) != 2 || s == "st" || (st != "" && s != st)) next
  if (substr($2, length($2) - 3) == porthex) side = "local"
  else if (substr($3, length($3) - 3) == porthex) side = "remote"
  else next
  c[s " " side]++
  if (++n <= limit + 0) {
    print "/proc " s " " $2 " " $3 " " $5 " " $6 " " $7 " " $8 " " $10
    if ($10 != "0") print $10 > want
  }
}
END { for (k in c) { split(k, f, " "); if (f[1] in code) print code[f[1]] " " port " " f[2] " " c[k] > counts }
  close(want); close(counts) }' "$dir/tcp" "$dir/tcp6" 2>/dev/null
echo "==linger:counts=="
cat "$tmp/counts" 2>/dev/null

# Owners of just those inodes. Reading a /proc fd link costs the kernel about 4 us, so the fd tables are read in
# parallel, one reader per core, and the reading stops as soon as every inode has its owner. The processes that
# held this port's sockets last time come first, each read on every core (every Nth descriptor per reader): one
# server often holds them all. Threads share their leader's fd table, so only /proc/PID/fd is read, except for a
# zombie leader whose threads live on: its /proc/PID/fd is empty and the descriptors are under its tasks.
if command -v perl >/dev/null 2>&1; then
  perl -e '
    use strict; use warnings; use IO::Select; use POSIX ();
    my ($wantfile, $hint, $cpus) = @ARGV;
    my %want;
    if (open(my $w, "<", $wantfile)) { while (my $l = <$w>) { chomp $l; $want{$l} = 1 if $l ne "" } close $w }
    my $left = scalar keys %want;
    my (%found, %owner);
    print "==linger:owners==\n";
    sub scan {
      my ($pid, $k, $n, $out) = @_;
      my @dirs = ("/proc/$pid/fd");
      opendir(my $fd, $dirs[0]) or return;
      my @fds = grep { /^\d+$/ } readdir($fd);
      closedir $fd;
      if (!@fds && opendir(my $task, "/proc/$pid/task")) {
        @dirs = map { "/proc/$pid/task/$_/fd" } grep { /^\d+$/ && $_ != $pid } readdir($task);
      }
      my $text = "";
      for my $dir (@dirs) {
        my $tid = $dir =~ m{/task/(\d+)/} ? $1 : $pid;
        my @entries = @fds;
        if ($tid != $pid) { opendir(my $d, $dir) or next; @entries = grep { /^\d+$/ } readdir($d); closedir $d }
        for (my $i = $k; $i < @entries; $i += $n) {
          my $l = readlink("$dir/$entries[$i]") // next;
          $text .= "$1 $pid $tid\n" if $l =~ /^socket:\[(\d+)\]$/ && $want{$1};
        }
      }
      syswrite($out, $text) if $text ne "";
    }
    if ($left) {
      opendir(my $p, "/proc") or exit 0;
      my @all = grep { /^\d+$/ } readdir($p);
      closedir $p;
      my %hinted = map { $_ => 1 } split(" ", $hint);
      my @first = grep { $hinted{$_} } @all;
      my @rest = grep { !$hinted{$_} } @all;
      $cpus = 1 if $cpus < 1;
      $cpus = 16 if $cpus > 16;
      my $select = IO::Select->new;
      my @kids;
      for my $k (0 .. $cpus - 1) {
        pipe(my $r, my $wr) or last;
        my $kid = fork();
        if (!defined $kid) { close $r; close $wr; last }
        if ($kid == 0) {
          close $r;
          scan($_, $k, $cpus, $wr) for @first;
          for (my $i = $k; $i < @rest; $i += $cpus) { scan($rest[$i], 0, 1, $wr) }
          POSIX::_exit(0);
        }
        close $wr;
        push @kids, $kid;
        $select->add($r);
      }
      my %partial;
      while ($left > 0 && $select->count) {
        for my $r ($select->can_read) {
          my $got = sysread($r, my $chunk, 1 << 16);
          if (!$got) { $select->remove($r); close $r; next }
          my $text = ($partial{$r} // "") . $chunk;
          my $cut = rindex($text, "\n");
          $partial{$r} = substr($text, $cut + 1);
          for my $line (split /\n/, substr($text, 0, $cut + 1)) {
            my ($ino, $pid) = split / /, $line;
            next if $found{$ino}++;
            $left--;
            $owner{$pid} = 1;
            print "$line\n";
          }
        }
      }
      kill "TERM", @kids;
      waitpid($_, 0) for @kids;
    }
    # The owners as the collector lists processes: pid, ppid, state, threads, command (between the first "(" and
    # the last ")" of /proc/PID/stat).
    print "==linger:processes==\n";
    for my $pid (sort { $a <=> $b } keys %owner) {
      open(my $s, "<", "/proc/$pid/stat") or next;
      my $line = <$s>;
      close $s;
      next unless defined $line;
      my $a = index($line, "(");
      my $b = rindex($line, ")");
      next if $a < 0 || $b < $a;
      my $comm = substr($line, $a + 1, $b - $a - 1);
      $comm =~ s/[^ -~]/?/g;
      my @r = split(" ", substr($line, $b + 2));
      print "$pid $r[1] $r[0] $r[17] $comm\n";
    }' "$tmp/want" "$hint" "$(nproc 2>/dev/null || echo 2)"
else
  { find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
    for t in /proc/[0-9]*/task/[0-9]*/fd; do
      p=${t#/proc/}; p=${p%%/*}; [ -z "$(ls -A "/proc/$p/fd" 2>/dev/null)" ] || continue
      find "$t" -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%h %l\n' 2>/dev/null
    done
  } | $AWK -v want="$tmp/want" '
    BEGIN { while ((getline ino < want) > 0) wanted[ino] = 1 }
    { split($1, d, "/"); ino = $2; gsub(/[^0-9]/, "", ino) }
    (ino in wanted) && !seen[ino]++ { owners[++n] = ino " " d[3] " " (d[4] == "task" ? d[5] : d[3]); owner[d[3]] = 1 }
    END {
      print "==linger:owners=="
      for (i = 1; i <= n; i++) print owners[i]
      print "==linger:processes=="
      for (pid in owner) {
        f = "/proc/" pid "/stat"
        if ((getline line < f) <= 0) continue
        close(f)
        a = index(line, "("); b = 0; for (i = length(line); i > a; i--) if (substr(line, i, 1) == ")") { b = i; break }
        if (!a || !b) continue
        comm = substr(line, a + 1, b - a - 1); gsub(/[^ -~]/, "?", comm)
        split(substr(line, b + 2), r, " ")
        print pid " " r[2] " " r[1] " " r[18] " " comm
      }
    }'
fi

echo "==linger:meta=="
echo "format 2"
echo "hostname $(cat /proc/sys/kernel/hostname 2>/dev/null)"
echo "kernel $(uname -r 2>/dev/null)"
echo "now $(date +%s)"
echo "uid $(id -u)"
echo "source proc"
echo "kill-sockets no"
echo "==linger:end=="
