package supervisor

// GuardMain does nothing on Windows: closing the job when soakrun dies
// (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) kills the tree without a guard.
func GuardMain() {}
