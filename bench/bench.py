#!/usr/bin/env python3
"""make bench: the same static benchmark program (bench/ubench.c) on the
host, in the real UML (Debian's user-mode-linux), in gVisor (Debian's runsc)
and in our kernel, each also pinned to one CPU, in one run; then the
whole-instance figures (boot, halt, idle memory) of the real UML and ours.

Prints a table with the ratio of ours to each peer (>1: we are faster or
smaller), writes BUILD/bench/results.csv, results.json and ratios.png. A
configuration or figure that fails is reported as FAILED with its reason,
never left out. See docs/performance.md.

    bench/bench.py --build BUILD [--quick] [--only native,uml,gvisor,ours]
"""

import argparse
import datetime
import json
import math
import os
import platform
import pwd
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

# Every figure of ubench, in table order: name, unit, label. MB/s figures
# are better when higher, the others when lower.
FIGURES = [
    ("getppid", "us", "getppid round trip"),
    ("stat", "us", "stat"),
    ("open_close", "us", "open + close"),
    ("pread_4k", "us", "pread 4 KiB (cached)"),
    ("pipe_rtt", "us", "pipe round trip, 2 procs"),
    ("futex_pingpong", "us", "futex ping-pong, 2 threads"),
    ("thread_create_join", "us", "thread create + join"),
    ("fork_exit_wait", "us", "fork + exit + wait"),
    ("fork_exec_wait", "us", "fork + exec + wait"),
    ("vfork_exec_wait", "us", "vfork + exec + wait"),
    ("mmap_touch_1m", "us", "mmap + touch + munmap 1 MiB"),
    ("seq_write_fsync", "MB/s", "write 64 MiB + fsync"),
    ("seq_read", "MB/s", "read 64 MiB"),
    ("smallfiles", "us", "1000 small files (total)"),
    ("shell_loop", "us", "sh -c: 100 x true (total)"),
]
# Whole-instance figures (the real UML and ours only).
INSTANCE = [
    ("boot_to_init", "ms", "start -> init's first line"),
    ("boot_to_halt", "ms", "start -> clean halt"),
    ("idle_mem", "MiB", "idle, mem=64M: memory"),
    ("idle_rss", "MiB", "idle, mem=64M: RSS sum"),
]
HIGHER_BETTER = {"MB/s"}
PEERS = ["native", "uml", "gvisor"]
CONFIGS = ["native", "uml", "gvisor", "ours"]
TITLES = {"native": "native", "uml": "UML", "gvisor": "gVisor", "ours": "ours"}
# The targets of the tracker (reported, never asserted): figure, peer,
# minimum ratio of ours to the peer.
TARGETS = [
    ("getppid", "uml", 5.0, "getppid >= 5x faster than UML"),
    ("fork_exec_wait", "uml", 5.0, "fork+exec >= 5x faster than UML"),
    ("mmap_touch_1m", "uml", 5.0, "mmap+touch >= 5x faster than UML"),
    ("mmap_touch_1m", "native", 0.5, "mmap+touch within 2x of native"),
    ("boot_to_init", "uml", 10.0, "boot to init >= 10x faster than UML"),
    ("idle_mem", "uml", 1.0, "idle memory <= UML's"),
]

# The peers: Debian's packages, unless the environment names others.
UML_BIN = os.environ.get("BENCH_UML", "/usr/bin/linux")
RUNSC_BIN = os.environ.get("BENCH_RUNSC", "/usr/bin/runsc")
BUSYBOX = "/bin/busybox"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# --- setup -----------------------------------------------------------------

