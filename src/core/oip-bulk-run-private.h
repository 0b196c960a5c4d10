/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "oip-bulk-pacer.h"
#include "oip-bulk-run.h"
#include "oip-database.h"
#include "oip-ozon-results.h"

G_BEGIN_DECLS

/* A bulk run is one class in several files: oip-bulk-run.c (the object,
 * its progress and its public API), oip-bulk-plan.c (looking up and
 * checking, nothing sent), oip-bulk-send.c (uploads, imports, polling,
 * read-back), oip-bulk-store.c (its rows in the database, on the
 * database's thread). They share these structures. */

/**
 * OipBulkRunState:
 *
 * A run's row in the database. Stored by value: append only.
 */
typedef enum
{
  OIP_BULK_RUN_RUNNING,
  OIP_BULK_RUN_PAUSED,
  OIP_BULK_RUN_DONE,
} OipBulkRunState;

struct _OipBulkItem
{
  GObject           parent_instance;

  /* what the input said */
  guint             position;
  OipProductKey     key;
  char             *identifier;
  guint             line;
  char             *location;
  GStrv             given_images;      /* as given, main first */
  char             *given_color;

  /* what Ozon has, and the plan */
  gint64            product_id;
  char             *offer_id;
  char             *name;
  gboolean          before_known;
  GStrv             before;            /* images now, main first */
  char             *before_color;
  GStrv             sources;           /* what is sent: addresses or file:// URIs, main first */
  char             *color_source;
  GStrv             after;             /* planned (sources), then read back */
  char             *after_color;
  GStrv             removed;
  GStrv             local_files;       /* file:// URIs, each once */
  guint64           local_bytes;
  GPtrArray        *problems;          /* char *, translated; NULL-terminated */
  GListStore       *images;            /* OipImageItem: sources in order, then the color one */
  GPtrArray        *sent_items;        /* the same, unowned */
  OipImageItem     *color_item;        /* unowned */

  /* the outcome */
  OipBulkItemState  state;
  char             *error;
  char             *error_code;
  char             *ozon_message;
  gint64            history_id;
  gint64            source_push_id;    /* an undo: the push it undoes */
  guint             n_sent;
  guint             n_imported;
  guint             n_skipped;
  guint             n_failed;

  /* the engine's */
  gint              batch;             /* -1: never sent */
  gint64            task_id;
  guint             readdressed;
  gboolean          check;             /* left mid-send: read back before sending again */
  gboolean          unconfirmed;       /* its import failed without a clear answer */
  gint64            started_at;        /* its push, unix µs */
  gboolean          in_run;            /* pushed by this run (confirmed) */
  int               counted;           /* the state the run counted it in, -1 */
  OipImportState    import_state;
  GPtrArray        *import_errors;     /* char *: Ozon's, for the task */
};

struct _OipBulkRun
{
  GObject           parent_instance;

  OipContext       *context;
  gint64            id;
  OipPushKind       kind;
  gint64            source_run_id;
  char             *source;
  GListStore       *items;             /* OipBulkItem, input order */
  GPtrArray        *input_problems;    /* OipBulkProblem */
  GPtrArray        *warnings;          /* char * */
  OipBulkStage      stage;
  guint             counts[OIP_BULK_ITEM_N_STATES];
  guint             n_to_send;
  guint             n_done;
  guint             n_images;
  double            fraction;
  double            seconds_left;
  double            rate;              /* products a minute, observed */
  gint64            daily_limit;
  gint64            daily_left;
  gint64            per_minute;
  guint             n_local_files;
  guint64           local_bytes;
  guint             n_uploaded;
  gboolean          planned;
  gboolean          confirmed;
  gboolean          readdress;
  guint             minute_ms;
  guint             max_open_tasks;
  gint64            waiting_until;     /* monotonic µs, 0 when not waiting */
  gint64            send_started;      /* monotonic µs */
  guint             done_at_start;     /* already finished when this send began */
  GHashTable       *files;             /* file:// URI → OipBulkFile, uploaded before */
  gboolean          loaded;            /* read back from the database */
  char             *recorded_client;   /* the account a loaded run was made with */

