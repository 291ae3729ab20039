/*
 * Crash attribution for crash-loop protection (CrashGuard.swift).
 *
 * The host marks the thread that is inside an in-process plugin callback
 * with the plugin's name (pqc_crash_guard_enter/leave: a thread-local store,
 * cheap enough for every parsed line). If that thread then dies of a fatal
 * signal, the handler appends the name to a file opened at start, using only
 * write(2), and hands the signal on to whoever handled it before (the Swift
 * runtime's backtracer, or the default action), so the crash itself is
 * unchanged. On the next start the daemon reads which plugin crashed it.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "host_support.h"

static __thread const char *current_plugin;
static int guard_fd = -1;
static const int guarded[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
static struct sigaction previous[sizeof guarded / sizeof guarded[0]];

void pqc_crash_guard_enter(const char *plugin) { current_plugin = plugin; }
void pqc_crash_guard_leave(void) { current_plugin = NULL; }

static void on_fatal_signal(int sig) {
  const char *name = current_plugin;
  if (name && guard_fd >= 0) {
    ssize_t ignored = write(guard_fd, name, strlen(name));
    ignored = write(guard_fd, "\n", 1);
    (void)ignored;
  }
  for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
    if (guarded[i] == sig) sigaction(sig, &previous[i], NULL);
  }
  /* A fault re-occurs when the handler returns and reaches the previous
   * handler; a raised signal (abort) is raised again, pending until return. */
  if (sig == SIGABRT) raise(sig);
}

int pqc_crash_guard_install(int fd) {
  guard_fd = fd;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_ONSTACK;
  for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
    if (sigaction(guarded[i], &action, &previous[i]) != 0) return -1;
  }
  return 0;
}