class Env:
    """Where everything lives, and who runs the kernels."""

    def __init__(self, args):
        self.build = os.path.abspath(args.build)
        self.out = os.path.join(self.build, "bench")
        self.logs = os.path.join(self.out, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.kernel = os.path.join(self.build, "linux")
        self.user = os.environ.get("UMLTEST_USER", "umltest")
        self.runas = []
        if os.geteuid() == 0:
            self.make_user()
            self.runas = ["setpriv", "--reuid=" + self.user,
                          "--regid=" + self.user, "--clear-groups", "--"]
        self.scratch_root()
        self.tmpdir = self.make_tmpdir()

    def make_user(self):
        try:
            pwd.getpwnam(self.user)
        except KeyError:
            subprocess.run(["useradd", "-r", "-M", "-d", "/nonexistent",
                            "-s", "/usr/sbin/nologin", self.user],
                           stderr=subprocess.DEVNULL)
            pwd.getpwnam(self.user)  # fails loudly if it could not be made

    def chown(self, path):
        if self.runas:
            pw = pwd.getpwnam(self.user)
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def user_can(self, test):
        if not self.runas:
            return True
        return subprocess.run(self.runas + ["sh", "-c", test],
                              stderr=subprocess.DEVNULL).returncode == 0

    def scratch_root(self):
        """A directory the unprivileged user can write, holding the
        binaries, the images and the native run's files: under the build
        directory if that user can reach it, else in /tmp (as
        tests/run.sh does)."""
        self.scratch = os.path.join(self.out, "run")
        shutil.rmtree(self.scratch, ignore_errors=True)
        os.makedirs(self.scratch)
        self.chown(self.scratch)
        if not self.user_can("test -w '%s' && test -x '%s'" %
                             (self.scratch, self.kernel)):
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = tempfile.mkdtemp(prefix="uml-bench.")
            os.chmod(self.scratch, 0o755)
            self.chown(self.scratch)
            if os.path.exists(self.kernel):
                k = os.path.join(self.scratch, "linux")
                shutil.copy2(self.kernel, k)
                self.kernel = k

    def make_tmpdir(self):
        """TMPDIR for the kernels: on tmpfs (/dev/shm) when there is one,
        as the UML HowTo advises for the file backing UML's memory."""
        base = "/dev/shm" if os.path.isdir("/dev/shm") else self.scratch
        d = tempfile.mkdtemp(prefix="uml-bench.", dir=base)
        os.chmod(d, 0o1777)
        return d

    def user_env(self):
        env = {k: v for k, v in os.environ.items()
               if k in ("PATH", "LANG", "LC_ALL", "TERM")}
        env.update(HOME=self.tmpdir, TMPDIR=self.tmpdir,
                   XDG_RUNTIME_DIR=self.tmpdir, LC_ALL="C")
        return env

    def cleanup(self):
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def build_programs(env):
    """ubench and bench-true, static, into the scratch directory."""
    ub = os.path.join(env.scratch, "ubench")
    tr = os.path.join(env.scratch, "bench-true")
    run(["gcc", "-static", "-O2", "-pthread", "-Wall", "-Wextra",
         "-o", ub, os.path.join(HERE, "ubench.c")])
    run(["gcc", "-static", "-nostdlib", "-O2", "-Wall", "-Wextra",
         "-o", tr, os.path.join(HERE, "bench-true.c")])
    return ub, tr


INIT = r"""#!/bin/sh
# /init of the benchmark images (initramfs for ours, ext4 for the real UML).
# Its first line is the boot-time marker. BENCH (from the kernel command
# line) says what to do: ubench (run it with UBENCH's comma-separated
# arguments), boot (halt at once) or idle (sleep, the driver measures).
echo "BENCH-INIT $BENCH"
PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
case $BENCH in
boot)
	poweroff -f
	;;
idle)
	mount -t proc proc /proc 2>/dev/null
	echo "BENCH-IDLE"
	sleep 100000
	;;
ubench)
	mount -t proc proc /proc 2>/dev/null
	mount -t devtmpfs devtmpfs /dev 2>/dev/null
	set -- $(echo "$UBENCH" | tr , ' ')
	echo "=== ubench begin"
	/ubench -d /tmp/ubench "$@"
	echo "=== ubench exit $?"
	rm -rf /tmp/ubench
	sync
	mount -o remount,ro / 2>/dev/null
	poweroff -f
	;;
esac
echo "BENCH-INIT: unknown BENCH '$BENCH'"
poweroff -f
"""


def build_images(env, ub, tr):
    """One tree (busybox, ubench, bench-true, /init), packed twice: an
    initramfs for ours, an ext4 image for the real UML."""
    tree = os.path.join(env.scratch, "tree")
    lib = os.path.join(TOP, "scripts", "initramfs-lib.sh")
    run(["sh", "-c", '. "$1"; rootfs_busybox "$2"', "sh", lib, tree])
    shutil.copy2(ub, os.path.join(tree, "ubench"))
    shutil.copy2(tr, os.path.join(tree, "bench-true"))
    with open(os.path.join(tree, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(tree, "init"), 0o755)
    cpio = os.path.join(env.scratch, "bench.cpio.gz")
    run(["sh", "-c", '. "$1"; pack_cpio "$2" "$3"', "sh", lib, tree, cpio])
    os.chmod(cpio, 0o644)
    img = os.path.join(env.scratch, "bench.ext4")
    ext4_err = None
    if shutil.which("mkfs.ext4"):
        r = subprocess.run(["mkfs.ext4", "-F", "-q", "-d", tree, img, "384M"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            ext4_err = "mkfs.ext4 failed: " + r.stderr.strip()[-200:]
        else:
            env.chown(img)
    else:
        ext4_err = "mkfs.ext4 not found (Debian package e2fsprogs)"
    return cpio, (None if ext4_err else img), ext4_err


# --- running one configuration ---------------------------------------------

def session_pids(sid, root):
    """The host processes of an instance: those of its session, plus the
    descendants of its first process (in case one made a session of its
    own)."""
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        procs[int(d)] = (int(fields[1]), int(fields[3]))  # ppid, sid
    found = {p for p, (pp, s) in procs.items() if s == sid}
    found.add(root)
    grew = True
    while grew:
        grew = False
        for p, (pp, s) in procs.items():
            if pp in found and p not in found:
                found.add(p)
                grew = True
    return [p for p in found if p in procs]


def kill_instance(proc):
    """Kills whatever is left of an instance (its session)."""
    for _ in range(3):
        pids = session_pids(proc.pid, proc.pid)
        if not pids:
            break
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def watchdog(proc, secs):
    """Kills the instance after SECS unless cancelled: console reads block,
    and a hung kernel must not hang the benchmark."""
    def fire():
        t.fired = True
        kill_instance(proc)
    t = threading.Timer(secs, fire)
    t.fired = False
    t.daemon = True
    t.start()
    return t


def start(env, cmd, pinned, logf):
    full = (["taskset", "-c", "0"] if pinned else []) + env.runas + cmd
    logf.write("$ " + " ".join(full) + "\n")
    logf.flush()
    return subprocess.Popen(full, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env.user_env(), cwd=env.scratch,
                            start_new_session=True)


def ubench_cmd(env, config, paths, uargs):
    """The command line running ubench under CONFIG, or a reason why it
    cannot run."""
    ub, tr, cpio, img, img_err = paths
    if config == "native":
        work = os.path.join(env.scratch, "native-work")
        return [ub, "-d", work, "-x", tr, "-b", BUSYBOX] + uargs, None
    if config == "gvisor":
        if not os.access(RUNSC_BIN, os.X_OK):
            return None, RUNSC_BIN + " not installed (Debian package runsc)"
        return [RUNSC_BIN, "--rootless", "--network=none", "do",
                ub, "-d", "/tmp/ubench", "-x", tr, "-b", BUSYBOX] + uargs, None
    kargs = ["BENCH=ubench", "UBENCH=" + ",".join(uargs)]
    if config == "uml":
        if not os.access(UML_BIN, os.X_OK):
            return None, UML_BIN + " not installed (Debian package user-mode-linux)"
        if img is None:
            return None, img_err
        return [UML_BIN, "mem=256M", "ubd0=" + img, "root=/dev/ubda", "rw",
                "init=/init", "con0=fd:0,fd:1", "con=null"] + kargs, None
    if not os.access(env.kernel, os.X_OK):
        return None, env.kernel + " did not build"
    return [env.kernel, "mem=256M", "initrd=" + cpio] + kargs, None


def parse_ubench(text):
    """RESULT/ERROR lines and the verdict of one ubench run."""
    res, errs, verdict = {}, {}, None
    for line in text.replace("\r", "").splitlines():
        m = re.match(r"^RESULT (\S+) ([0-9.eE+-]+) (\S+)$", line)
        if m:
            res[m.group(1)] = float(m.group(2))
            continue
        m = re.match(r"^ERROR (\S+): (.*)$", line)
        if m:
            errs[m.group(1)] = m.group(2)
            continue
        if line == "PASS" or line.startswith("FAIL:"):
            verdict = line
    return res, errs, verdict


def run_ubench(env, config, pinned, paths, uargs, limit, rnd):
    """One run of one configuration: {figure: value} and {figure: reason},
    plus a reason if the whole run failed."""
    name = config + ("-pinned" if pinned else "") + "-round%d" % rnd
    logpath = os.path.join(env.logs, name + ".log")
    cmd, why = ubench_cmd(env, config, paths, uargs)
    if cmd is None:
        return {}, {}, why, logpath
    with open(logpath, "w") as logf:
        t0 = time.monotonic()
        proc = start(env, cmd, pinned, logf)
        try:
            out, _ = proc.communicate(timeout=limit)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            kill_instance(proc)
            out, _ = proc.communicate()
            rc = None
        kill_instance(proc)
        text = out.decode("utf-8", "replace")
        logf.write(text)
        logf.write("\n# %.1f s, status %s\n" % (time.monotonic() - t0, rc))
    res, errs, verdict = parse_ubench(text)
    why = None
    if rc is None:
        why = "hung: killed after %d s" % limit
    elif verdict is None:
        last = [l for l in text.replace("\r", "").splitlines() if l.strip()]
        why = "ubench did not finish (exit status %s; last line: %s)" % (
            rc, last[-1][:120] if last else "none")
    elif config in ("uml", "ours") and rc != 0:
        why = "the kernel ended with status %s after the run" % rc
    elif config in ("native", "gvisor") and rc != 0 and verdict == "PASS":
        why = "exit status %s" % rc
    if config == "gvisor" and rc not in (None, 0) and not res and not why:
        why = "runsc failed (status %s)" % rc
    if why and not res:
        # Nothing measured: the reason is the whole story.
        return {}, {}, why, logpath
    for fig, _, _ in FIGURES:
        if fig not in res and fig not in errs:
            errs[fig] = why or "no result"
    return res, errs, why, logpath


# --- whole-instance figures -------------------------------------------------

def instance_cmd(env, config, mode, paths):
    ub, tr, cpio, img, img_err = paths
    if config == "uml":
        if not os.access(UML_BIN, os.X_OK):
            return None, UML_BIN + " not installed (Debian package user-mode-linux)"
        if img is None:
            return None, img_err
        # Read-only root: these instances are halted or killed.
        return [UML_BIN, "mem=64M", "ubd0=" + img, "root=/dev/ubda", "ro",
                "init=/init", "con0=fd:0,fd:1", "con=null",
                "BENCH=" + mode], None
    if not os.access(env.kernel, os.X_OK):
        return None, env.kernel + " did not build"
    return [env.kernel, "mem=64M", "initrd=" + cpio, "BENCH=" + mode], None


def read_until(proc, marker, deadline, logf):
    """Reads the console until a line holding MARKER; its arrival time or
    None."""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            return None
        logf.write(line.decode("utf-8", "replace"))
        if marker in line:
            return time.monotonic()
    return None


def boot_once(env, config, pinned, paths, logf):
    """Start to init's first line, and start to the end of the kernel
    process after init's immediate poweroff -f (ms), or a reason."""
    cmd, why = instance_cmd(env, config, "boot", paths)
    if cmd is None:
        return None, None, why
    t0 = time.monotonic()
    proc = start(env, cmd, pinned, logf)
    dog = watchdog(proc, 60)
    try:
        t1 = read_until(proc, b"BENCH-INIT", t0 + 60, logf)
        if t1 is None:
            return None, None, "init's first line never came"
        rest = proc.stdout.read()
        rc = proc.wait()
        t2 = time.monotonic()
        logf.write(rest.decode("utf-8", "replace"))
        if dog.fired:
            return (t1 - t0) * 1e3, None, "did not halt within 60 s"
    finally:
        dog.cancel()
        kill_instance(proc)
    if rc != 0:
        return (t1 - t0) * 1e3, None, "halt ended with status %s" % rc
    return (t1 - t0) * 1e3, (t2 - t0) * 1e3, None


def smaps(pid):
    """The kB figures of /proc/PID/smaps_rollup."""
    d = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[2] == "kB":
                    d[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        pass
    return d


def shmem_objects(pid, tmpdir):
    """The shared-memory files an instance's process holds open or has
    mapped (memfds, files on /dev/shm or in TMPDIR, such as the real UML's
    memory file): {(dev, inode): allocated bytes}. Their pages are memory
    whether mapped or not, and are counted once however many map them."""
    objs = {}
    for sub in ("fd", "map_files"):
        d = "/proc/%d/%s" % (pid, sub)
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for n in names:
            try:
                target = os.readlink(os.path.join(d, n))
            except OSError:
                continue
            if not (target.startswith("/memfd:") or
                    target.startswith("/dev/shm/") or
                    target.startswith(tmpdir + "/")):
                continue
            try:
                st = os.stat(os.path.join(d, n))
            except OSError:
                continue
            objs[(st.st_dev, st.st_ino)] = st.st_blocks * 512
    return objs


def instance_memory(pids, tmpdir):
    """(total, RSS sum) in MiB over the host processes PIDS. The total is
    each process's proportional share (PSS) of everything but shared
    memory, plus every shared-memory object once, mapped or not."""
    own, rss, objs = 0, 0, {}
    for p in pids:
        m = smaps(p)
        own += m.get("Pss", 0) - m.get("Pss_Shmem", 0)
        rss += m.get("Rss", 0)
        objs.update(shmem_objects(p, tmpdir))
    shm = sum(objs.values())
    total = own * 1024 + shm
    return total / 2**20, rss / 1024, "%d shared-memory objects, %.1f MiB; " \
        "PSS without them %.1f MiB" % (len(objs), shm / 2**20, own / 1024)


def idle_once(env, config, pinned, paths, logf, settle):
    """Memory (MiB) held by an idle instance with mem=64M, SETTLE seconds
    after init reported idle: the total (PSS and shared memory) and the RSS
    sum over its host processes."""
    cmd, why = instance_cmd(env, config, "idle", paths)
    if cmd is None:
        return None, None, why
    proc = start(env, cmd, pinned, logf)
    dog = watchdog(proc, 60 + settle)
    try:
        if read_until(proc, b"BENCH-IDLE", time.monotonic() + 60, logf) is None:
            return None, None, "init never reported idle"
        time.sleep(settle)
        if proc.poll() is not None:
            return None, None, "the instance ended (status %s)" % proc.returncode
        pids = session_pids(proc.pid, proc.pid)
        total, rss, detail = instance_memory(pids, env.tmpdir)
        logf.write("# %d host processes: total %.1f MiB (%s), RSS sum "
                   "%.1f MiB\n" % (len(pids), total, detail, rss))
        return total, rss, None
    finally:
        dog.cancel()
        kill_instance(proc)


def run_instance(env, config, pinned, paths, nboots, nidle, settle):
    name = config + ("-pinned" if pinned else "") + "-instance"
    logpath = os.path.join(env.logs, name + ".log")
    res, errs = {}, {}
    with open(logpath, "w") as logf:
        boots, halts, why_b, why_h = [], [], None, None
        for _ in range(nboots):
            b, h, why = boot_once(env, config, pinned, paths, logf)
            if b is None:
                why_b = why
                break
            boots.append(b)
            if h is None:
                why_h = why
            else:
                halts.append(h)
        if why_b:
            errs["boot_to_init"] = why_b
            errs["boot_to_halt"] = why_b
        else:
            res["boot_to_init"] = statistics.median(boots)
            if why_h:
                errs["boot_to_halt"] = why_h
            else:
                res["boot_to_halt"] = statistics.median(halts)
        mem, rss = [], []
        for _ in range(nidle):
            m, r, why = idle_once(env, config, pinned, paths, logf, settle)
            if m is None:
                errs["idle_mem"] = errs["idle_rss"] = why
                break
            mem.append(m)
            rss.append(r)
        else:
            res["idle_mem"] = statistics.median(mem)
            res["idle_rss"] = statistics.median(rss)
    return res, errs, logpath


# --- report -----------------------------------------------------------------

def ratio(fig_unit, ours, peer):
    """>1 means ours is better (faster, higher throughput, smaller)."""
    if ours is None or peer is None or ours <= 0 or peer <= 0:
        return None
    if fig_unit in HIGHER_BETTER:
        return ours / peer
    return peer / ours


def fmt_val(v):
    if v is None:
        return "FAILED"
    if v >= 1000:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def fmt_ratio(r):
    if r is None:
        return "-"
    return "%.2fx" % r if r < 10 else "%.1fx" % r


def all_rows():
    return ([(f, u, l, "ubench") for f, u, l in FIGURES] +
            [(f, u, l, "instance") for f, u, l in INSTANCE])


def value(results, config, pinned, fig):
    return results.get((config, pinned), {}).get("values", {}).get(fig)


def table(results, pinned):
    head = ["figure", "unit"] + [TITLES[c] for c in CONFIGS] + \
        ["vs " + TITLES[p] for p in PEERS]
    rows = []
    for fig, unit, label, kind in all_rows():
        row = [label, unit]
        for c in CONFIGS:
            if kind == "instance" and c in ("native", "gvisor"):
                row.append("")
            elif (c, pinned) not in results:
                row.append("not run")
            else:
                mark = "!" if fig in results[(c, pinned)].get(
                    "partial", []) else ""
                row.append(fmt_val(value(results, c, pinned, fig)) + mark)
        ours = value(results, "ours", pinned, fig)
        for p in PEERS:
            if kind == "instance" and p != "uml":
                row.append("")
            else:
                row.append(fmt_ratio(ratio(unit, ours,
                                           value(results, p, pinned, fig))))
        rows.append(row)
    widths = [max(len(str(r[i])) for r in rows + [head])
              for i in range(len(head))]
    lines = []
    for i, r in enumerate([head] + rows):
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])] + \
            [str(x).rjust(w) for x, w in zip(r[2:], widths[2:])]
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "|".join(
                "-" * (w + 2) if j < 2 else "-" * (w + 1) + ":"
                for j, w in enumerate(widths)) + "|")
    return lines


def failures(results):
    lines = []
    for c in CONFIGS:
        for pinned in (False, True):
            r = results.get((c, pinned))
            if r is None:
                continue
            name = c + (" pinned" if pinned else "")
            if r.get("why") and not r["values"]:
                lines.append("- %s: FAILED: %s" % (name, r["why"]))
                continue
            for fig, why in sorted(r["errors"].items()):
                lines.append("- %s, %s: %s: %s" % (
                    name, fig, "FAILED in some rounds (!)"
                    if fig in r.get("partial", []) else "FAILED", why))
    return lines


def targets(results):
    lines = []
    for fig, peer, need, text in TARGETS:
        unit = dict((f, u) for f, u, _, _ in all_rows())[fig]
        got = []
        for pinned in (False, True):
            r = ratio(unit, value(results, "ours", pinned, fig),
                      value(results, peer, pinned, fig))
            got.append("unknown" if r is None else
                       "%s (%s)" % ("met" if r >= need else "not met",
                                    fmt_ratio(r)))
        lines.append("- %s: unpinned %s; pinned %s" % (text, got[0], got[1]))
    return lines


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 30
    return "%s, %d CPUs, %d GiB, host Linux %s" % (
        cpu, os.cpu_count(), mem, platform.release())


def versions(env):
    v = {}

    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    for pkg in ("user-mode-linux", "runsc", "busybox-static"):
        v[pkg] = out(["dpkg-query", "-W", "-f=${Version}", pkg]) or "not installed"
    v["ours"] = out(["git", "-C", TOP, "describe", "--always", "--dirty"]) or "unknown"
    return v


def write_csv(path, results):
    with open(path, "w") as f:
        f.write("figure,unit,pinned," + ",".join(CONFIGS) + "," +
                ",".join("ours_vs_" + p for p in PEERS) + "\n")
        for pinned in (False, True):
            for fig, unit, _, kind in all_rows():
                vals, rats = [], []
                ours = value(results, "ours", pinned, fig)
                for c in CONFIGS:
                    if kind == "instance" and c in ("native", "gvisor"):
                        vals.append("")
                        continue
                    v = value(results, c, pinned, fig)
                    if (c, pinned) not in results:
                        vals.append("not run")
                    else:
                        vals.append("FAILED" if v is None else "%.6g" % v)
                for p in PEERS:
                    r = None if kind == "instance" and p != "uml" else \
                        ratio(unit, ours, value(results, p, pinned, fig))
                    rats.append("" if r is None else "%.4g" % r)
                f.write("%s,%s,%s,%s,%s\n" % (fig, unit, int(pinned),
                                              ",".join(vals), ",".join(rats)))


def write_json(path, results, meta):
    doc = dict(meta)
    doc["figures"] = [{"name": f, "unit": u, "label": l, "kind": k,
                       "better": "higher" if u in HIGHER_BETTER else "lower"}
                      for f, u, l, k in all_rows()]
    doc["configurations"] = []
    for (c, pinned), r in sorted(results.items()):
        doc["configurations"].append({
            "name": c, "pinned": pinned, "values": r["values"],
            "failed": r["errors"], "failure": r.get("why"),
            "partial": r.get("partial", []), "rounds": r.get("rounds", []),
            "log": r.get("log")})
    doc["ratios"] = {}
    for pinned in (False, True):
        key = "pinned" if pinned else "unpinned"
        doc["ratios"][key] = {}
        for fig, unit, _, kind in all_rows():
            ours = value(results, "ours", pinned, fig)
            doc["ratios"][key][fig] = {
                p: ratio(unit, ours, value(results, p, pinned, fig))
                for p in PEERS if kind == "ubench" or p == "uml"}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def write_png(path, results, meta):
    """Bars of the ratios (log scale), one panel per pinning; a missing bar
    is a failed figure, and the panel says which."""
    if not shutil.which("gnuplot"):
        return "gnuplot not installed (Debian package gnuplot-nox)"
    dat = path + ".dat"
    lo, hi = 0.1, 10.0
    with open(dat, "w") as f:
        for pinned in (False, True):
            f.write("# %s: vs UML, vs gVisor, vs native\n" %
                    ("pinned" if pinned else "unpinned"))
            for fig, unit, label, kind in all_rows():
                ours = value(results, "ours", pinned, fig)
                cells = []
                for p in ("uml", "gvisor", "native"):
                    r = None if kind == "instance" and p != "uml" else \
                        ratio(unit, ours, value(results, p, pinned, fig))
                    cells.append("?" if r is None else "%.4g" % r)
                    if r is not None:
                        lo, hi = min(lo, r), max(hi, r)
                f.write('"%s" %s\n' % (fig.replace("_", " "), " ".join(cells)))
            f.write("\n\n")
    # Whole decades around every ratio, so that no bar falls off the scale.
    lo = 10 ** math.floor(math.log10(lo) - 0.3)
    hi = 10 ** math.ceil(math.log10(hi) + 0.1)
    script = """
set terminal pngcairo size 1600,1100 font ",10"
set output '%(png)s'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 10
set yrange [%(lo)g:%(hi)g]
set format y "%%g"
set grid ytics
set ylabel "ours vs peer (>1: ours faster / smaller)"
set xtics rotate by -35 left noenhanced
set key outside right top vertical noenhanced
set multiplot layout 2,1 title "%(title)s" noenhanced
set title "unpinned"
plot '%(dat)s' index 0 using 2:xtic(1) title "vs UML" lc rgb "#d62728", \
     '' index 0 using 3 title "vs gVisor" lc rgb "#1f77b4", \
     '' index 0 using 4 title "vs native" lc rgb "#7f7f7f", \
     1 notitle with lines lc rgb "black" lw 2
set title "pinned to CPU 0 (taskset -c 0)"
plot '%(dat)s' index 1 using 2:xtic(1) title "vs UML" lc rgb "#d62728", \
     '' index 1 using 3 title "vs gVisor" lc rgb "#1f77b4", \
     '' index 1 using 4 title "vs native" lc rgb "#7f7f7f", \
     1 notitle with lines lc rgb "black" lw 2
unset multiplot
""" % {"png": path, "dat": dat, "lo": lo, "hi": hi,
       "title": "make bench: ours vs peers, %s (missing bar = failed)"
       % meta["date"]}
    r = subprocess.run(["gnuplot"], input=script, text=True,
                       capture_output=True)
    if r.returncode != 0 or not os.path.exists(path):
        return "gnuplot failed: " + r.stderr.strip()[-300:]
    return None


# --- main ---------------------------------------------------------------------

def measure(args, env, only, meta):
    """Runs every configuration: {(config, pinned): {"values", "errors",
    "why", "log"}}."""
    log("bench: %s; %s" % (meta["date"], meta["machine"]))
    log("bench: scratch %s, TMPDIR %s, kernels run as %s" % (
        env.scratch, env.tmpdir, env.user if env.runas else "the caller"))
    ub, tr = build_programs(env)
    cpio, img, img_err = build_images(env, ub, tr)
    paths = (ub, tr, cpio, img, img_err)
    if args.quick:
        args.rounds = 1
        uargs = ["-q"]
        nboots, nidle, settle, limit = 1, 1, 0.5, 120
    else:
        uargs = ["-r", str(args.reps), "-t", "%g" % args.target_ms]
        nboots, nidle, settle, limit = args.boots, args.idle, 3, 600

    # Rounds are interleaved (every configuration once, then again) so
    # that a slow phase of the machine does not land on one configuration.
    runs = {}
    for rnd in range(1, args.rounds + 1):
        for pinned in (False, True):
            for c in CONFIGS:
                if c not in only:
                    continue
                t = time.monotonic()
                log("bench: round %d/%d, ubench, %s%s..." % (
                    rnd, args.rounds, c, " pinned" if pinned else ""))
                res, errs, why, lp = run_ubench(env, c, pinned, paths, uargs,
                                                limit, rnd)
                runs.setdefault((c, pinned), []).append(
                    {"values": res, "errors": errs, "why": why, "log": lp})
                log("bench:   %s in %.0f s" % (
                    "FAILED: " + why if why and not res else
                    "%d figures" % len(res), time.monotonic() - t))
    results = {key: combine(r) for key, r in runs.items()}

    for pinned in (False, True):
        for c in ("uml", "ours"):
            if c not in only:
                continue
            t = time.monotonic()
            log("bench: boot and idle memory, %s%s..." % (
                c, " pinned" if pinned else ""))
            res, errs, lp = run_instance(env, c, pinned, paths, nboots,
                                         nidle, settle)
            r = results.setdefault((c, pinned), {"values": {}, "errors": {},
                                                 "partial": [], "why": None,
                                                 "log": None})
            r["values"].update(res)
            r["errors"].update(errs)
            r["instance_log"] = lp
            log("bench:   %s in %.0f s" % (
                "; ".join("%s FAILED: %s" % kv for kv in errs.items())
                or "ok", time.monotonic() - t))
    return results


def combine(rounds):
    """One configuration's figures over its rounds: the median of the
    rounds that measured it. A round that failed is never hidden: its
    reason is kept, and the figure is marked (see partial)."""
    values, errors, partial = {}, {}, []
    whys = ["round %d: %s" % (i + 1, r["why"])
            for i, r in enumerate(rounds) if r["why"] and not r["values"]]
    for fig, _, _ in FIGURES:
        got = [r["values"][fig] for r in rounds if fig in r["values"]]
        bad = ["round %d: %s" % (i + 1, r["errors"][fig])
               for i, r in enumerate(rounds)
               if fig in r["errors"] and not (r["why"] and not r["values"])]
        if got:
            values[fig] = statistics.median(got)
        if bad or whys:
            errors[fig] = "; ".join(bad + whys)
            if got:
                partial.append(fig)
    return {"values": values, "errors": errors, "partial": partial,
            "why": "; ".join(whys) if whys and not values else None,
            "log": rounds[-1]["log"],
            "rounds": [r["values"] for r in rounds]}


def load_json(path):
    """The results and metadata of an earlier run (--replot)."""
    with open(path) as f:
        doc = json.load(f)
    results = {}
    for c in doc["configurations"]:
        results[(c["name"], c["pinned"])] = {
            "values": c["values"], "errors": c["failed"],
            "why": c["failure"], "log": c.get("log"),
            "partial": c.get("partial", []), "rounds": c.get("rounds", [])}
    meta = {k: doc[k] for k in ("date", "machine", "versions", "quick",
                                "seconds", "reps", "rounds", "only")
            if k in doc}
    return results, meta


def report(out_dir, results, meta):
    """The table (printed and in results.txt), CSV, JSON and PNG."""
    only = meta["only"]
    logs = os.path.join(out_dir, "logs")
    csv_path = os.path.join(out_dir, "results.csv")
    json_path = os.path.join(out_dir, "results.json")
    png_path = os.path.join(out_dir, "ratios.png")
    write_csv(csv_path, results)
    write_json(json_path, results, meta)
    png_err = write_png(png_path, results, meta)

    out = []
    out.append("")
    out.append("make bench, %s, %s%s" % (meta["date"], meta["machine"],
                                          " (QUICK: not a measurement)"
                                          if meta["quick"] else ""))
    v = meta["versions"]
    out.append("UML %s (Debian user-mode-linux), gVisor runsc %s, busybox %s, "
               "ours %s" % (v["user-mode-linux"], v["runsc"],
                            v["busybox-static"], v["ours"]))
    out.append("Each figure: median of %d round(s), each the median of %d "
               "runs; ratio = peer/ours (MB/s: ours/peer), >1 means ours is "
               "faster or smaller." % (meta.get("rounds", 1), meta["reps"]))
    out.append("FAILED: not measured; !: failed in some rounds, the median "
               "of the others (reasons below).")
    for pinned in (False, True):
        out.append("")
        out.append("Pinned to CPU 0 (taskset -c 0):" if pinned
                   else "Unpinned:")
        out.append("")
        out.extend(table(results, pinned))
    fl = failures(results)
    skipped = [TITLES[c] for c in CONFIGS if c not in only]
    if skipped:
        out.append("")
        out.append("Not run (--only): %s." % ", ".join(skipped))
    out.append("")
    out.append("Failed configurations and figures:" if fl
               else "No configuration or figure failed.")
    out.extend(fl)
    out.append("")
    out.append("Targets (tracked, not asserted):")
    out.extend(targets(results))
    out.append("")
    out.append("CSV  %s" % csv_path)
    out.append("JSON %s" % json_path)
    out.append("PNG  %s" % (png_path if not png_err else "FAILED: " + png_err))
    out.append("logs %s (%s s in all)" % (logs, meta.get("seconds", "?")))
    text = "\n".join(out) + "\n"
    with open(os.path.join(out_dir, "results.txt"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--quick", action="store_true",
                    help="tiny counts: checks the driver, not the speed")
    ap.add_argument("--only", default=",".join(CONFIGS),
                    help="configurations to run (comma-separated)")
    ap.add_argument("--reps", type=int, default=5,
                    help="runs per figure in one ubench run (median)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="ubench runs per configuration (median of them)")
    ap.add_argument("--target-ms", type=float, default=100)
    ap.add_argument("--boots", type=int, default=7)
    ap.add_argument("--idle", type=int, default=3)
    ap.add_argument("--replot", action="store_true",
                    help="no run: the table, CSV and PNG again from "
                    "BUILD/bench/results.json")
    args = ap.parse_args()
    only = [c for c in args.only.split(",") if c]
    for c in only:
        if c not in CONFIGS:
            ap.error("unknown configuration %s" % c)
    out_dir = os.path.join(os.path.abspath(args.build), "bench")

    if args.replot:
        results, meta = load_json(os.path.join(out_dir, "results.json"))
        meta.setdefault("only", CONFIGS)
        meta.setdefault("reps", args.reps)
        meta.setdefault("rounds", 1)
        report(out_dir, results, meta)
        return 0

    env = Env(args)
    started = time.monotonic()
    meta = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "machine": machine(), "versions": versions(env),
            "quick": args.quick, "reps": 1 if args.quick else args.reps,
            "rounds": 1 if args.quick else args.rounds, "only": only}
    try:
        results = measure(args, env, only, meta)
    finally:
        env.cleanup()
    meta["seconds"] = round(time.monotonic() - started)
    report(out_dir, results, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
