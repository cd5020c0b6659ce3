package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CreateWith makes the run's cgroup named name with driver d. DriverAuto
// takes soakrun's own cgroup where it gives the run the memory controller;
// where it does not, systemd's delegated scope where systemd manages the
// host, or, as root where it does not, cgroupfs's; and where neither can,
// soakrun's own after all, its description saying why each gave nothing.
// Where soakrun cannot write its own cgroup and systemd does not manage
// the host, it fails as Create does: cgroupfs could write no other.
// description describes the run to systemd (the scope's Description).
func CreateWith(h Host, name string, d Driver, description string) (*Group, error) {
	switch d {
	case DriverOwn:
		return Create(h, name)
	case DriverSystemd:
		g, err := viaSystemd(h, name, description)
		if err != nil {
			return nil, fmt.Errorf("%w: systemd: %w", ErrUnavailable, err)
		}
		return g, nil
	case DriverCgroupfs:
		g, err := viaCgroupfs(h, name)
		if err != nil {
			return nil, fmt.Errorf("%w: cgroupfs: %w", ErrUnavailable, err)
		}
		return g, nil
	}
	own, err := Create(h, name)
	if err == nil && own.HasMemory() {
		return own, nil
	}
	var tried []string
	if err != nil {
		tried = append(tried, Reason(err))
	}
	switch {
	case systemdManaged():
		if own != nil {
			// soakrun may have moved to a leaf of its own cgroup: back
			// where it was, before systemd moves it.
			if uerr := own.Discard(); uerr != nil {
				return nil, fmt.Errorf("%w: undo the cgroup tried first: %w", ErrUnavailable, uerr)
			}
		}
		g, serr := viaSystemd(h, name, description)
		if serr == nil {
			return g, nil // inside the scope, whatever it gave is the best to be had
		}
		tried = append(tried, "systemd: "+serr.Error())
		if err == nil { // soakrun's own cgroup again, as it was before
			if own, err = Create(h, name); err != nil {
				tried = append(tried, Reason(err))
			}
		}
	case err != nil:
		// What kept soakrun from writing its own cgroup (a read-only
		// cgroupfs, no delegation) keeps it from writing any.
		return nil, err
	case os.Geteuid() == 0:
		g, ferr := viaCgroupfs(h, name)
		if ferr == nil && g.HasMemory() {
			if uerr := own.Discard(); uerr != nil {
				return nil, errors.Join(fmt.Errorf("%w: undo the cgroup tried first: %w", ErrUnavailable, uerr), g.Remove())
			}
			return g, nil
		}
		if ferr == nil {
			ferr = errors.Join(errors.New("it gives no memory controller either"), g.Remove())
		}
		tried = append(tried, "cgroupfs: "+ferr.Error())
	default:
		tried = append(tried, "cgroupfs: needs root")
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, strings.Join(tried, "; "))
	}
	own.tried = tried
	return own, nil
}

// viaSystemd moves soakrun into a delegated scope of its own, named for
// the run, and makes the run's cgroup there.
func viaSystemd(h Host, name, description string) (*Group, error) {
	if !systemdManaged() {
		return nil, errors.New("systemd does not manage this host (no /run/systemd/system)")
	}
	unit := name + ".scope"
	if err := enterScope(unit, description); err != nil {
		return nil, err
	}
	g, err := Create(h, name)
	if err != nil {
		return nil, fmt.Errorf("in %s: %w", unit, err)
	}
	g.via = "systemd scope " + unit
	return g, nil
}

// HasMemory reports whether the run's cgroup has the memory controller, in
// the v2 hierarchy or a v1 one: the kernel's charge, OOM kills and peak.
func (g *Group) HasMemory() bool {
	if g.paths.Memory != "" {
		return true
	}
	return g.paths.Unified != "" && slices.Contains(fieldsOf(filepath.Join(g.paths.Unified, "cgroup.controllers")), "memory")
}
