#!/bin/sh
# The cgroup layouts soakrun's users run it in, each a case in the guest:
# soakrun (the static binary) runs leaky, whose last child escapes into a
# session of its own, and the case checks the containment soakrun names on
# its first stderr line and in run.containment, and that nothing of the
# tree and none of its cgroups outlive the run.
# Run by the guest's init as root, with /sys/fs/cgroup passing memory,
# pids, cpu and io down from the root.
cg=/sys/fs/cgroup
flags="--timeout 6s --kill-after 1s --interval 250ms --min-span 0"
leaky="leaky -rate 4 -churn 1 -children 2"

# soak NAME CGROUP [ARGS...]: in a process moved into CGROUP, run soakrun
# with the flags and ARGS, in /tmp/layout-NAME (its output's directory).
soak() {
  name=$1 into=$2
  shift 2
  dir=/tmp/layout-$name
  mkdir -p "$dir"
  chmod 777 "$dir"
  (
    echo 0 >"$into/cgroup.procs" || exit 1
    cd "$dir" || exit 1
    # shellcheck disable=SC2086 # the flags are words
    exec soakrun $flags "$@" >stdout 2>stderr
  )
  echo $? >"$dir/exit"
}

# leakies: the pids of the leaky processes alive, zombies aside (busybox
# has no pgrep).
leakies() {
  for f in /proc/[0-9]*/comm; do
    [ "$(cat "$f" 2>/dev/null)" = leaky ] || continue
    grep -q "^State:.*zombie" "${f%comm}status" 2>/dev/null && continue
    f=${f#/proc/}
    echo "${f%/comm}"
  done
}

# check NAME PATTERN: the containment line matches PATTERN (an ERE), the
# analysis says the same, and nothing outlived the run.
check() {
  name=$1
  dir=/tmp/layout-$name
  ok=1
  line=$(grep -m 1 'containment:' "$dir/stderr")
  echo "layout $name: exit $(cat "$dir/exit")"
  echo "layout $name: stderr line 1: $(head -n 1 "$dir/stderr")"
  if ! echo "$line" | grep -Eq "$2"; then
    echo "layout $name: the containment line does not match /$2/"
    ok=0
  fi
  # Errors beside the verdict (pidfd_open EINVAL on kernels before 6.9).
  grep -E "pidfd|invalid argument|error" "$dir/stderr" | sed "s/^/layout $name: stderr: /"
  analysis=$(sed -n 's/.*"containment": *"\([^"]*\)".*/\1/p' "$dir/resources.analysis.json" 2>/dev/null | head -n 1)
  echo "layout $name: run.containment: $analysis"
  if [ "soakrun: containment: $analysis" != "$line" ]; then
    echo "layout $name: run.containment differs from the stderr line"
    ok=0
  fi
  sleep 0.5
  alive=$(leakies)
  if [ -n "$alive" ]; then
    echo "layout $name: leaky outlived the run: $alive"
    for pid in $alive; do kill -9 "$pid"; done
    ok=0
  fi
  left=$(find $cg -name "soakrun-[0-9]*" -type d)
  if [ -n "$left" ]; then
    echo "layout $name: cgroups outlived the run: $left"
    ok=0
  fi
}

# result NAME T0: the case's machine-readable line.
result() {
  if [ "$ok" != 1 ]; then sed 's/^/    stderr: /' "/tmp/layout-$1/stderr" | head -n 40; fi
  if [ "$ok" = 1 ]; then st=ok; else st=FAIL; fi
  echo "SOAKRUN-KERNELS layout=$1 status=$st seconds=$(( $(date +%s) - $2 ))"
}

# A delegated cgroup holding soakrun alone (systemd-run --scope -p
# Delegate=yes, an entrypoint that made one): the leaf move, controllers.
t0=$(date +%s)
mkdir $cg/delegated
# shellcheck disable=SC2086
soak delegated $cg/delegated -- $leaky
check delegated "cgroup v2 at $cg/delegated/soakrun-[0-9]+.*cpu\+io\+memory\+pids"
result delegated "$t0"

# soakrun beside other processes in a cgroup whose parent passes the
# controllers down (a CI runner's job cgroup), as root on a host no manager
# owns: the cgroupfs driver makes the run's cgroup in $cg/soakrun, below the
# root, which passes the controllers down; nobody is moved, the root's
# cgroup.subtree_control is not written, and $cg/soakrun goes with the run.
# With --cgroup-driver own, the run's cgroup is beside soakrun, without
# controllers, and the line says why; --cgroup required then runs nothing.
t0=$(date +%s)
mkdir $cg/job
sh -c "echo 0 >$cg/job/cgroup.procs; exec sleep 600" &
neighbour=$!
sleep 0.2
rootctl=$(cat $cg/cgroup.subtree_control)
echo "layout shared: $cg/job holds $(wc -l <$cg/job/cgroup.procs) process(es) before soakrun; its cgroup.controllers: $(cat $cg/job/cgroup.controllers)"
# shellcheck disable=SC2086
soak shared $cg/job -- $leaky
check shared "cgroup v2 via cgroupfs at $cg/soakrun/soakrun-[0-9]+ \\(cpu\+io\+memory\+pids\)"
if [ -e $cg/soakrun ]; then
  echo "layout shared: $cg/soakrun outlived the run"
  ok=0
fi
if [ "$(cat $cg/cgroup.subtree_control)" != "$rootctl" ]; then
  echo "layout shared: the root's cgroup.subtree_control changed: $rootctl -> $(cat $cg/cgroup.subtree_control)"
  ok=0
fi
if ! grep -qx "$neighbour" $cg/job/cgroup.procs; then
  echo "layout shared: the neighbour $neighbour left $cg/job"
  ok=0
fi
if ! grep -q '"cgroup_memory_nocache_mb"' /tmp/layout-shared/resources.jsonl; then
  echo "layout shared: no sample has the kernel's charge"
  ok=0
fi
result shared "$t0"

t0=$(date +%s)
# shellcheck disable=SC2086
soak shared-own $cg/job --cgroup-driver own -- $leaky
check shared-own "cgroup v2 at $cg/job/soakrun-[0-9]+ \\(no controllers: memory\+pids\+io\+cpu: $cg/job holds 1 other process"
result shared-own "$t0"

t0=$(date +%s)
# shellcheck disable=SC2086
soak shared-required $cg/job --cgroup-driver own --cgroup required -- touch /tmp/layout-shared-required/ran
echo "layout shared-required: exit $(cat /tmp/layout-shared-required/exit); stderr: $(head -n 2 /tmp/layout-shared-required/stderr)"
ok=1
if [ "$(cat /tmp/layout-shared-required/exit)" != 125 ] || [ -e /tmp/layout-shared-required/ran ]; then
  echo "layout shared-required: did not fail with 125 before running the command"
  ok=0
fi
if ! grep -q "memory controller.*holds 1 other process" /tmp/layout-shared-required/stderr; then
  echo "layout shared-required: the error does not say why"
  ok=0
fi
kill "$neighbour"
wait "$neighbour" 2>/dev/null
result shared-required "$t0"

# A run inside a run: the inner soakrun is the outer's command, alone in
# the outer run's cgroup.
t0=$(date +%s)
mkdir $cg/nested
mkdir -p /tmp/layout-nested/inner
chmod 777 /tmp/layout-nested/inner
# shellcheck disable=SC2086
soak nested $cg/nested -- sh -c "cd /tmp/layout-nested/inner && exec soakrun --timeout 4s --kill-after 1s --interval 250ms --min-span 0 -- $leaky 2>stderr >stdout"
check nested "cgroup v2 at $cg/nested/soakrun-[0-9]+"
inner=$(grep -m 1 'containment:' /tmp/layout-nested/inner/stderr)
echo "layout nested: inner: $inner"
if ! echo "$inner" | grep -Eq "cgroup v2 at $cg/nested/soakrun-[0-9]+/"; then
  echo "layout nested: the inner run's cgroup is not below the outer's"
  ok=0
fi
result nested "$t0"

# A cgroup with memory.max set small: leaky grows until the OOM killer
# kills it; soakrun counts the kill from memory.events.
t0=$(date +%s)
mkdir $cg/small
echo 96M >$cg/small/memory.max
echo 0 >$cg/small/memory.swap.max 2>/dev/null
soak oom $cg/small -- leaky -rate 60 -churn 1 -children 0
check oom "cgroup v2 at $cg/small/soakrun-[0-9]+"
echo "layout oom: $cg/small/memory.events: $(tr '\n' ' ' <$cg/small/memory.events)"
kills=$(sed -n 's/.*"oom_kills": *\([0-9]*\).*/\1/p' /tmp/layout-oom/resources.analysis.json | head -n 1)
echo "layout oom: analysis oom_kills: ${kills:-none}; OOM lines: $(grep -i -m 3 'oom' /tmp/layout-oom/stderr | tr '\n' ' ')"
echo "layout oom: samples (sample, cgroup_oom_kills): $(sed -n 's/.*"sample":"\([a-z]*\)".*/\1/p' /tmp/layout-oom/resources.jsonl | tr '\n' ' ')/ $(sed -n 's/.*"cgroup_oom_kills":\([0-9]*\).*/\1/p' /tmp/layout-oom/resources.jsonl | tr '\n' ' ')"
if [ "${kills:-0}" -lt 1 ]; then
  echo "layout oom: the analysis counts no OOM kill"
  ok=0
fi
result oom "$t0"

# No write access to the cgroup tree (an unprivileged user without a
# delegated cgroup): the process group, and the first line says why.
t0=$(date +%s)
mkdir $cg/user
dir=/tmp/layout-nowrite
mkdir -p $dir
chmod 777 $dir
(
  echo 0 >$cg/user/cgroup.procs
  cd $dir || exit 1
  # shellcheck disable=SC2086
  exec su nobody -s /bin/sh -c "exec soakrun $flags -- $leaky >stdout 2>stderr"
)
echo $? >$dir/exit
check nowrite "process group: .*not writable"
result nowrite "$t0"
