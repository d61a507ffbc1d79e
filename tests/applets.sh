#!/bin/sh
# Busybox applets, run once in our kernel and once on the host in a chroot of
# the same tree; the two outputs must be identical. So everything printed is
# a fact that does not depend on the host: counts, checksums of generated
# data, exit statuses, the columns of a header line.
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
umask 022
cd / || exit 1
w=/tmp/applets
rm -rf $w
mkdir -p $w/src/sub && cd $w || exit 1

# st CMD...: runs CMD, prints its exit status.
st() { "$@"; echo "status $*: $?"; }

echo "== shell"
x=0; for i in 1 2 3 4 5; do x=$((x + i)); done; echo "sum $x"
( exit 7 ); echo "subshell $?"
echo "a b  c" | { read -r p q r; echo "read $p-$q-$r"; }
st true
st false
f() { return 3; }; f; echo "function $?"
case foo.tar.gz in *.tar.gz) echo "case ok" ;; esac
echo "param ${x%5} ${#x} $(echo nested $(echo deep))"

echo "== files"
seq 1 1000 > src/nums
seq 1000 -1 1 > src/sub/rev
yes hello | head -n 50 > src/hello
printf 'b\na\nc\na\nb\na\n' > src/letters
st cat src/nums > /dev/null
wc -l src/nums src/sub/rev src/hello | sort
echo "bytes $(wc -c < src/nums)"
st mkdir -p d1/d2/d3
st cp -r src copy
st mv copy/hello copy/hello2
st rm copy/letters
ls copy | sort | tr '\n' ' '; echo
ls -R copy | wc -l
st ln -s ../src/nums d1/link
echo "readlink $(readlink d1/link)"
st ln src/nums hardlink
echo "links $(stat -c %h src/nums)"
st chmod 750 d1/d2
echo "mode $(stat -c %a d1/d2)"
st touch empty
echo "size $(stat -c %s empty)"
st rmdir d1/d2/d3
find . -type f | sort
find . -type d | wc -l
find . -name '*rev*' | wc -l
st cmp src/nums copy/nums
cmp -s src/nums src/sub/rev; echo "cmp differ $?"
echo "dirname $(dirname /a/b/c) basename $(basename /a/b/c.txt .txt)"

echo "== text"
grep -c 7 src/nums
grep -v -c 1 src/nums
grep -q 999 src/nums; echo "grep found $?"
grep -q 1001 src/nums; echo "grep notfound $?"
sed -n '10,12p' src/nums | tr '\n' ' '; echo
sed 's/1/one/g' src/nums | grep -c one
awk '{ s += $1 } END { print "awk sum", s }' src/nums
awk -F: '$3 == 0 { print "awk root", $1 }' /etc/passwd
sort -n -r src/nums | head -n 3 | tr '\n' ' '; echo
sort src/letters | uniq -c | tr -s ' ' | tr '\n' ' '; echo
sort -u src/letters | wc -l
head -n 5 src/nums | tr '\n' ' '; echo
tail -n 5 src/sub/rev | tr '\n' ' '; echo
head -c 20 src/nums | od -c | head -n 1 | tr -s ' '
cut -c 1-2 src/nums | sort -u | wc -l
echo "Hello World" | tr 'a-z' 'A-Z'
seq 1 10 | xargs -n 3 echo | tr '\n' '|'; echo
seq 1 5 | tee $w/tee.out | wc -l; wc -l < $w/tee.out
expr 6 \* 7
printf '%05d %s %x\n' 42 str 255
echo "hex $(printf 'abc' | hexdump -C | head -n 1 | tr -s ' ')"
diff src/nums copy/nums; echo "diff same $?"
diff src/nums src/sub/rev > /dev/null; echo "diff differ $?"

echo "== checksums"
md5sum src/nums
sha256sum src/sub/rev
cat src/nums src/hello | md5sum
echo "base64 $(printf 'uml test' | base64)"
echo "unbase64 $(printf 'uml test' | base64 | base64 -d)"

echo "== archives"
st tar cf t.tar src
tar tf t.tar | sort | tr '\n' ' '; echo
mkdir x && st tar xf t.tar -C x
find x -type f | sort | xargs md5sum
gzip -c < src/nums > nums.gz; echo "gzip $? $(wc -c < nums.gz)"
echo "gunzip $(gunzip -c nums.gz | md5sum)"
st gzip -t nums.gz
tar czf t.tgz src && echo "tgz $(tar tzf t.tgz | wc -l)"
st dd if=/dev/zero of=zero bs=1024 count=100
echo "dd $(wc -c < zero) $(md5sum < zero)"
dd if=src/nums bs=1 skip=10 count=10 2>/dev/null | od -A n -c | tr -s ' '

echo "== processes"
sleep 0.2; echo "sleep $?"
sleep 30 &
pid=$!
kill -0 $pid; echo "kill -0 $?"
kill $pid; echo "kill $?"
# (ash may or may not print "Terminated" depending on whether SIGCHLD came
# before the wait: only the status is compared)
wait $pid 2>/dev/null; echo "killed status $?"
sleep 30 &
pid=$!
kill -9 $pid; wait $pid 2>/dev/null; echo "kill -9 status $?"
( echo sub ) | cat
echo "id $(id -u) $(id -g) $(id -un)"
echo "uname $(uname -s) $(uname -m)"
echo "date $(date -u -d @86400 +%Y-%m-%d) $(date -u -d '2000-01-02 03:04:05' +%s)"
date +%Y | grep -q '^2[0-9][0-9][0-9]$' && echo "date year ok"
timeout 1 sleep 5; echo "timeout $?"
env -i FOO=bar env; echo "env $?"

echo "== procfs"
echo "ps header $(ps | head -n 1 | tr -s ' ')"
ps -o pid,comm | awk '$1 == 1 { print "ps pid 1 listed" }'
[ "$(ps | wc -l)" -ge 3 ] && echo "ps lists processes"
echo "top $(top -bn1 | grep -c 'PID  *PPID  *USER  *STAT')"
echo "self $([ -d /proc/$$ ] && echo yes)"
mount | grep -q ' on /proc type proc' && echo "mount proc listed"
echo "df header $(df | head -n 1 | tr -s ' ')"
echo "free header $(free | head -n 1 | tr -s ' ')"
echo "free mem $(free | grep -c '^Mem:')"
echo "meminfo $(grep -c '^MemTotal:' /proc/meminfo)"

echo "== system"
echo "uptime $(uptime | grep -c 'load average')"
echo "hostname $([ -n "$(hostname)" ] && echo set)"
echo "which $(which sh)"
echo "whoami $(whoami)"
echo "getopt test: $(test -d /proc && echo proc) $(test -f /etc/passwd && echo passwd)"

cd / && rm -rf $w
echo "== done"
