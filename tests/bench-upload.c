/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-s3-client.h"
#include "oip-test-util.h"
#include "oip-upload-batch.h"

/* Benchmark (not a test): uploading N_FILES JPEG files of about 5 MB to
 * the loopback S3 fake (tests/fake-s3.js: one Node.js process that checks
 * every signature with npm aws4 and every body against its
 * x-amz-content-sha256), three ways, in the same run:
 *
 * - ours, library: an OipUploadBatch, as the app runs it;
 * - ours, CLI: `ozon-push upload FILE…`, a real process, start to exit,
 *   as a seller would run it;
 * - curl: one `curl --aws-sigv4` process per file, one after the other.
 *
 * Inside every timing, each file is read, its SHA-256 computed (curl 7.88
 * does not send x-amz-content-sha256 itself: the bench reads the file and
 * computes it, with the same SHA-256 code as ours, just before each
 * curl), and PUT to the fake under a key made of that hash, with the same
 * headers. Ours also checks each picture and asks HEAD before PUT: a
 * fresh prefix per run means the HEAD always misses and every file is
 * sent. The case where they are already there (ours only sends HEAD;
 * curl cannot know) is timed apart, right after each of our runs.
 *
 * The files are written before the first run and read once more by an
 * untimed warm-up run of each side, so every timed run reads them from a
 * warm page cache. Runs are interleaved, in an order rotated each round
 * (each side takes each place once in as many rounds as there are
 * sides), and given as median, min and max. The fake forgets its objects
 * after every run.
 *
 * The main loop's longest stall is measured in the library runs; the
 * CLI's peak memory through tests/bench-run.c.
 *
 * Everything the bench writes is in one temporary directory, removed at
 * the end, and by a watcher process if the bench dies (assertion, signal,
 * kill -9). OZON_PUSH_BENCH_ROUNDS sets the number of rounds (3);
 * OZON_PUSH_BENCH_OTHER_CLI adds another build's ozon-push to compare. */

#define N_FILES 30
#define ACCESS_KEY "AKIABENCHMARK0000001"
#define SECRET_KEY "bench-secret-key-0123456789"
#define BUCKET "bench"
#define TARGET 1.5

/* OTHER_CLI only with OZON_PUSH_BENCH_OTHER_CLI: another build's
 * ozon-push (say, before a change), timed in the same rounds. */
enum { SIDE_LIBRARY, SIDE_CLI, SIDE_CURL, SIDE_OTHER_CLI, N_SIDES };

static const char *side_names[N_SIDES] = { "ours, library", "ours, CLI", "curl loop", "other build, CLI" };
static const char *short_names[N_SIDES] = { "lib", "cli", "curl", "other" };

typedef struct
{
  OipTestS3  *s3;
  char       *dir;
  GPtrArray  *paths;      /* char *, the pictures */
  guint64     total;      /* their bytes */
  char       *curl;
  char       *cli;
  char       *other_cli;  /* nullable */
  char       *run;        /* bench-run, which measures the CLI's memory */
  char      **cli_env;
  guint       parallel;
  gint64      longest_stall;    /* between two ticks of the main loop */
  gint64      longest_busy;     /* main-thread CPU time between two ticks */
  long        max_rss_kb[N_SIDES];  /* of the CLI sides */
} Bench;

/* The bench's directory, made by a shell that removes it when this
 * process goes, however it ends (assertion, signal, kill -9): the shell
 * waits for its standard input, a pipe only this process holds open
 * (close-on-exec), to close. It makes the directory itself, so there is
 * no moment when the directory exists unwatched. */
static GSubprocess *
watch_directory (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *watcher = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                           "/bin/sh", "-c",
                                           "dir=$(mktemp -d \"${TMPDIR:-/tmp}/oip-bench-upload-XXXXXX\") || exit 1; "
                                           "echo \"$dir\"; cat >/dev/null; rm -rf -- \"$dir\"", NULL);

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watcher));
  *dir = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*dir);
  g_assert_true (g_path_is_absolute (*dir) && g_file_test (*dir, G_FILE_TEST_IS_DIR));
  return watcher;
}

