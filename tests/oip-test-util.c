/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-test-util.h"

/* Anything a test waits for must come within this, or the test fails
 * instead of hanging CI. */
#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

/* The test program's private directory, and the user dirs in it. */
static char *test_root;
static GSubprocess *test_root_reaper;
static const struct
{
  const char *variable;
  const char *name;
} user_dirs[] = {
  { "HOME", "home" },
  { "XDG_CONFIG_HOME", "config" },
  { "XDG_DATA_HOME", "data" },
  { "XDG_CACHE_HOME", "cache" },
  { "XDG_STATE_HOME", "state" },
};

/* rm -rf, without following symbolic links. */
static void
remove_tree (const char *path)
{
  GStatBuf info;

  if (g_lstat (path, &info) != 0)
    return;
  if (S_ISDIR (info.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/**
 * oip_test_empty_dirs:
 *
 * Empties HOME and the user dirs of oip_test_isolate_dirs(): each test
 * starts from nothing, as with G_TEST_OPTION_ISOLATE_DIRS. Fixtures call
 * it first; oip_test_add_func() does for plain tests.
 */
void
oip_test_empty_dirs (void)
{
  g_assert_nonnull (test_root);
  for (guint i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_root, user_dirs[i].name, NULL);

      remove_tree (path);
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
    }
}

static void
new_session (gpointer data)
{
  setsid ();
}

/**
 * oip_test_isolate_dirs:
 *
 * Points HOME and the XDG user dirs (config, data, cache, state) into a
 * private temporary directory; call it before anything reads them (GLib
 * keeps the first answer). The system's dirs stay as they are
 * (G_TEST_OPTION_ISOLATE_DIRS replaces XDG_DATA_DIRS too): GdkPixbuf on
 * glycin finds its image loaders there, once per process, GLib its MIME
 * database and GTK its icon themes.
 *
 * The directory goes when the program ends, however it ends (a failed
 * assertion, a crash, kill -9, meson's timeout): a shell in a session of
 * its own waits for the end of a pipe that only this program holds, then
 * removes it.
 */
void
oip_test_isolate_dirs (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GError) error = NULL;

  g_assert_null (test_root);
  test_root = g_dir_make_tmp ("oip-test-XXXXXX", &error);
  g_assert_no_error (error);

  g_subprocess_launcher_set_child_setup (launcher, new_session, NULL, NULL);
  /* Never closed: the pipe's end is this process's end. */
  test_root_reaper = g_subprocess_launcher_spawn (launcher, &error, "/bin/sh", "-c",
                                                  "cat >/dev/null; exec rm -rf -- \"$0\"",
                                                  test_root, NULL);
  g_assert_no_error (error);

  oip_test_empty_dirs ();
  for (guint i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_root, user_dirs[i].name, NULL);

      g_setenv (user_dirs[i].variable, path, TRUE);
    }
}

/**
 * oip_test_init:
 *
 * g_test_init() with the test program's own home and user dirs, see
 * oip_test_isolate_dirs(). Tests added with oip_test_add_func() each
 * start with them empty.
 */
void
oip_test_init (int    *argc,
               char ***argv)
{
  oip_test_isolate_dirs ();
  g_test_init (argc, argv, NULL);
}

static void
run_in_empty_dirs (gconstpointer data)
{
  const GTestFunc *func = data;

  oip_test_empty_dirs ();
  (*func) ();
}

/**
 * oip_test_add_func:
 *
 * g_test_add_func(), with HOME and the user dirs emptied before the test
 * runs, as each test of G_TEST_OPTION_ISOLATE_DIRS gets new ones.
 */
void
oip_test_add_func (const char *path,
                   GTestFunc   func)
{
  g_assert_nonnull (test_root);
  g_test_add_data_func_full (path, g_memdup2 (&func, sizeof func), run_in_empty_dirs, g_free);
}

void
oip_test_on_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Blocking iterations, so that I/O runs at full speed; a timer wakes the
 * loop now and then to check the deadline. */
static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;
  guint timer = g_timeout_add (100, wake_up, NULL);

  while (!done (data))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_source_remove (timer);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

GAsyncResult *
oip_test_wait (GAsyncResult **result)
{
  iterate_until (result_set, result);
  return *result;
}

void
oip_test_wait_until (gboolean *flag)
{
  iterate_until (flag_set, flag);
}

gint64
oip_test_wait_elapsed_ms (GAsyncResult **result)
{
  gint64 start = g_get_monotonic_time ();

  oip_test_wait (result);
  return (g_get_monotonic_time () - start) / 1000;
}

/**
 * oip_test_assert_finalize:
 *
 * g_assert_finalize_object(), after giving worker threads (GTask's
 * thread pool) the moment they take to drop their references once the
 * result is already back on the main loop.
 */
