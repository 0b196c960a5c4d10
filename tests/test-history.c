/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oip-error.h"
#include "oip-history.h"
#include "oip-test-util.h"

/* The push history: records saved and read back whole, lists newest
 * first and by product, and a push whose process died reads as
 * interrupted. */

#define BIG_ID G_GINT64_CONSTANT (9007199254740993)   /* above 2^53 */

static OipHistory *
open_history (void)
{
  g_autoptr(OipDatabase) db = oip_test_database_open (NULL);

  return oip_history_new (db);
}

static void
close_history (OipHistory *history)
{
  g_autoptr(OipDatabase) db = g_object_ref (oip_history_get_database (history));

  oip_test_database_drain (db);
  oip_test_assert_finalize (history);
  oip_test_assert_finalize (g_steal_pointer (&db));
}

static gint64
save (OipHistory          *history,
      const OipPushRecord *record)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  oip_history_save_async (history, record, NULL, oip_test_on_ready, &result);
  id = oip_history_save_finish (history, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static OipPushRecord *
get (OipHistory  *history,
     gint64       id,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_history_get_async (history, id, NULL, oip_test_on_ready, &result);
  return oip_history_get_finish (history, oip_test_wait (&result), error);
}

static GPtrArray *
list (OipHistory *history,
      gint64      product_id,
      guint       limit,
      gint64      before_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  oip_history_list_async (history, product_id, limit, before_id, NULL, oip_test_on_ready, &result);
  records = oip_history_list_finish (history, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static void
add_image (OipPushRecord *record,
           const char    *source,
           const char    *url,
           const char    *state,
           const char    *error)
{
  OipPushRecordImage *image = oip_push_record_image_new (source);

  image->position = record->images->len;
  image->url = g_strdup (url);
  image->state = g_strdup (state);
  image->error = g_strdup (error);
  image->is_main = record->images->len == 0;
  g_ptr_array_add (record->images, image);
}

static OipPushRecord *
sample (gint64 product_id)
{
  OipPushRecord *record = oip_push_record_new ();
  const char *before[] = { "https://cdn.example.net/old-1.jpg", "https://cdn.example.net/old-2.jpg", NULL };

  record->product_id = product_id;
  record->offer_id = g_strdup ("ART-1001");
  record->client_id = g_strdup (TEST_CLIENT_ID);
  record->started_at = g_get_real_time ();
  record->before_known = TRUE;
  record->before_images = g_strdupv ((char **) before);
  record->before_color = g_strdup ("https://cdn.example.net/old-color.jpg");
  add_image (record, "file:///home/seller/Фото/кружка.jpg", "https://bucket.example.net/a1b2.jpg", NULL, NULL);
  add_image (record, "https://cdn.example.net/new-2.jpg", "https://cdn.example.net/new-2.jpg", NULL, NULL);
  add_image (record, "file:///tmp/not-sent.png", NULL, "skipped", NULL);
  return record;
}

static void
test_round_trip (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(OipPushRecord) record = sample (BIG_ID);
  g_autoptr(OipPushRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *after[] = { "https://bucket.example.net/a1b2.jpg", "https://cdn.example.net/new-2.jpg", NULL };
  OipPushRecordImage *image;

  record->kind = OIP_PUSH_KIND_RESTORE;
  record->source_push_id = G_GINT64_CONSTANT (9007199254740995);
  record->bulk_run_id = 7;
  record->sent_color = g_strdup ("https://cdn.example.net/color.jpg");
  record->id = save (history, record);
  g_assert_cmpint (record->id, >, 0);

  loaded = get (history, record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->id, ==, record->id);
  g_assert_cmpint (loaded->kind, ==, OIP_PUSH_KIND_RESTORE);
  g_assert_cmpint (loaded->source_push_id, ==, G_GINT64_CONSTANT (9007199254740995));
  g_assert_cmpint (loaded->bulk_run_id, ==, 7);
  g_assert_cmpint (loaded->product_id, ==, BIG_ID);
  g_assert_cmpstr (loaded->offer_id, ==, "ART-1001");
  g_assert_cmpstr (loaded->client_id, ==, TEST_CLIENT_ID);
  g_assert_cmpint (loaded->started_at, ==, record->started_at);
  g_assert_cmpint (loaded->finished_at, ==, 0);
  g_assert_cmpint (loaded->outcome, ==, OIP_PUSH_OUTCOME_RUNNING);
  g_assert_true (loaded->before_known);
  g_assert_cmpstrv (loaded->before_images, record->before_images);
  g_assert_cmpstr (loaded->before_color, ==, "https://cdn.example.net/old-color.jpg");
  g_assert_null (loaded->after_images);
  g_assert_null (loaded->after_color);
  g_assert_cmpstr (loaded->sent_color, ==, "https://cdn.example.net/color.jpg");
  g_assert_cmpuint (loaded->images->len, ==, 3);
  image = g_ptr_array_index (loaded->images, 0);
  g_assert_cmpuint (image->position, ==, 0);
  g_assert_cmpstr (image->source, ==, "file:///home/seller/Фото/кружка.jpg");
  g_assert_cmpstr (image->url, ==, "https://bucket.example.net/a1b2.jpg");
  g_assert_true (image->is_main);
  g_assert_false (image->is_color);
  image = g_ptr_array_index (loaded->images, 2);
  g_assert_cmpuint (image->position, ==, 2);
  g_assert_null (image->url);
  g_assert_cmpstr (image->state, ==, "skipped");
  g_clear_pointer (&loaded, oip_push_record_free);

  /* Finished: the same record, its images replaced by their final states. */
  record->outcome = OIP_PUSH_OUTCOME_PARTIAL;
  record->finished_at = record->started_at + 4 * G_USEC_PER_SEC;
  record->after_images = g_strdupv ((char **) after);
  record->after_color = g_strdup ("https://cdn.example.net/color.jpg");
  record->task_id = G_GINT64_CONSTANT (9007199254740997);
  record->error_code = g_strdup ("import_failed");
  record->error_message = g_strdup ("Ozon не смог загрузить 1 изображение");
  g_ptr_array_remove_index (record->images, 2);
  g_free (((OipPushRecordImage *) record->images->pdata[0])->state);
  ((OipPushRecordImage *) record->images->pdata[0])->state = g_strdup ("imported");
  g_free (((OipPushRecordImage *) record->images->pdata[1])->state);
  ((OipPushRecordImage *) record->images->pdata[1])->state = g_strdup ("failed");
  ((OipPushRecordImage *) record->images->pdata[1])->error = g_strdup ("Image is too small");
  g_assert_cmpint (save (history, record), ==, record->id);

  loaded = get (history, record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->outcome, ==, OIP_PUSH_OUTCOME_PARTIAL);
  g_assert_cmpint (loaded->finished_at, ==, record->finished_at);
  g_assert_cmpstrv (loaded->after_images, record->after_images);
  g_assert_cmpint (loaded->task_id, ==, G_GINT64_CONSTANT (9007199254740997));
  g_assert_cmpstr (loaded->error_code, ==, "import_failed");
  g_assert_cmpstr (loaded->error_message, ==, "Ozon не смог загрузить 1 изображение");
  g_assert_cmpuint (loaded->images->len, ==, 2);
  g_assert_cmpuint (oip_push_record_count_images (loaded, "imported"), ==, 1);
  g_assert_cmpuint (oip_push_record_count_images (loaded, "failed"), ==, 1);
  g_assert_cmpuint (oip_push_record_count_images (loaded, "skipped"), ==, 0);
  g_assert_cmpuint (oip_push_record_count_images (loaded, NULL), ==, 2);
  g_assert_cmpstr (((OipPushRecordImage *) loaded->images->pdata[1])->error, ==, "Image is too small");

  /* A copy is deep. */
  {
    g_autoptr(OipPushRecord) copy = oip_push_record_copy (loaded);

    g_clear_pointer (&loaded, oip_push_record_free);
    g_assert_cmpuint (copy->images->len, ==, 2);
    g_assert_cmpstr (copy->error_code, ==, "import_failed");
    g_assert_cmpstr (((OipPushRecordImage *) copy->images->pdata[1])->state, ==, "failed");
  }

  close_history (g_steal_pointer (&history));
}

static void
test_not_found (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushRecord) record = get (history, 12345, &error);

  g_assert_null (record);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_PUSH_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "12345"));
  close_history (g_steal_pointer (&history));
}

static void
test_list (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 ids[8];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(OipPushRecord) record = sample (i % 3 == 0 ? BIG_ID : 42);

      record->outcome = OIP_PUSH_OUTCOME_SUCCEEDED;
      record->task_id = i;
      ids[i] = save (history, record);
    }

  all = list (history, 0, 0, 0);
  g_assert_cmpuint (all->len, ==, 8);
  for (guint i = 0; i < all->len; i++)
    {
      OipPushRecord *record = g_ptr_array_index (all, i);

      g_assert_cmpint (record->id, ==, ids[7 - i]);
      g_assert_cmpuint (record->images->len, ==, 3);
    }

  /* Pages of three, newest first. */
  page = list (history, 0, 3, 0);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpint (((OipPushRecord *) page->pdata[0])->id, ==, ids[7]);
  next = list (history, 0, 3, ((OipPushRecord *) page->pdata[2])->id);
  g_assert_cmpuint (next->len, ==, 3);
  g_assert_cmpint (((OipPushRecord *) next->pdata[0])->id, ==, ids[4]);
  g_assert_cmpint (((OipPushRecord *) next->pdata[2])->id, ==, ids[2]);

  /* One product's (0, 3 and 6). */
  one = list (history, BIG_ID, 0, 0);
  g_assert_cmpuint (one->len, ==, 3);
  g_assert_cmpint (((OipPushRecord *) one->pdata[0])->id, ==, ids[6]);
  g_assert_cmpint (((OipPushRecord *) one->pdata[2])->id, ==, ids[0]);
  for (guint i = 0; i < one->len; i++)
    g_assert_cmpint (((OipPushRecord *) one->pdata[i])->product_id, ==, BIG_ID);
  g_clear_pointer (&one, g_ptr_array_unref);
  one = list (history, 7, 0, 0);
  g_assert_cmpuint (one->len, ==, 0);

  close_history (g_steal_pointer (&history));
}