static void
remove_directory (Bench       *bench,
                  GSubprocess *watcher)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (watcher), NULL, NULL);
  g_assert_true (g_subprocess_wait (watcher, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (bench->dir, G_FILE_TEST_EXISTS));
}

static GBytes *
make_photo (guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2100, 2800);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < 2800; y++)
    for (int x = 0; x < 2100 * 3; x++)
      pixels[y * stride + x] = (guint8) ((x / 3 + y) / 16 + g_rand_int_range (rand, 0, 96));
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, "quality", "93", NULL));
  return g_bytes_new_take (buffer, size);
}

/* The fake drops what it stores (its memory stays bounded run after run). */
static void
forget_objects (Bench *bench)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  g_autofree char *url = g_strconcat (bench->s3->endpoint, "/__forget", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, oip_test_on_ready, &result);
  body = soup_session_send_and_read_finish (session, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 204);
}

/* Runs @argv with posix_spawn (as cheap for curl as for ours) and waits;
 * its output goes to files in the bench's directory. */
static int
run_process (Bench       *bench,
             const char **argv,
             char       **env)
{
  g_autofree char *out = g_build_filename (bench->dir, "stdout", NULL);
  g_autofree char *err = g_build_filename (bench->dir, "stderr", NULL);
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int status = 0;
  int ret;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen (&actions, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ret = posix_spawn (&pid, argv[0], &actions, NULL, (char **) argv, env);
  posix_spawn_file_actions_destroy (&actions);
  g_assert_cmpint (ret, ==, 0);
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *text = NULL;

      g_file_get_contents (err, &text, NULL, NULL);
      g_printerr ("%s failed (status %d): %s\n", argv[0], status, text ? text : "");
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Objects are named PREFIX/SHA256.jpg on every side. */
static char *
prefix_for (guint       round,
            const char *side)
{
  return g_strdup_printf ("round%u-%s/", round, side);
}

/* The main loop's pulse: a 5 ms timer. A long gap between two ticks is
 * a stall; the main thread's CPU time over it tells whether our code kept
 * it busy or it waited for a CPU (the machine's other load). */
static gint64 last_tick;
static gint64 last_cpu;
static gint64 longest_gap;
static gint64 longest_busy;

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (last_tick > 0)
    {
      longest_gap = MAX (longest_gap, now - last_tick);
      longest_busy = MAX (longest_busy, cpu - last_cpu);
    }
  last_tick = now;
  last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static double
run_library (Bench      *bench,
             const char *prefix,
             guint       expect_uploaded)
{
  g_autoptr(OipStorageConfig) config = oip_storage_config_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OipS3Client) client = NULL;
  g_autoptr(OipUploadBatch) batch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  gint64 start;
  double seconds;
  guint timer;

  g_free (config->prefix);
  config->prefix = g_strdup (prefix);
  config->endpoint = g_strdup (bench->s3->endpoint);
  config->bucket = g_strdup (BUCKET);
  config->public_url = g_strdup (bench->s3->public_url);
  config->access_key_id = g_strdup (ACCESS_KEY);
  config->secret_access_key = g_strdup (SECRET_KEY);

  /* Inside the timing: what the app does once the seller has chosen the
   * files. */
  start = g_get_monotonic_time ();
  client = oip_s3_client_new (config, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bench->paths->len; i++)
    g_ptr_array_add (files, g_file_new_for_path (g_ptr_array_index (bench->paths, i)));
  batch = oip_upload_batch_new (client, files, bench->parallel);

  last_tick = 0;
  longest_gap = 0;
  longest_busy = 0;
  timer = g_timeout_add (5, tick, NULL);
  oip_upload_batch_run_async (batch, NULL, oip_test_on_ready, &result);
  urls = oip_upload_batch_run_finish (batch, oip_test_wait (&result), &error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (timer);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (urls), ==, bench->paths->len);
  g_assert_cmpuint (oip_upload_batch_get_n_uploaded (batch), ==, expect_uploaded);
  bench->longest_stall = MAX (bench->longest_stall, longest_gap);
  bench->longest_busy = MAX (bench->longest_busy, longest_busy);
  return seconds;
}

static double
run_cli (Bench      *bench,
         const char *cli,
         const char *prefix,
         long       *max_rss_kb)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (bench->cli_env), "OZON_PUSH_S3_PREFIX", prefix, TRUE);
  g_autofree char *out_path = g_build_filename (bench->dir, "stdout", NULL);
  g_autofree char *report_path = g_build_filename (bench->dir, "report", NULL);
  g_autofree char *out = NULL;
  g_autofree char *report = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) figures = NULL;
  gint64 start;
  double seconds;

  /* Timed here, bench-run's own start included. */
  g_ptr_array_add (argv, bench->run);
  g_ptr_array_add (argv, report_path);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "upload");
  for (guint i = 0; i < bench->paths->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (bench->paths, i));
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  g_assert_cmpint (run_process (bench, (const char **) argv->pdata, env), ==, 0);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_assert_true (g_file_get_contents (report_path, &report, NULL, NULL));
  figures = g_strsplit (g_strstrip (report), " ", 2);
  g_assert_cmpuint (g_strv_length (figures), ==, 2);
  *max_rss_kb = MAX (*max_rss_kb, (long) g_ascii_strtoll (figures[1], NULL, 10));

  /* One public URL a line, in the files' order. */
  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, bench->paths->len);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *start_of_url = g_strconcat (bench->s3->public_url, "/", prefix, NULL);

      g_assert_true (g_str_has_prefix (lines[i], start_of_url));
    }
  return seconds;
}