void
oip_test_assert_finalize (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (G_OBJECT (object)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (object);
}

/**
 * oip_test_fake_new:
 *
 * A started fake with one product (214365879, ART-1001, three images of
 * its own) and import tasks that stay pending for two polls.
 */
OipFakeOzon *
oip_test_fake_new (void)
{
  g_autoptr(OipFakeOzon) fake = oip_fake_ozon_new (TEST_CLIENT_ID, TEST_API_KEY);
  g_autoptr(GError) error = NULL;

  g_assert_true (oip_fake_ozon_start (fake, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (oip_fake_ozon_get_base_url (fake), "http://127.0.0.1:"));
  oip_fake_ozon_add_sample_products (fake);
  return g_steal_pointer (&fake);
}

/**
 * oip_test_client_new:
 *
 * A client for @fake with short back-off, so retry tests stay quick.
 */
OipOzonClient *
oip_test_client_new (OipFakeOzon *fake)
{
  g_autoptr(GError) error = NULL;
  OipOzonClient *client = oip_ozon_client_new (oip_fake_ozon_get_base_url (fake),
                                               TEST_CLIENT_ID, TEST_API_KEY, &error);

  g_assert_no_error (error);
  oip_ozon_client_set_retry_delay (client, 10);
  oip_ozon_client_set_timeout (client, 10);
  return client;
}

/**
 * oip_test_database_open:
 * @file: (nullable): the file; %NULL for the default one in the test's
 *   data dir
 *
 * Returns: (transfer full): the database, opened on disk (asserted)
 */
OipDatabase *
oip_test_database_open (GFile *file)
{
  g_autoptr(OipDatabase) db = oip_database_new (file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  oip_database_open_async (db, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_database_open_finish (db, oip_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (oip_database_is_persistent (db));
  return g_steal_pointer (&db);
}

static gpointer
nothing (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  return OIP_DATABASE_DONE;
}

/**
 * oip_test_database_drain:
 *
 * Waits until everything asked of @db so far has finished and been
 * delivered (a refresh of a recent list, say), so that objects waiting
 * for it can be finalized.
 */
void
oip_test_database_drain (OipDatabase *db)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_database_run_async (db, nothing, NULL, NULL, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_database_run_finish (db, oip_test_wait (&result), NULL) == OIP_DATABASE_DONE);
  /* Completions are delivered in order; let any queued behind it run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * oip_test_store_put:
 *
 * Stores @product, asserting it worked.
 */
void
oip_test_store_put (OipProductStore *store,
                    OipProduct      *product)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  oip_product_store_put_async (store, product, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_product_store_put_finish (store, oip_test_wait (&result), &error));
  g_assert_no_error (error);
}

/**
 * oip_test_store_lookup:
 *
 * Returns: (transfer full) (nullable): the stored product, or %NULL with
 *   @error
 */
OipProduct *
oip_test_store_lookup (OipProductStore  *store,
                       gint64            product_id,
                       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

  oip_product_store_lookup_async (store, OIP_PRODUCT_KEY_PRODUCT_ID, id, NULL, oip_test_on_ready, &result);
  return oip_product_store_lookup_finish (store, oip_test_wait (&result), error);
}

/**
 * oip_test_store_with_product:
 *
 * A store in the test's own data dir holding @product_id, downloaded
 * through @client as the app would.
 */
OipProductStore *
oip_test_store_with_product (OipFakeOzon   *fake,
                             OipOzonClient *client,
                             gint64         product_id)
{
  g_autoptr(OipDatabase) db = oip_test_database_open (NULL);
  g_autoptr(OipProductStore) store = oip_product_store_new (db);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

  oip_ozon_client_get_product_async (client, OIP_PRODUCT_KEY_PRODUCT_ID, id, NULL, oip_test_on_ready, &result);
  product = oip_ozon_client_get_product_finish (client, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  oip_test_store_put (store, product);
  return g_steal_pointer (&store);
}

/**
 * oip_test_run_cli:
 * @env: (nullable): NAME=VALUE pairs to set, NAME= to unset
 * @stdin_text: (nullable): what to write to its standard input
 * @args: the arguments after `ozon-push`
 *
 * Runs the real `ozon-push` binary with the test's data dirs, as a script
 * would, and asserts that the test Api-Key is in nothing it prints.
 *
 * Returns: its exit status
 */
static int
run_cli_full (const char * const *env,
              const char         *stdin_text,
              const char         *stdin_path,
              const char * const *args,
              char              **out,
              char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("OZON_PUSH_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new ((stdin_path == NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      if (pair[1] == NULL || *pair[1] == '\0')
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
      else
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text, NULL, oip_test_on_ready, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, oip_test_wait (&result), out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  g_test_message ("ozon-push %s: exit %d\nstdout: %s\nstderr: %s", args[0],
                  g_subprocess_get_exit_status (process), *out, *err);
  g_assert_null (strstr (*out, TEST_API_KEY));
  g_assert_null (strstr (*err, TEST_API_KEY));
  return g_subprocess_get_exit_status (process);
}

int
oip_test_run_cli (const char * const *env,
                  const char         *stdin_text,
                  const char * const *args,
                  char              **out,
                  char              **err)
{
  return run_cli_full (env, stdin_text, NULL, args, out, err);
}

/**
 * oip_test_run_cli_stdin_file:
 * @stdin_path: what standard input reads, such as `/dev/zero`
 *
 * Like oip_test_run_cli(), with standard input from a file or a device.
 */
int
oip_test_run_cli_stdin_file (const char * const *env,
                             const char         *stdin_path,
                             const char * const *args,
                             char              **out,
                             char              **err)
{
  return run_cli_full (env, NULL, stdin_path, args, out, err);
}

/**
 * oip_test_spawn_cli:
 * @fake: the fake Ozon server the command talks to, with the test's
 *   credentials from the environment
 * @args: the arguments after `ozon-push`
 *
 * Starts the real `ozon-push` with the test's data dirs and does not wait,
 * so that several can run at once. Wait with oip_test_wait_cli().
 *
 * Returns: (transfer full): the running process
 */
GSubprocess *
oip_test_spawn_cli (OipFakeOzon        *fake,
                    const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("OZON_PUSH_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "OZON_API_URL", oip_fake_ozon_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "OZON_CLIENT_ID", TEST_CLIENT_ID, TRUE);
  g_subprocess_launcher_setenv (launcher, "OZON_API_KEY", TEST_API_KEY, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/**
 * oip_test_wait_cli:
 * @out: (out) (optional): its standard output
 * @err: (out) (optional): its standard error
 *
 * Returns: the exit status of a process from oip_test_spawn_cli()
 */
int
oip_test_wait_cli (GSubprocess  *process,
                   char        **out,
                   char        **err)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_subprocess_communicate_utf8_async (process, NULL, NULL, oip_test_on_ready, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, oip_test_wait (&result),
                                                       &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("ozon-push died of signal %d\nstdout: %s\nstderr: %s",
             g_subprocess_get_term_sig (process), stdout_text, stderr_text);
  g_assert_null (strstr (stdout_text, TEST_API_KEY));
  g_assert_null (strstr (stderr_text, TEST_API_KEY));
  if (g_subprocess_get_exit_status (process) != 0)
    g_test_message ("ozon-push: exit %d\nstdout: %s\nstderr: %s",
                    g_subprocess_get_exit_status (process), stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

/**
 * oip_test_s3_start:
 *
 * Returns: (transfer full) (nullable): the running fake, or %NULL when
 *   Node.js or its aws4 package is not installed here (the test then
 *   skips, unless `OZON_PUSH_REQUIRE_S3_FAKE` is set, as in CI)
 */
OipTestS3 *
oip_test_s3_start (const char *access_key_id,
                   const char *secret_access_key,
                   const char *bucket)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "fake-s3.js", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  OipTestS3 *s3;
  guint64 port = 0;

  if (node == NULL)
    {
      g_assert_null (g_getenv ("OZON_PUSH_REQUIRE_S3_FAKE"));
      return NULL;
    }

  s3 = g_new0 (OipTestS3, 1);
  /* Its standard input stays open while the test runs: the fake exits
   * when it closes, so it never outlives a crashed test. */
  s3->process = g_subprocess_launcher_spawn (launcher, &error, node, script, access_key_id,
                                             secret_access_key, "auto", bucket, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s3->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, oip_test_on_ready, &result);
  line = g_data_input_stream_read_line_finish_utf8 (out, oip_test_wait (&result), NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, "PORT ") ||
      !g_ascii_string_to_unsigned (line + 5, 10, 1, 65535, &port, NULL))
    {
      /* No aws4 module: node exits with an error and no port. */
      g_assert_null (g_getenv ("OZON_PUSH_REQUIRE_S3_FAKE"));
      oip_test_s3_stop (s3);
      return NULL;
    }

  s3->endpoint = g_strdup_printf ("http://127.0.0.1:%" G_GUINT64_FORMAT, port);
  s3->public_url = g_strdup_printf ("http://127.0.0.1:%" G_GUINT64_FORMAT "/public", port);
  return s3;
}

void
oip_test_s3_stop (OipTestS3 *s3)
{
  if (s3 == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (s3->process), NULL, NULL);
  g_subprocess_force_exit (s3->process);
  g_clear_object (&s3->process);
  g_free (s3->endpoint);
  g_free (s3->public_url);
  g_free (s3);
}

static GBytes *
control (OipTestS3  *s3,
         const char *method,
         const char *path)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  g_autofree char *url = g_strconcat (s3->endpoint, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, oip_test_on_ready, &result);
  body = soup_session_send_and_read_finish (session, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  return body;
}

/**
 * oip_test_s3_stats:
 *
 * Returns: (transfer full): request counts: put, head, get, delete,
 *   refused (bad signatures), and objects stored
 */
JsonObject *
oip_test_s3_stats (OipTestS3 *s3)
{
  g_autoptr(GBytes) body = control (s3, "GET", "/__stats");
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The next @count signed requests answer 500. */
void
oip_test_s3_fail_next (OipTestS3 *s3,
                       guint      count)
{
  g_autofree char *path = g_strdup_printf ("/__fail?n=%u", count);
  g_autoptr(GBytes) body = control (s3, "POST", path);
}

/* A fake Ozon in a thread of its own */

struct _OipTestFakeThread
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  OipFakeOzon  *fake;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
};

static gpointer
fake_thread_main (gpointer data)
{
  OipTestFakeThread *self = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);
  self->fake = oip_fake_ozon_new (TEST_CLIENT_ID, TEST_API_KEY);
  g_assert_true (oip_fake_ozon_start (self->fake, &error));
  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_main_loop_run (self->loop);
  g_clear_object (&self->fake);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * oip_test_fake_thread_start:
 *
 * A started fake (no products) serving from its own thread and main
 * context, so that its answers do not wait for the test's main loop (a
 * benchmark's or a timing test's). Touch it only through
 * oip_test_fake_thread_invoke().
 */
OipTestFakeThread *
oip_test_fake_thread_start (void)
{
  OipTestFakeThread *self = g_new0 (OipTestFakeThread, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fake-ozon", fake_thread_main, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

typedef struct
{
  OipTestFakeThread *self;
  void             (*func) (OipFakeOzon *fake, gpointer data);
  gpointer           data;
  gboolean           done;
} FakeCall;

static gboolean
fake_call (gpointer user_data)
{
  FakeCall *call = user_data;

  call->func (call->self->fake, call->data);
  g_mutex_lock (&call->self->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->self->cond);
  g_mutex_unlock (&call->self->lock);
  return G_SOURCE_REMOVE;
}

/**
 * oip_test_fake_thread_invoke:
 *
 * Runs @func with the fake in the fake's thread, and waits for it.
 */
void
oip_test_fake_thread_invoke (OipTestFakeThread  *self,
                             void              (*func) (OipFakeOzon *fake, gpointer data),
                             gpointer            data)
{
  FakeCall call = { self, func, data, FALSE };

  g_main_context_invoke (self->context, fake_call, &call);
  g_mutex_lock (&self->lock);
  while (!call.done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

/**
 * oip_test_fake_thread_get_base_url:
 *
 * Returns: (transfer full): the fake's address
 */
char *
oip_test_fake_thread_get_base_url (OipTestFakeThread *self)
{
  return g_strdup (oip_fake_ozon_get_base_url (self->fake));
}

void
oip_test_fake_thread_stop (OipTestFakeThread *self)
{
  if (self == NULL)
    return;
  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * oip_test_write_jpeg:
 * @name: the file's name in the user cache dir
 * @color: RGBA, the whole picture's
 *
 * A real JPEG made here (nothing binary is kept in git).
 *
 * Returns: (transfer full): its file:// address
 */
char *
oip_test_write_jpeg (const char *name,
                     guint       width,
                     guint       height,
                     guint32     color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  gdk_pixbuf_fill (pixbuf, color);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL));
  g_assert_no_error (error);
  return g_filename_to_uri (path, NULL, NULL);
}

/**
 * oip_test_use_demo_bucket:
 *
 * Points @context's storage at the bucket @fake serves, as the demo does.
 */
void
oip_test_use_demo_bucket (OipContext  *context,
                          OipFakeOzon *fake)
{
  g_autoptr(OipStorageConfig) storage = oip_storage_config_new ();

  storage->endpoint = g_strdup (oip_fake_ozon_get_base_url (fake));
  storage->bucket = g_strdup ("demo-bucket");
  storage->public_url = g_strconcat (oip_fake_ozon_get_base_url (fake), "/storage", NULL);
  storage->access_key_id = g_strdup ("demo");
  storage->secret_access_key = g_strdup ("demo-storage-secret");
  oip_context_set_storage (context, storage);
}