  /* while planning or sending */
  GTask            *task;
  OipOzonClient    *client;
  gpointer          engine;            /* oip-bulk-send.c's */
  guint             tick_id;
};

typedef struct _OipBulkLoaded OipBulkLoaded;

/* oip-bulk-item.c */
OipBulkItem  *oip_bulk_item_new              (guint               position,
                                              OipProductKey       key,
                                              const char         *identifier,
                                              guint               line,
                                              const char         *location);
void          oip_bulk_item_set_product      (OipBulkItem        *self,
                                              OipProduct         *product);
void          oip_bulk_item_set_before       (OipBulkItem        *self,
                                              const char * const *images,
                                              const char         *color);
void          oip_bulk_item_set_sources      (OipBulkItem        *self,
                                              const char * const *sources,
                                              const char         *color_source,
                                              const char * const *sent,
                                              const char         *sent_color);
void          oip_bulk_item_set_after        (OipBulkItem        *self,
                                              const char * const *images,
                                              const char         *color);
void          oip_bulk_item_add_problem      (OipBulkItem        *self,
                                              const char         *message);
void          oip_bulk_item_set_state        (OipBulkItem        *self,
                                              OipBulkItemState    state,
                                              const char         *error_code,
                                              const char         *error,
                                              const char         *ozon_message);
void          oip_bulk_item_set_counts       (OipBulkItem        *self,
                                              guint               n_sent,
                                              guint               n_imported,
                                              guint               n_skipped,
                                              guint               n_failed);
void          oip_bulk_item_set_history_id   (OipBulkItem        *self,
                                              gint64              id);
GStrv         oip_bulk_item_dup_sent         (OipBulkItem        *self,
                                              char              **sent_color);
gboolean      oip_bulk_item_has_intended     (OipBulkItem        *self,
                                              const OipPictures  *pictures);
OipPushRecord *oip_bulk_item_make_record     (OipBulkItem        *self,
                                              OipBulkRun         *run);

/* oip-bulk-run.c */
void          oip_bulk_run_set_stage         (OipBulkRun         *self,
                                              OipBulkStage        stage);
void          oip_bulk_run_recount           (OipBulkRun         *self);
void          oip_bulk_run_update_progress   (OipBulkRun         *self);
void          oip_bulk_run_item_finished     (OipBulkRun         *self,
                                              OipBulkItem        *item);
void          oip_bulk_run_add_warning       (OipBulkRun         *self,
                                              const char         *warning);
void          oip_bulk_run_set_limits        (OipBulkRun         *self,
                                              const OipOzonLimits *limits);
void          oip_bulk_run_return            (OipBulkRun         *self,
                                              GError             *error);
void          oip_bulk_run_set_waiting_until (OipBulkRun         *self,
                                              gint64              until);
void          oip_bulk_run_set_id            (OipBulkRun         *self,
                                              gint64              id);
OipBulkItem  *oip_bulk_run_item_at           (OipBulkRun         *self,
                                              guint               position);
guint         oip_bulk_run_n_items           (OipBulkRun         *self);

OipBulkRun   *oip_bulk_run_undo_from_loaded  (OipContext         *context,
                                              OipBulkLoaded      *loaded);

/* oip-bulk-plan.c */
void          oip_bulk_plan_start            (OipBulkRun         *self);