static double
run_curl (Bench      *bench,
          const char *prefix)
{
  g_autofree char *user = g_strdup_printf ("%s:%s", ACCESS_KEY, SECRET_KEY);
  g_auto(GStrv) env = g_get_environ ();
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < bench->paths->len; i++)
    {
      const char *path = g_ptr_array_index (bench->paths, i);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autofree char *hash = NULL;
      g_autofree char *header = NULL;
      g_autofree char *url = NULL;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

        hash = oip_s3_client_hash (bytes);
      }
      header = g_strdup_printf ("x-amz-content-sha256: %s", hash);
      url = g_strdup_printf ("%s/%s/%s%s.jpg", bench->s3->endpoint, BUCKET, prefix, hash);
      {
        /* curl asks "Expect: 100-continue" (Node answers at once): turning
         * it off with -H "Expect:" makes curl 7.88 sign an empty Expect
         * header, which the fake refuses. */
        const char *argv[] = { bench->curl, "-sS", "-f", "-o", "/dev/null", "--aws-sigv4", "aws:amz:auto:s3",
                               "--user", user, "-H", header, "-H", "Content-Type: image/jpeg",
                               "-H", "Cache-Control: public, max-age=31536000, immutable",
                               "--upload-file", path, url, NULL };

        g_assert_cmpint (run_process (bench, argv, env), ==, 0);
      }
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

static gint64
count_puts (Bench *bench)
{
  g_autoptr(JsonObject) stats = oip_test_s3_stats (bench->s3);

  g_assert_cmpint (json_object_get_int_member (stats, "refused"), ==, 0);
  return json_object_get_int_member (stats, "put");
}

/* With @again, the files are already there under @round's prefix. */
static double
run_side (Bench    *bench,
          guint     side,
          guint     round,
          gboolean  again)
{
  g_autofree char *prefix = prefix_for (round, short_names[side]);
  gint64 puts = count_puts (bench);
  double seconds = 0;

  switch (side)
    {
    case SIDE_LIBRARY:
      seconds = run_library (bench, prefix, again ? 0 : bench->paths->len);
      break;
    case SIDE_CLI:
      seconds = run_cli (bench, bench->cli, prefix, &bench->max_rss_kb[side]);
      break;
    case SIDE_OTHER_CLI:
      seconds = run_cli (bench, bench->other_cli, prefix, &bench->max_rss_kb[side]);
      break;
    case SIDE_CURL:
      seconds = run_curl (bench, prefix);
      break;
    default:
      g_assert_not_reached ();
    }
  /* Every file reached the fake, signed right; or none, when there. */
  g_assert_cmpint (count_puts (bench), ==, puts + (again ? 0 : bench->paths->len));
  return seconds;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_autoptr(GArray) sorted = g_array_copy (times);

  g_array_sort (sorted, compare_doubles);
  if (sorted->len % 2 == 1)
    return g_array_index (sorted, double, sorted->len / 2);
  return (g_array_index (sorted, double, sorted->len / 2 - 1) + g_array_index (sorted, double, sorted->len / 2)) / 2;
}