static char *
raw_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ozon-image-push", "ozon-image-push.db", NULL);
}

static void
raw_exec (const char *sql)
{
  g_autofree char *path = raw_path ();
  sqlite3 *raw = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  sqlite3_busy_timeout (raw, 5000);
  if (sqlite3_exec (raw, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (raw);
}

static gint64
raw_outcome (gint64 id)
{
  g_autofree char *path = raw_path ();
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 outcome;

  g_assert_cmpint (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT outcome FROM pushes WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  outcome = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return outcome;
}

/* A running record names its process; while that process lives it stays
 * running, and when it is gone (or its pid now belongs to another
 * process, or the machine restarted) it is interrupted. */
static void
test_owner_gone (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(OipPushRecord) record = sample (42);
  g_autoptr(GSubprocess) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 mine, dead, reused, rebooted;
  gint64 dead_pid;

  mine = save (history, record);
  dead = save (history, record);
  reused = save (history, record);
  rebooted = save (history, record);

  /* A process that has exited and been reaped. It waits for its input to
   * end: one that exits at once can be reaped before its pid is read. */
  gone = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, "cat", NULL);
  g_assert_no_error (error);
  dead_pid = g_ascii_strtoll (g_subprocess_get_identifier (gone), NULL, 10);
  g_assert_cmpint (dead_pid, >, 0);
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (gone), NULL, &error));
  g_assert_true (g_subprocess_wait (gone, NULL, &error));

  sql = g_strdup_printf ("UPDATE pushes SET owner_pid = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE pushes SET owner_started = owner_started + 1 WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE pushes SET owner_boot = 'another-boot' WHERE id = %" G_GINT64_FORMAT,
                         dead_pid, dead, reused, rebooted);
  raw_exec (sql);

  records = list (history, 0, 0, 0);
  g_assert_cmpuint (records->len, ==, 4);
  for (guint i = 0; i < records->len; i++)
    {
      OipPushRecord *listed = g_ptr_array_index (records, i);

      g_assert_cmpint (listed->outcome, ==, listed->id == mine ? OIP_PUSH_OUTCOME_RUNNING
                                                                : OIP_PUSH_OUTCOME_INTERRUPTED);
    }
  /* And stored so. */
  g_assert_cmpint (raw_outcome (mine), ==, OIP_PUSH_OUTCOME_RUNNING);
  g_assert_cmpint (raw_outcome (dead), ==, OIP_PUSH_OUTCOME_INTERRUPTED);
  g_assert_cmpint (raw_outcome (reused), ==, OIP_PUSH_OUTCOME_INTERRUPTED);
  g_assert_cmpint (raw_outcome (rebooted), ==, OIP_PUSH_OUTCOME_INTERRUPTED);

  /* Finished records name no process. */
  record->id = mine;
  record->outcome = OIP_PUSH_OUTCOME_SUCCEEDED;
  save (history, record);
  {
    g_autofree char *path = raw_path ();
    sqlite3 *raw = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT owner_pid, owner_boot IS NULL FROM pushes WHERE id = ?1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_int64 (stmt, 1, mine);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
  }
  close_history (g_steal_pointer (&history));
}

