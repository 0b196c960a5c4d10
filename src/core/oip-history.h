/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-database.h"

G_BEGIN_DECLS

/* Both enums are stored in the database by value: append only. */
typedef enum
{
  OIP_PUSH_KIND_PUSH,
  OIP_PUSH_KIND_UNDO,
  OIP_PUSH_KIND_RESTORE,
  OIP_PUSH_KIND_RETRY,
} OipPushKind;

typedef enum
{
  OIP_PUSH_OUTCOME_RUNNING,
  OIP_PUSH_OUTCOME_SUCCEEDED,
  OIP_PUSH_OUTCOME_PARTIAL,
  OIP_PUSH_OUTCOME_FAILED,
  OIP_PUSH_OUTCOME_CANCELLED,
  OIP_PUSH_OUTCOME_INTERRUPTED,
  OIP_PUSH_OUTCOME_PENDING,
} OipPushOutcome;

/**
 * OipPushRecordImage:
 * @position: 0-based, in the order sent
 * @source: what the seller added: an https URL or a file:// URI
 * @url: (nullable): the address sent to Ozon (after upload); %NULL if not sent
 * @is_main: whether it was the main image
 * @is_color: whether it was the color image
 * @state: (nullable): the image's final state, a short untranslated name
 *   such as "imported", "failed", "skipped"
 * @error: (nullable): Ozon's message for it
 */
typedef struct
{
  guint     position;
  char     *source;
  char     *url;
  gboolean  is_main;
  gboolean  is_color;
  char     *state;
  char     *error;
} OipPushRecordImage;

/**
 * OipPushRecord:
 * @id: 0 until first saved
 * @kind: a push, or an undo, restore or retry of @source_push_id
 * @source_push_id: undo/restore/retry: the record it came from, else 0
 * @bulk_run_id: 0 unless part of a bulk run
 * @product_id: the product
 * @offer_id: (nullable): its offer_id
 * @client_id: (nullable): the account; never the key
 * @started_at: unix time in microseconds, UTC
 * @finished_at: 0 while running
 * @outcome: how it ended; %OIP_PUSH_OUTCOME_INTERRUPTED when the process
 *   that ran it died
 * @before_known: whether Ozon's images before the push were read
 * @before_images: (nullable): as Ozon had them right before the push, main first
 * @before_color: (nullable): the color image before the push
 * @after_images: (nullable): as Ozon had them after (read back), main
 *   first; %NULL if not read
 * @after_color: (nullable): the color image after
 * @sent_color: (nullable): the color image sent
 * @images: (element-type OipPushRecordImage): what was sent
 * @error_code: (nullable): oip_error_code_name() of the failure
 * @error_message: (nullable): its message
 * @task_id: Ozon's import task, 0 if none
 */
typedef struct
{
  gint64          id;
  OipPushKind     kind;
  gint64          source_push_id;
  gint64          bulk_run_id;
  gint64          product_id;
  char           *offer_id;
  char           *client_id;
  gint64          started_at;
  gint64          finished_at;
  OipPushOutcome  outcome;
  gboolean        before_known;
  GStrv           before_images;
  char           *before_color;
  GStrv           after_images;
  char           *after_color;
  char           *sent_color;
  GPtrArray      *images;
  char           *error_code;
  char           *error_message;
  gint64          task_id;
} OipPushRecord;

OipPushRecordImage *oip_push_record_image_new    (const char                *source);
OipPushRecordImage *oip_push_record_image_copy   (const OipPushRecordImage  *image);
void                oip_push_record_image_free   (OipPushRecordImage        *image);

OipPushRecord *oip_push_record_new             (void);
OipPushRecord *oip_push_record_copy            (const OipPushRecord *record);
void           oip_push_record_free            (OipPushRecord       *record);
guint          oip_push_record_count_images    (const OipPushRecord *record,
                                                const char          *state);
const char    *oip_push_kind_to_string         (OipPushKind          kind);
const char    *oip_push_outcome_to_string      (OipPushOutcome       outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushRecordImage, oip_push_record_image_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushRecord, oip_push_record_free)

#define OIP_TYPE_HISTORY (oip_history_get_type ())
G_DECLARE_FINAL_TYPE (OipHistory, oip_history, OIP, HISTORY, GObject)

OipHistory    *oip_history_new                 (OipDatabase         *db);
OipDatabase   *oip_history_get_database        (OipHistory          *self);
void           oip_history_save_async          (OipHistory          *self,
                                                const OipPushRecord *record,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gint64         oip_history_save_finish         (OipHistory          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           oip_history_list_async          (OipHistory          *self,
                                                gint64               product_id,
                                                guint                limit,
                                                gint64               before_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray     *oip_history_list_finish         (OipHistory          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           oip_history_get_async           (OipHistory          *self,
                                                gint64               id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
OipPushRecord *oip_history_get_finish          (OipHistory          *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