static void
print_row (Bench      *bench,
           const char *name,
           GArray     *times,
           double      curl_median)
{
  double low = G_MAXDOUBLE, high = 0, mid = median (times);

  for (guint i = 0; i < times->len; i++)
    {
      low = MIN (low, g_array_index (times, double, i));
      high = MAX (high, g_array_index (times, double, i));
    }
  g_print ("  %-34s %6.2f s %6.2f s %6.2f s %7.1f MB/s", name, mid, low, high, bench->total / 1e6 / mid);
  if (curl_median > 0)
    g_print ("   %5.2f×", curl_median / mid);
  g_print ("\n");
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_autoptr(GSubprocess) watcher = NULL;
  GArray *times[N_SIDES] = { NULL };
  GArray *skip_times[N_SIDES] = { NULL };
  guint n_sides;
  const char *rounds_text = g_getenv ("OZON_PUSH_BENCH_ROUNDS");
  guint rounds = rounds_text ? (guint) g_ascii_strtoull (rounds_text, NULL, 10) : 3;
  double curl_median;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  /* GIO's socket debugging would fill the log. */
  g_log_set_debug_enabled (FALSE);
  rounds = MAX (rounds, 1);
  bench.curl = g_find_program_in_path ("curl");
  bench.cli = g_strdup (g_getenv ("OZON_PUSH_CLI"));
  bench.run = g_strdup (g_getenv ("OZON_PUSH_BENCH_RUN"));
  bench.other_cli = g_strdup (g_getenv ("OZON_PUSH_BENCH_OTHER_CLI"));
  n_sides = bench.other_cli != NULL ? N_SIDES : SIDE_OTHER_CLI;
  bench.parallel = OIP_UPLOAD_BATCH_PARALLEL;
  if (bench.curl == NULL || bench.cli == NULL || bench.run == NULL)
    {
      g_print ("1..0 # SKIP curl is not installed, or OZON_PUSH_CLI or OZON_PUSH_BENCH_RUN is not set\n");
      return 0;
    }
  bench.s3 = oip_test_s3_start (ACCESS_KEY, SECRET_KEY, BUCKET);
  if (bench.s3 == NULL)
    {
      g_print ("1..0 # SKIP Node.js with the aws4 package is not installed\n");
      return 0;
    }

  watcher = watch_directory (&bench.dir);

  /* The CLI's environment: the storage from variables (no keyring), its
   * own empty data directories inside the bench's. */
  bench.cli_env = g_get_environ ();
  {
    const char *vars[][2] = {
      { "AWS_ENDPOINT_URL_S3", bench.s3->endpoint },
      { "AWS_ACCESS_KEY_ID", ACCESS_KEY },
      { "AWS_SECRET_ACCESS_KEY", SECRET_KEY },
      { "OZON_PUSH_S3_BUCKET", BUCKET },
      { "OZON_PUSH_S3_PUBLIC_URL", bench.s3->public_url },
    };
    const char *dirs[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME" };

    for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
      bench.cli_env = g_environ_setenv (bench.cli_env, vars[i][0], vars[i][1], TRUE);
    for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
      {
        g_autofree char *path = g_build_filename (bench.dir, "home", dirs[i], NULL);

        g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
        bench.cli_env = g_environ_setenv (bench.cli_env, dirs[i], path, TRUE);
      }
  }

  bench.paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autoptr(GBytes) photo = make_photo (i);
      char *path = g_strdup_printf ("%s/photo-%02u.jpg", bench.dir, i);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), NULL));
      g_ptr_array_add (bench.paths, path);
      bench.total += g_bytes_get_size (photo);
    }

  g_print ("Upload of %d JPEG files, %.1f MB in all (%.1f MB each), to the loopback S3 fake (Node.js, "
           "checks every SigV4 signature with aws4 and every body's SHA-256).\n"
           "Inside every timing, each side reads every file, computes its SHA-256 and PUTs it, signed, "
           "under PREFIX/SHA256.jpg with a fresh prefix per run:\n"
           "  ours, library: OipUploadBatch, %u files at a time; each file also checked; HEAD (misses) then PUT\n"
           "  ours, CLI:     `ozon-push upload` with the %d paths, a new process each run, start to exit\n"
           "  curl loop:     per file, the bench reads it and hashes it (ours: oip_s3_client_hash), then runs one\n"
           "                 `curl --aws-sigv4` (7.88 sends no x-amz-content-sha256 itself)\n"
           "%s%s%s"
           "Page cache warm for all: files written just before, then one untimed warm-up run of each side.\n"
           "%u rounds, interleaved, the order rotated each round; the fake forgets its objects after each run.\n\n",
           N_FILES, bench.total / 1e6, bench.total / 1e6 / N_FILES, bench.parallel, N_FILES,
           bench.other_cli ? "  other build, CLI: the same as ours, CLI, with " : "",
           bench.other_cli ? bench.other_cli : "", bench.other_cli ? "\n" : "", rounds);

  /* Warm-up: each side once, not counted. */
  for (guint side = 0; side < n_sides; side++)
    {
      run_side (&bench, side, 0, FALSE);
      forget_objects (&bench);
    }
  bench.longest_stall = 0;
  bench.longest_busy = 0;
  memset (bench.max_rss_kb, 0, sizeof bench.max_rss_kb);

  for (guint side = 0; side < n_sides; side++)
    {
      times[side] = g_array_new (FALSE, FALSE, sizeof (double));
      skip_times[side] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  for (guint round = 1; round <= rounds; round++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "round %u:", round);
      for (guint place = 0; place < n_sides; place++)
        {
          guint side = (place + n_sides - (round - 1) % n_sides) % n_sides;
          double seconds = run_side (&bench, side, round, FALSE);

          g_array_append_val (times[side], seconds);
          g_string_append_printf (line, "  %s %.2f s", side_names[side], seconds);

          /* The same files again, same prefix: ours finds them there. */
          if (side != SIDE_CURL)
            {
              seconds = run_side (&bench, side, round, TRUE);
              g_array_append_val (skip_times[side], seconds);
            }
          forget_objects (&bench);
        }
      g_print ("%s\n", line->str);
    }

  curl_median = median (times[SIDE_CURL]);
  g_print ("\n  %-34s %8s %8s %8s %12s   %s\n", "every file sent", "median", "min", "max", "rate", "vs curl");
  for (guint side = 0; side < n_sides; side++)
    print_row (&bench, side_names[side], times[side], side == SIDE_CURL ? 0 : curl_median);
  g_print ("\n  %-34s\n", "already uploaded (HEAD only; curl cannot skip: its row above stands)");
  for (guint side = 0; side < n_sides; side++)
    if (side != SIDE_CURL)
      print_row (&bench, side_names[side], skip_times[side], curl_median);

  g_print ("\nmain loop while uploading (library, a 5 ms timer): longest gap between ticks %.0f ms; "
           "most main-thread CPU time within one gap %.1f ms (the rest of a gap is waiting for a CPU)\n",
           bench.longest_stall / 1000.0, bench.longest_busy / 1000.0);
  for (guint side = SIDE_CLI; side < n_sides; side++)
    if (side != SIDE_CURL)
      g_print ("peak RSS of `ozon-push upload` (%s; %d files, %.0f MB), highest of its runs: %.0f MB\n",
               side_names[side], N_FILES, bench.total / 1e6, bench.max_rss_kb[side] / 1024.0);
  for (guint side = SIDE_LIBRARY; side <= SIDE_CLI; side++)
    {
      double ratio = curl_median / median (times[side]);

      g_print ("target, %s at least %.1f× the curl loop (medians): %.2f× %s\n",
               side_names[side], TARGET, ratio, ratio >= TARGET ? "met" : "MISSED");
    }

  oip_test_s3_stop (bench.s3);
  remove_directory (&bench, watcher);
  for (guint side = 0; side < n_sides; side++)
    {
      g_array_unref (times[side]);
      g_array_unref (skip_times[side]);
    }
  g_strfreev (bench.cli_env);
  g_ptr_array_unref (bench.paths);
  g_free (bench.dir);
  g_free (bench.curl);
  g_free (bench.cli);
  g_free (bench.other_cli);
  g_free (bench.run);
  return 0;
}