/* oip-bulk-upload.c */
void          oip_bulk_upload_async          (OipBulkRun         *run,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GPtrArray    *oip_bulk_upload_finish         (OipBulkRun         *run,
                                              GAsyncResult       *result,
                                              GError            **error);

/* oip-bulk-send.c */
void          oip_bulk_send_start            (OipBulkRun         *self);
void          oip_bulk_send_free             (gpointer            engine);

/* oip-bulk-store.c: rows, on the database's thread */

/**
 * OipBulkRow:
 *
 * One product of a run as its row holds it: a copy of an #OipBulkItem
 * that can cross to the database's thread.
 */
typedef struct
{
  guint             position;
  OipProductKey     key;
  char             *identifier;
  guint             line;
  char             *location;
  gint64            product_id;
  char             *offer_id;
  char             *name;
  GStrv             sources;
  char             *color_source;
  GStrv             sent;
  char             *sent_color;
  gboolean          before_known;
  GStrv             before;
  char             *before_color;
  GStrv             after;
  char             *after_color;
  guint64           local_bytes;
  GStrv             problems;
  OipBulkItemState  state;
  gint              batch;
  gint64            task_id;
  gint64            push_id;
  gint64            source_push_id;
  guint             readdressed;
  guint             n_sent;
  guint             n_imported;
  guint             n_skipped;
  guint             n_failed;
  char             *error_code;
  char             *error;
  char             *ozon_message;
  gint64            started_at;        /* its push's, unix µs; 0 unknown */
} OipBulkRow;

/**
 * OipBulkFile:
 * @uri: a local file's file:// URI
 * @size: its size when it was uploaded
 * @mtime: its modification time then (unix µs)
 * @url: (nullable): its public address
 */
typedef struct
{
  char    *uri;
  guint64  size;
  gint64   mtime;
  char    *url;
} OipBulkFile;

/**
 * OipBulkLoaded:
 *
 * A run read back from the database.
 */
struct _OipBulkLoaded
{
  gint64           id;
  OipPushKind      kind;
  gint64           source_run_id;
  char            *client_id;
  char            *source;
  OipBulkRunState  state;
  gboolean         owner_alive;
  GPtrArray       *rows;       /* OipBulkRow */
  GPtrArray       *files;      /* OipBulkFile */
  GPtrArray       *records;    /* OipPushRecord, when asked for */
};

OipBulkRow    *oip_bulk_row_new_from_item    (OipBulkItem        *item);
void           oip_bulk_row_free             (OipBulkRow         *row);
OipBulkItem   *oip_bulk_item_new_from_row    (const OipBulkRow   *row);
OipBulkFile   *oip_bulk_file_new             (const char         *uri,
                                              guint64             size,
                                              gint64              mtime,
                                              const char         *url);
void           oip_bulk_file_free            (OipBulkFile        *file);
void           oip_bulk_loaded_free          (OipBulkLoaded      *loaded);

void           oip_bulk_store_create_async   (OipDatabase        *db,
                                              OipBulkRun         *run,
                                              GPtrArray          *rows,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gint64         oip_bulk_store_create_finish  (OipDatabase        *db,
                                              GAsyncResult       *result,
                                              GError            **error);
void           oip_bulk_store_save_async     (OipDatabase        *db,
                                              gint64              run_id,
                                              GPtrArray          *rows,
                                              GPtrArray          *records,
                                              GPtrArray          *files,
                                              int                 state,
                                              const GError       *run_error,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GArray        *oip_bulk_store_save_finish    (OipDatabase        *db,
                                              GAsyncResult       *result,
                                              GError            **error);
void           oip_bulk_store_load_async     (OipDatabase        *db,
                                              gint64              run_id,
                                              gboolean            with_records,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
OipBulkLoaded *oip_bulk_store_load_finish    (OipDatabase        *db,
                                              GAsyncResult       *result,
                                              GError            **error);
void           oip_bulk_store_list_unfinished_async  (OipDatabase        *db,
                                                      guint               max,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
GPtrArray     *oip_bulk_store_list_unfinished_finish (OipDatabase        *db,
                                                      GAsyncResult       *result,
                                                      GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkRow, oip_bulk_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkLoaded, oip_bulk_loaded_free)

G_END_DECLS
