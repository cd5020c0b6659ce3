package main

import "syscall"

// On Windows a detached child gets a process group of its own; inside
// soakrun's job object it still cannot get away.
func detach(newGroup bool) *syscall.SysProcAttr {
	if !newGroup {
		return nil
	}
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
