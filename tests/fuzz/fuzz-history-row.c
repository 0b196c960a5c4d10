/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A push history row as the database hands it back: whatever another
 * program or a damaged file left in it (bytes that are not UTF-8, JSON
 * image lists that are not lists, unknown enum values), the record that
 * comes out has valid UTF-8 everywhere. The input is the row's text
 * columns separated by NUL bytes; its length picks the numbers. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "oip-database-private.h"
#include "oip-history-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define N_FIELDS 13

static sqlite3 *db;
static sqlite3_stmt *insert_push;
static sqlite3_stmt *insert_image;
static sqlite3_stmt *select_push;
static sqlite3_stmt *select_images;

static void
set_up (void)
{
  g_assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
  g_assert (oip_database_migrate (db, NULL));
  g_assert (sqlite3_prepare_v2 (db,
    "INSERT INTO pushes (id, kind, product_id, started_at, outcome, offer_id, client_id, before_images, "
    "  before_color, after_images, after_color, sent_color, error_code, error_message, owner_boot, "
    "  owner_pid, before_known) "
    "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    -1, &insert_push, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db,
    "INSERT INTO push_images (push_id, position, source, url, state, error) VALUES (1, ?1, ?2, ?2, ?3, ?2)",
    -1, &insert_image, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db, "SELECT " OIP_HISTORY_RECORD_COLUMNS " FROM pushes", -1,
                                &select_push, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db, "SELECT " OIP_HISTORY_IMAGE_COLUMNS " FROM push_images ORDER BY position",
                                -1, &select_images, NULL) == SQLITE_OK);
}

static void
assert_valid (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *fields[N_FIELDS] = { NULL };
  int lengths[N_FIELDS] = { 0 };
  const char *start = (const char *) data;
  const char *end = start + size;
  guint n = 0;

  if (db == NULL)
    set_up ();

  while (start <= end && n < N_FIELDS)
    {
      const char *nul = memchr (start, '\0', end - start);
      const char *stop = nul != NULL ? nul : end;

      fields[n] = start;
      lengths[n] = stop - start;
      n++;
      start = stop + 1;
    }

  sqlite3_exec (db, "DELETE FROM pushes; DELETE FROM push_images", NULL, NULL, NULL);

  sqlite3_reset (insert_push);
  sqlite3_bind_int64 (insert_push, 1, (gint64) size % 7 - 2);
  sqlite3_bind_int64 (insert_push, 2, size % 3 == 0 ? G_MAXINT64 : -(gint64) size);
  sqlite3_bind_int64 (insert_push, 3, (gint64) size * 1000003);
  /* Outcomes past the end and before the start, and running with an
   * owner that may or may not exist. */
  sqlite3_bind_int64 (insert_push, 4, (gint64) size % 9 - 2);
  for (guint i = 0; i < 10; i++)
    {
      /* Every third field is a blob: SQLite hands its bytes back as text. */
      if (fields[i] == NULL)
        sqlite3_bind_null (insert_push, 5 + i);
      else if (i % 3 == 2)
        sqlite3_bind_blob (insert_push, 5 + i, fields[i], lengths[i], SQLITE_STATIC);
      else
        sqlite3_bind_text (insert_push, 5 + i, fields[i], lengths[i], SQLITE_STATIC);
    }
  sqlite3_bind_int64 (insert_push, 15, (gint64) size % 5 == 0 ? 1 : (gint64) size);
  sqlite3_bind_int64 (insert_push, 16, (gint64) size);
  g_assert (sqlite3_step (insert_push) == SQLITE_DONE);

  for (guint i = 10; i < N_FIELDS && fields[i] != NULL; i++)
    {
      sqlite3_reset (insert_image);
      sqlite3_bind_int64 (insert_image, 1, i);
      sqlite3_bind_text (insert_image, 2, fields[i], lengths[i], SQLITE_STATIC);
      sqlite3_bind_blob (insert_image, 3, fields[i], lengths[i], SQLITE_STATIC);
      g_assert (sqlite3_step (insert_image) == SQLITE_DONE);
    }

  sqlite3_reset (select_push);
  g_assert (sqlite3_step (select_push) == SQLITE_ROW);
  {
    g_autoptr(OipPushRecord) record = oip_history_record_from_row (select_push);

    sqlite3_reset (select_images);
    while (sqlite3_step (select_images) == SQLITE_ROW)
      g_ptr_array_add (record->images, oip_history_image_from_row (select_images));

    g_assert (record->kind <= OIP_PUSH_KIND_RETRY);
    g_assert (record->outcome <= OIP_PUSH_OUTCOME_INTERRUPTED);
    assert_valid (record->offer_id);
    assert_valid (record->client_id);
    assert_valid (record->before_color);
    assert_valid (record->after_color);
    assert_valid (record->sent_color);
    assert_valid (record->error_code);
    assert_valid (record->error_message);
    for (guint i = 0; record->before_images != NULL && record->before_images[i] != NULL; i++)
      assert_valid (record->before_images[i]);
    for (guint i = 0; record->after_images != NULL && record->after_images[i] != NULL; i++)
      assert_valid (record->after_images[i]);
    for (guint i = 0; i < record->images->len; i++)
      {
        OipPushRecordImage *image = g_ptr_array_index (record->images, i);

        assert_valid (image->source);
        assert_valid (image->url);
        assert_valid (image->state);
        assert_valid (image->error);
      }
  }
  return 0;
}
