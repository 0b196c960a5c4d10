/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A function that returns no value returns this on success. */
#define OIP_DATABASE_DONE GINT_TO_POINTER (1)

/**
 * OipDatabaseFunc:
 * @db: the connection, used by nothing else while this runs
 * @data: what was given to oip_database_run_async()
 * @error: where to say what failed
 *
 * Runs on the database's worker thread. Returns its result (transfer
 * full), %OIP_DATABASE_DONE when there is nothing to return, or %NULL
 * with @error set on failure.
 */
typedef gpointer (*OipDatabaseFunc) (sqlite3   *db,
                                     gpointer   data,
                                     GError   **error);

#define OIP_TYPE_DATABASE (oip_database_get_type ())
G_DECLARE_FINAL_TYPE (OipDatabase, oip_database, OIP, DATABASE, GObject)

OipDatabase *oip_database_new              (GFile               *file);
GFile       *oip_database_get_file         (OipDatabase         *self);
void         oip_database_set_legacy_store (OipDatabase         *self,
                                            GFile               *file);
void         oip_database_set_quick_check  (OipDatabase         *self,
                                            gboolean             quick_check);
void         oip_database_set_busy_timeout (OipDatabase         *self,
                                            guint                milliseconds);
void         oip_database_open_async       (OipDatabase         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     oip_database_open_finish      (OipDatabase         *self,
                                            GAsyncResult        *result,
                                            GError             **error);
gboolean     oip_database_is_open          (OipDatabase         *self);
gboolean     oip_database_is_persistent    (OipDatabase         *self);
const char  *oip_database_get_notice       (OipDatabase         *self);
void         oip_database_run_async        (OipDatabase         *self,
                                            OipDatabaseFunc      func,
                                            gpointer             data,
                                            GDestroyNotify       data_free,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void         oip_database_run_full_async   (OipDatabase         *self,
                                            OipDatabaseFunc      func,
                                            gpointer             data,
                                            GDestroyNotify       data_free,
                                            GDestroyNotify       result_free,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gpointer     oip_database_run_finish       (OipDatabase         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Helpers for OipDatabaseFunc implementations (worker thread only). */
GError      *oip_database_error            (sqlite3             *db,
                                            int                  rc);
gboolean     oip_database_exec             (sqlite3             *db,
                                            const char          *sql,
                                            GError             **error);
sqlite3_stmt *oip_database_prepare         (sqlite3             *db,
                                            const char          *sql,
                                            GError             **error);
gboolean     oip_database_begin            (sqlite3             *db,
                                            GError             **error);
gboolean     oip_database_commit           (sqlite3             *db,
                                            GError             **error);
void         oip_database_rollback         (sqlite3             *db);
void         oip_database_bind_text        (sqlite3_stmt        *stmt,
                                            int                  index,
                                            const char          *text);
char        *oip_database_column_text      (sqlite3_stmt        *stmt,
                                            int                  column);
char        *oip_database_strv_to_json     (const char * const  *strv);
GStrv        oip_database_strv_from_json   (const char          *text,
                                            gsize                length,
                                            GError             **error);
gint64       oip_database_now              (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
