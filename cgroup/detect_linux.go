package cgroup

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Host says where the kernel tells this process about its cgroups. The zero
// value reads the kernel's own files; tests point it at files of their own
// to show how soakrun behaves on hosts this one is not.
type Host struct {
	MountInfo  string // default /proc/self/mountinfo
	SelfCgroup string // default /proc/self/cgroup
}

func (h Host) files() (mountInfo, selfCgroup string) {
	mountInfo, selfCgroup = h.MountInfo, h.SelfCgroup
	if mountInfo == "" {
		mountInfo = "/proc/self/mountinfo"
	}
	if selfCgroup == "" {
		selfCgroup = "/proc/self/cgroup"
	}
	return mountInfo, selfCgroup
}

// v1Controllers are the v1 hierarchies a run's cgroup joins, in the order
// they are named in messages.
var v1Controllers = []string{"memory", "pids", "cpuacct", "freezer", "blkio"}

// hierarchy is one mounted cgroup hierarchy and this process's cgroup in it.
type hierarchy struct {
	controller string // "" for v2, else the v1 controller it is used for
	mount      string // where it is mounted
	own        string // this process's cgroup directory in it
	readOnly   bool
}

// ownCgroups finds soakrun's own cgroup in the v2 hierarchy and in each v1
// hierarchy of v1Controllers that is mounted where soakrun can see its own
// cgroup. Absent hierarchies are left out.
func ownCgroups(h Host) ([]hierarchy, error) {
	mountInfo, selfCgroup := h.files()
	mounts, err := os.ReadFile(mountInfo)
	if err != nil {
		return nil, fmt.Errorf("read mounts: %w", err)
	}
	self, err := os.ReadFile(selfCgroup)
	if err != nil {
		return nil, fmt.Errorf("read own cgroups: %w", err)
	}
	paths := selfPaths(self)
	var out []hierarchy
	seen := map[string]bool{}
	for _, m := range parseMountInfo(mounts) {
		var key string
		switch m.fsType {
		case "cgroup2":
			key = ""
		case "cgroup":
			i := slices.IndexFunc(v1Controllers, func(c string) bool { return slices.Contains(m.superOptions, c) })
			if i < 0 {
				continue
			}
			key = v1Controllers[i]
		default:
			continue
		}
		if seen[key] {
			continue // the same hierarchy mounted twice: the first will do
		}
		path, ok := paths[key]
		if !ok {
			continue
		}
		// Inside a cgroup namespace or a bind mount, the mount's root is a
		// cgroup of its own; a process outside it cannot be reached here.
		rel, ok := below(path, m.root)
		if !ok {
			continue
		}
		seen[key] = true
		out = append(out, hierarchy{
			controller: key,
			mount:      m.point,
			own:        filepath.Join(m.point, rel),
			readOnly:   m.readOnly,
		})
		// A v1 hierarchy with several of our controllers (cpu,cpuacct is
		// common; memory,pids is possible) serves each of them.
		if key != "" {
			for _, c := range v1Controllers {
				if c != key && slices.Contains(m.superOptions, c) && !seen[c] {
					seen[c] = true
					out = append(out, hierarchy{controller: c, mount: m.point, own: filepath.Join(m.point, rel), readOnly: m.readOnly})
				}
			}
		}
	}
	return out, nil
}

// below returns path relative to root, if path is root or below it.
func below(path, root string) (string, bool) {
	if root == "/" {
		return path, true
	}
	if path == root {
		return "/", true
	}
	if rest, ok := strings.CutPrefix(path, root+"/"); ok {
		return "/" + rest, true
	}
	return "", false
}

// selfPaths reads /proc/self/cgroup: "ID:CONTROLLERS:PATH" per line, the
// v2 hierarchy as "0::PATH". The result maps "" to the v2 path and each v1
// controller to its path.
func selfPaths(b []byte) map[string]string {
	out := map[string]string{}
	for line := range bytes.Lines(b) {
		f := strings.SplitN(strings.TrimSpace(string(line)), ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[0] == "0" && f[1] == "" {
			out[""] = f[2]
			continue
		}
		for c := range strings.SplitSeq(f[1], ",") {
			out[c] = f[2]
		}
	}
	return out
}

type mount struct {
	root, point  string
	fsType       string
	superOptions []string
	readOnly     bool
}

// parseMountInfo reads /proc/self/mountinfo (proc(5)): "ID PARENT MAJ:MIN
// ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS".
func parseMountInfo(b []byte) []mount {
	var out []mount
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := slices.Index(f, "-")
		if sep < 6 || len(f) < sep+4 {
			continue
		}
		options := strings.Split(f[5], ",")
		super := strings.Split(f[sep+3], ",")
		out = append(out, mount{
			root:         unescape(f[3]),
			point:        unescape(f[4]),
			fsType:       f[sep+1],
			superOptions: super,
			readOnly:     slices.Contains(options, "ro") || slices.Contains(super, "ro"),
		})
	}
	return out
}

// unescape undoes mountinfo's octal escapes of space, tab, newline and
// backslash.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			var n byte
			ok := true
			for _, c := range []byte(s[i+1 : i+4]) {
				if c < '0' || c > '7' {
					ok = false
					break
				}
				n = n*8 + c - '0'
			}
			if ok {
				b.WriteByte(n)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
