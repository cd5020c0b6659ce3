/*
 * ctrltarget: a Windows console program that records the console control
 * event it gets, for soakrun's Windows tests.
 *
 *   ctrltarget [-child | -child-console] [-ignore-c] [-lines N] [-cat] DIR NAME
 *
 * It prints N numbered lines ("NAME line I"), then "ready NAME PID" (the
 * readiness line of soakrun's test processes), and waits. With -child it
 * first starts a copy of itself named NAME-child on the same console and
 * standard handles (the copy inherits -ignore-c), so a tree of two waits;
 * -child-console starts it on a new console of its own (CREATE_NO_WINDOW).
 * With -cat it copies stdin to stdout before it is ready.
 *
 * On a console event it writes DIR\NAME.txt: the event ("CTRL_C",
 * "CTRL_BREAK", ...), then, unless it ignores the event, "cleanup done", and
 * exits 0. With -ignore-c it records CTRL_C as "CTRL_C ignored" and keeps
 * waiting, to be terminated.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char marker[MAX_PATH];
static int ignore_c;

static const char *event_name(DWORD type) {
	switch (type) {
	case CTRL_C_EVENT: return "CTRL_C";
	case CTRL_BREAK_EVENT: return "CTRL_BREAK";
	case CTRL_CLOSE_EVENT: return "CTRL_CLOSE";
	case CTRL_LOGOFF_EVENT: return "CTRL_LOGOFF";
	case CTRL_SHUTDOWN_EVENT: return "CTRL_SHUTDOWN";
	}
	return "unknown";
}

static void record(const char *line) {
	FILE *f = fopen(marker, "a");
	if (f == NULL) return;
	fprintf(f, "%s\n", line);
	fclose(f);
}

static BOOL WINAPI on_event(DWORD type) {
	if (type == CTRL_C_EVENT && ignore_c) {
		record("CTRL_C ignored");
		return TRUE;
	}
	record(event_name(type));
	record("cleanup done");
	ExitProcess(0);
	return TRUE;
}

static void put(const char *s) {
	DWORD n;
	WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &n, NULL);
}

static void start_child(const char *self, const char *dir, const char *name, DWORD flags) {
	char cmdline[3 * MAX_PATH + 64];
	snprintf(cmdline, sizeof cmdline, "\"%s\" %s\"%s\" \"%s-child\"", self,
		ignore_c ? "-ignore-c " : "", dir, name);
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	ZeroMemory(&si, sizeof si);
	si.cb = sizeof si;
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
	si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
	if (!CreateProcessA(self, cmdline, NULL, NULL, TRUE, flags, NULL, NULL, &si, &pi)) {
		fprintf(stderr, "ctrltarget: start child: error %lu\n", GetLastError());
		exit(2);
	}
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
}

int main(int argc, char **argv) {
	int child = 0, lines = 0, cat = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-child") == 0) child = 1;
		else if (strcmp(argv[i], "-child-console") == 0) child = 2;
		else if (strcmp(argv[i], "-ignore-c") == 0) ignore_c = 1;
		else if (strcmp(argv[i], "-cat") == 0) cat = 1;
		else if (strcmp(argv[i], "-lines") == 0 && i + 1 < argc) lines = atoi(argv[++i]);
		else break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: ctrltarget [-child | -child-console] [-ignore-c] [-lines N] [-cat] DIR NAME\n");
		return 2;
	}
	const char *dir = argv[i], *name = argv[i + 1];
	snprintf(marker, sizeof marker, "%s\\%s.txt", dir, name);
	/* A process started in a new process group has CTRL_C disabled until
	 * it says otherwise; Python and most programs never do, so neither does
	 * this one: the test sees what they would. */
	SetConsoleCtrlHandler(on_event, TRUE);
	if (child) {
		char self[MAX_PATH];
		GetModuleFileNameA(NULL, self, sizeof self);
		start_child(self, dir, name, child == 2 ? CREATE_NO_WINDOW : 0);
	}
	if (cat) {
		char buf[4096];
		DWORD n, w;
		while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf, &n, NULL) && n > 0)
			WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), buf, n, &w, NULL);
	}
	char line[MAX_PATH + 64];
	for (int l = 1; l <= lines; l++) {
		snprintf(line, sizeof line, "%s line %d\n", name, l);
		put(line);
	}
	snprintf(line, sizeof line, "ready %s %lu\n", name, GetCurrentProcessId());
	put(line);
	for (;;) Sleep(INFINITE);
}