/* Run as a separate process by test_killed_mid_push: records a push the
 * way a job does (running, then each image as it goes) and is killed in
 * the middle. */
static int
pusher_main (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(OipPushRecord) record = sample (42);

  record->id = save (history, record);
  g_print ("%" G_GINT64_FORMAT "\n", record->id);
  fflush (stdout);
  for (guint i = 0; ; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://bucket.example.net/%u.jpg", i);

      add_image (record, url, url, "uploaded", NULL);
      save (history, record);
    }
  return 0;
}

static void
test_killed_mid_push (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) pusher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(OipHistory) history = NULL;
  g_autoptr(OipPushRecord) record = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 id = 0;

  /* The database exists before the pusher starts. */
  history = open_history ();
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  pusher = g_subprocess_launcher_spawn (launcher, &error, self_path, "--pusher", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (pusher));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_nonnull (line);
  g_assert_true (g_ascii_string_to_signed (line, 10, 1, G_MAXINT64, &id, NULL));

  /* While it runs, it is running. */
  record = get (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->outcome, ==, OIP_PUSH_OUTCOME_RUNNING);
  g_clear_pointer (&record, oip_push_record_free);

  g_usleep (200 * 1000);
  g_subprocess_force_exit (pusher);
  g_assert_true (g_subprocess_wait (pusher, NULL, &error));
  g_assert_cmpint (g_subprocess_get_term_sig (pusher), ==, SIGKILL);

  record = get (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->outcome, ==, OIP_PUSH_OUTCOME_INTERRUPTED);
  /* What it had saved is there: what Ozon had before, what went. */
  g_assert_true (record->before_known);
  g_assert_cmpuint (g_strv_length (record->before_images), ==, 2);
  g_assert_cmpuint (record->images->len, >=, 3);
  g_test_message ("%u images recorded before the kill", record->images->len);
  g_assert_cmpint (raw_outcome (id), ==, OIP_PUSH_OUTCOME_INTERRUPTED);

  records = list (history, 42, 0, 0);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (((OipPushRecord *) records->pdata[0])->outcome, ==, OIP_PUSH_OUTCOME_INTERRUPTED);
  close_history (g_steal_pointer (&history));
}

