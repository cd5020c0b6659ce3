package winjob

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Job is a job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and no
// breakaway: nothing started inside it can leave it.
type Job struct{ h windows.Handle }

// Create makes a new anonymous job.
func Create() (*Job, error) {
	h, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("create job object: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{
			LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
		},
	}
	if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("set kill-on-close on job: %w", err)
	}
	return &Job{h: h}, nil
}

// Assign puts the process pid into the job.
func (j *Job) Assign(pid uint32) error {
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		return fmt.Errorf("open process %d: %w", pid, err)
	}
	defer windows.CloseHandle(p)
	if err := windows.AssignProcessToJobObject(j.h, p); err != nil {
		return fmt.Errorf("assign process %d to job: %w", pid, err)
	}
	return nil
}

// basicProcessIDList mirrors JOBOBJECT_BASIC_PROCESS_ID_LIST, which
// x/sys/windows lacks, with room for n ids.
type basicProcessIDList struct {
	Assigned uint32
	InList   uint32
	IDs      [1]uintptr
}

// Pids lists the processes in the job now.
func (j *Job) Pids() ([]uint32, error) {
	for n := 64; n <= 1<<20; n *= 4 {
		buf := make([]byte, 8+n*int(unsafe.Sizeof(uintptr(0))))
		err := windows.QueryInformationJobObject(j.h, windows.JobObjectBasicProcessIdList,
			uintptr(unsafe.Pointer(&buf[0])), uint32(len(buf)), nil)
		if errors.Is(err, windows.ERROR_MORE_DATA) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list job processes: %w", err)
		}
		list := (*basicProcessIDList)(unsafe.Pointer(&buf[0]))
		ids := unsafe.Slice(&list.IDs[0], list.InList)
		out := make([]uint32, len(ids))
		for i, id := range ids {
			out[i] = uint32(id)
		}
		return out, nil
	}
	return nil, errors.New("list job processes: too many")
}

// Terminate ends every process in the job.
func (j *Job) Terminate(exitCode uint32) error {
	if err := windows.TerminateJobObject(j.h, exitCode); err != nil {
		return fmt.Errorf("terminate job: %w", err)
	}
	return nil
}

// Close releases the job; any process still in it is killed.
func (j *Job) Close() error { return windows.CloseHandle(j.h) }

var ntResumeProcess = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtResumeProcess")

// Resume lets a process created with CREATE_SUSPENDED run, once it is in
// the job: no grandchild can be born before the job holds its parent.
func Resume(pid uint32) error {
	p, err := windows.OpenProcess(windows.PROCESS_SUSPEND_RESUME, false, pid)
	if err != nil {
		return fmt.Errorf("open process %d: %w", pid, err)
	}
	defer windows.CloseHandle(p)
	if st, _, _ := ntResumeProcess.Call(uintptr(p)); st != 0 {
		return fmt.Errorf("resume process %d: NTSTATUS %#x", pid, st)
	}
	return nil
}

// PeakMemory is the most committed memory the job's processes held at once,
// in bytes, over the job's life: what a tree peaked at, members long gone
// included.
func (j *Job) PeakMemory() (uint64, error) {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	if err := windows.QueryInformationJobObject(j.h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil); err != nil {
		return 0, fmt.Errorf("query job memory: %w", err)
	}
	return uint64(info.PeakJobMemoryUsed), nil
}
