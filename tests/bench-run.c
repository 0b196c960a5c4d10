/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-run REPORT COMMAND [ARG…]: runs COMMAND and writes "SECONDS
 * PEAK_RSS_KB" to the file REPORT (from fork to exit); exits with
 * COMMAND's status.
 *
 * For bench-upload, which cannot measure the peak memory of a process it
 * starts itself: a child inherits its parent's high-water mark when it
 * calls exec (the kernel keeps the larger of the two), and the bench
 * holds far more than `ozon-push upload` does. This small process forks
 * the command instead, so the mark is the command's own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  struct timespec start, end;
  struct rusage usage;
  FILE *report;
  pid_t pid;
  int status = 0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-run REPORT COMMAND [ARG…]\n");
      return 2;
    }

  clock_gettime (CLOCK_MONOTONIC, &start);
  pid = fork ();
  if (pid < 0)
    return 127;
  if (pid == 0)
    {
      execv (argv[2], argv + 2);
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      return 127;
  clock_gettime (CLOCK_MONOTONIC, &end);

  report = fopen (argv[1], "w");
  if (report == NULL)
    return 127;
  fprintf (report, "%.6f %ld\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9, usage.ru_maxrss);
  fclose (report);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