/* Rows another program wrote, or a damaged file: a record still reads,
 * with valid strings and known values. */
static void
test_foreign_rows (void)
{
  g_autoptr(OipHistory) history = open_history ();
  g_autoptr(OipPushRecord) record = sample (42);
  g_autoptr(OipPushRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 id;

  record->outcome = OIP_PUSH_OUTCOME_FAILED;
  id = save (history, record);
  sql = g_strdup_printf ("UPDATE pushes SET before_images = '[[[[', after_images = CAST (X'5b2241ff42225d' AS TEXT), "
                         "  offer_id = CAST (X'41ff42' AS TEXT), kind = 99, outcome = -4 WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE push_images SET source = CAST (X'c3' AS TEXT), state = X'00ff' "
                         "  WHERE push_id = %" G_GINT64_FORMAT, id, id);
  raw_exec (sql);

  loaded = get (history, id, &error);
  g_assert_no_error (error);
  g_assert_null (loaded->before_images);
  /* ["A\xffB"]: the list is read, its string repaired. */
  g_assert_nonnull (loaded->after_images);
  g_assert_cmpuint (g_strv_length (loaded->after_images), ==, 1);
  g_assert_true (g_utf8_validate (loaded->after_images[0], -1, NULL));
  g_assert_true (g_str_has_prefix (loaded->after_images[0], "A"));
  g_assert_true (g_str_has_suffix (loaded->after_images[0], "B"));
  g_assert_true (g_utf8_validate (loaded->offer_id, -1, NULL));
  g_assert_cmpint (loaded->kind, ==, OIP_PUSH_KIND_PUSH);
  g_assert_cmpint (loaded->outcome, ==, OIP_PUSH_OUTCOME_FAILED);
  for (guint i = 0; i < loaded->images->len; i++)
    {
      OipPushRecordImage *image = g_ptr_array_index (loaded->images, i);

      g_assert_true (g_utf8_validate (image->source, -1, NULL));
    }
  close_history (g_steal_pointer (&history));
}

static void
test_names (void)
{
  g_assert_cmpstr (oip_push_kind_to_string (OIP_PUSH_KIND_UNDO), ==, "undo");
  g_assert_cmpstr (oip_push_kind_to_string (OIP_PUSH_KIND_RETRY), ==, "retry");
  g_assert_cmpstr (oip_push_outcome_to_string (OIP_PUSH_OUTCOME_INTERRUPTED), ==, "interrupted");
  g_assert_cmpstr (oip_push_outcome_to_string (OIP_PUSH_OUTCOME_PARTIAL), ==, "partial");
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "--pusher"))
    return pusher_main ();

  oip_test_init (&argc, &argv);

  oip_test_add_func ("/history/round-trip", test_round_trip);
  oip_test_add_func ("/history/not-found", test_not_found);
  oip_test_add_func ("/history/list", test_list);
  oip_test_add_func ("/history/owner-gone", test_owner_gone);
  oip_test_add_func ("/history/killed-mid-push", test_killed_mid_push);
  oip_test_add_func ("/history/foreign-rows", test_foreign_rows);
  oip_test_add_func ("/history/names", test_names);

  return g_test_run ();
}
