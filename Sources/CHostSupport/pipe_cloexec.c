/*
 * pipe2(2) for Subprocess.swift: the Glibc module declares it only under
 * _GNU_SOURCE, which it is not built with.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "host_support.h"

int pqc_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
