# Linger collector, format 1. Run as `sh -s` (optionally under `sudo -n`) with the watched sysctl
# keys in LINGER_SYSCTLS. One round trip prints every section; it changes nothing on the host.
# Sections start with "==linger:NAME==" and the output ends with "==linger:end==".
export LC_ALL=C
PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH

echo "==linger:meta=="
echo "format 1"
echo "hostname $(cat /proc/sys/kernel/hostname 2>/dev/null)"
echo "kernel $(uname -r 2>/dev/null)"
echo "now $(date +%s)"
echo "uid $(id -u)"
# (procfs sysctl files do not answer the byte-by-byte reads of dash's `read`: use cat)
set -- $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
lo=${1:-32768}; hi=${2:-60999}
echo "ephemeral $lo $hi"
# LINGER_SOURCE=proc forces the /proc/net/tcp reader (tests use it to exercise the fallback).
src=${LINGER_SOURCE:-}
if [ -z "$src" ]; then if command -v ss >/dev/null 2>&1; then src=ss; else src=proc; fi; fi
echo "source $src"
# `ss -K` needs CONFIG_INET_DIAG_DESTROY; a filter that matches nothing proves support harmlessly.
if [ "$src" = ss ] && ss -K -Htn state syn-recv 'sport = :1' >/dev/null 2>&1; then echo "kill-sockets yes"; else echo "kill-sockets no"; fi

echo "==linger:sysctls=="
for key in $LINGER_SYSCTLS; do
  f=/proc/sys/$(printf '%s' "$key" | tr . /)
  if [ -r "$f" ]; then printf '%s = %s\n' "$key" "$(cat "$f" 2>/dev/null | tr '\t' ' ')"; else printf '%s ?\n' "$key"; fi
done

echo "==linger:sockstat=="
cat /proc/net/sockstat 2>/dev/null

awk -v lo="$lo" -v hi="$hi" -v src="$src" '
function hex(h,   i, v) { v = 0; h = toupper(h); for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return v }
function procaddr(a,   p, h) { p = index(a, ":"); h = substr(a, 1, p - 1)
  if (length(h) == 8) return hex(substr(h,7,2)) "." hex(substr(h,5,2)) "." hex(substr(h,3,2)) "." hex(substr(h,1,2)) ":" hex(substr(a, p + 1))
  return "[" h "]:" hex(substr(a, p + 1)) }
function port(a,   i) { i = match(a, /:[0-9*]+$/); return i ? substr(a, i + 1) : "?" }
BEGIN {
  split("ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT UNCONN CLOSE-WAIT LAST-ACK LISTEN CLOSING", stname, " ")
  split("off on keepalive timewait persist", tkind, " ")
  cmd = (src == "ss") ? "ss -Htanoe 2>/dev/null" : "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null"
  while ((cmd | getline line) > 0) {
    nf = split(line, f, " ")
    if (src != "ss") {
      # /proc/net/tcp: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...; rewritten as ss prints it
      if (f[1] !~ /^[0-9]+:$/) continue
      split(f[5], q, ":"); split(f[6], t, ":"); code = hex(t[1])
      line = sprintf("%s %d %d %s %s timer:(%s,%dms,%d) uid:%s ino:%s", stname[hex(f[4])], hex(q[2]), hex(q[1]),
        procaddr(f[2]), procaddr(f[3]), (code <= 4 ? tkind[code + 1] : "off"), hex(t[2]) * 10, hex(f[7]), f[8], f[10])
      nf = split(line, f, " ")
    }
    s = f[1]; lp = port(f[4]); pp = port(f[5])
    n[s " " lp " " pp]++
    if (s == "LISTEN") listening[lp] = 1
    # LISTEN: Recv-Q is the accept queue, Send-Q only the backlog limit
    if ((s != "LISTEN" && s != "ESTAB" && s != "TIME-WAIT") || f[2] > 0 || (s != "LISTEN" && f[3] > 0)) {
      notable[++k] = line
      if (match(line, / ino:[0-9]+/)) { ino = substr(line, RSTART + 5, RLENGTH - 5); if (ino != "0") want[ino] = 1 }
    }
  }
  close(cmd)
  # A socket counts under its local port when that port listens here or lies outside the ephemeral
  # range; otherwise it is an outgoing connection and counts under the peer port ("remote"), so
  # thousands of ephemeral ports collapse into the services they talk to.
  print "==linger:counts=="
  for (key in n) {
    split(key, f, " ")
    if ((f[2] in listening) || f[2] + 0 < lo + 0 || f[2] + 0 > hi + 0) c[f[1] " " f[2] " local"] += n[key]
    else c[f[1] " " f[3] " remote"] += n[key]
  }
  for (key in c) print key, c[key]
  print "==linger:sockets=="
  for (i = 1; i <= k; i++) print notable[i]

  # Every process: pid, ppid, state, threads, command (the command sits between the first "(" and the last ")").
  cmd = "cat /proc/[0-9]*/stat 2>/dev/null"
  while ((cmd | getline line) > 0) {
    a = index(line, "("); b = 0; for (i = length(line); i > a; i--) if (substr(line, i, 1) == ")") { b = i; break }
    if (!a || !b) continue
    pid = substr(line, 1, a - 2); comm = substr(line, a + 1, b - a - 1); gsub(/[^ -~]/, "?", comm)
    split(substr(line, b + 2), r, " ")
    info[pid] = r[2] " " r[1] " " r[18] " " comm
    if (r[1] == "Z") zombie[pid] = r[18]
  }
  close(cmd)

  # Owners of the notable sockets, found by inode in the fd tables. A zombie leader whose threads
  # live on has an empty /proc/PID/fd: its descriptors are under /proc/PID/task/TID/fd.
  print "==linger:owners=="
  cmd = "find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname \"socket:*\" -printf \"%h %l\\n\" 2>/dev/null"
  for (z in zombie) if (zombie[z] > 1) cmd = cmd "; find /proc/" z "/task/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname \"socket:*\" -printf \"%h %l\\n\" 2>/dev/null"
  while ((cmd | getline line) > 0) {
    split(line, f, " "); split(f[1], d, "/"); ino = f[2]; gsub(/[^0-9]/, "", ino)
    if (!(ino in want)) continue
    pid = d[3]; tid = (d[4] == "task") ? d[5] : pid
    if (seen[ino " " pid]++) continue
    print ino, pid, tid; owner[pid] = 1
  }
  close(cmd)

  print "==linger:processes=="
  for (pid in info) if ((pid in zombie) || (pid in owner)) print pid, info[pid]
  print "==linger:end=="
}'
