/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "oip-bulk-run-private.h"
#include "oip-error.h"
#include "oip-upload-batch.h"
#include "oip-url.h"

/* A bulk run's local files go to the seller's storage once for the whole
 * run, however many products name them: content-addressed, so a file
 * already there is found, not sent again, and one that failed leaves the
 * others going. Files uploaded by an earlier part of the run are not even
 * read again. */

typedef struct
{
  OipBulkRun     *run;
  GPtrArray      *uris;       /* char *: files to upload, each once */
  GHashTable     *images;     /* URI → GPtrArray of OipImageItem that show it */
  GPtrArray      *done;       /* OipBulkFile: uploaded, to record */
  GHashTable     *failed;     /* URI → the error, translated */
  OipS3Client    *storage;
  OipUploadBatch *batch;
  GPtrArray      *batch_uris; /* the current batch's files, in its order */
} Upload;

static void
upload_free (Upload *upload)
{
  g_ptr_array_unref (upload->uris);
  g_hash_table_unref (upload->images);
  g_ptr_array_unref (upload->done);
  g_hash_table_unref (upload->failed);
  g_clear_object (&upload->storage);
  g_clear_object (&upload->batch);
  g_clear_pointer (&upload->batch_uris, g_ptr_array_unref);
  g_free (upload);
}

static void
use_url (Upload     *upload,
         const char *uri,
         const char *url)
{
  GPtrArray *images = g_hash_table_lookup (upload->images, uri);

  for (guint i = 0; images != NULL && i < images->len; i++)
    {
      oip_image_item_set_sent_url (g_ptr_array_index (images, i), url);
      oip_image_item_set_state (g_ptr_array_index (images, i), OIP_IMAGE_STATE_UPLOADED, NULL, NULL);
    }
}

/* Every local image of @item that has no address yet, by file. */
static void
collect_item (Upload      *upload,
              OipBulkItem *item)
{
  for (guint i = 0; i < item->sent_items->len; i++)
    {
      OipImageItem *image = g_ptr_array_index (item->sent_items, i);
      const char *uri = oip_image_item_get_url (image);
      GPtrArray *images;

      if (!oip_url_is_local_file (uri) || oip_image_item_get_sent_url (image) != NULL)
        continue;
      if ((images = g_hash_table_lookup (upload->images, uri)) == NULL)
        {
          images = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (upload->images, g_strdup (uri), images);
          g_ptr_array_add (upload->uris, g_strdup (uri));
        }
      g_ptr_array_add (images, g_object_ref (image));
      if (item->state == OIP_BULK_ITEM_QUEUED)
        oip_bulk_item_set_state (item, OIP_BULK_ITEM_UPLOADING, NULL, NULL, NULL);
    }
}

static void run_batch (GTask *task);

/* Each product whose files are all there goes back to the queue; one
 * with a file that failed fails, with the reason. */
static void
settle_items (Upload *upload)
{
  OipBulkRun *run = upload->run;

  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);
      const char *reason = NULL;

      if (item->state != OIP_BULK_ITEM_UPLOADING)
        continue;
      for (guint j = 0; reason == NULL && item->local_files != NULL && item->local_files[j] != NULL; j++)
        reason = g_hash_table_lookup (upload->failed, item->local_files[j]);
      if (reason != NULL)
        oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, "storage_error", reason, NULL);
      else
        oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
    }
}

static void
on_file_done (OipUploadBatch *batch,
              guint           index,
              Upload         *upload)
{
  const char *uri = g_ptr_array_index (upload->batch_uris, index);
  const char *url = oip_upload_batch_get_url (batch, index);
  OipBulkFile *known;

  if (url == NULL)
    return;
  use_url (upload, uri, url);
  g_ptr_array_add (upload->done, oip_bulk_file_new (uri, 0, 0, url));
  known = oip_bulk_file_new (uri, 0, 0, url);
  g_hash_table_replace (upload->run->files, known->uri, known);
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = oip_upload_batch_run_finish (OIP_UPLOAD_BATCH (source), result, &error);
  GPtrArray *warnings = oip_upload_batch_get_warnings (upload->batch);
  int failed = oip_upload_batch_get_failed_index (upload->batch);

  upload->run->n_uploaded += oip_upload_batch_get_n_uploaded (upload->batch);
  for (guint i = 0; i < warnings->len; i++)
    oip_bulk_run_add_warning (upload->run, g_ptr_array_index (warnings, i));
  if (urls != NULL || failed < 0)
    {
      settle_items (upload);
      if (urls != NULL)
        g_task_return_pointer (task, g_ptr_array_ref (upload->done), (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One file could not be sent: its products fail, the others go on. */
  g_hash_table_insert (upload->failed, g_strdup (g_ptr_array_index (upload->batch_uris, failed)),
                       g_strdup (error->message));
  run_batch (g_steal_pointer (&task));
}

static void
run_batch (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_clear_object (&upload->batch);
  g_clear_pointer (&upload->batch_uris, g_ptr_array_unref);
  upload->batch_uris = g_ptr_array_new ();
  for (guint i = 0; i < upload->uris->len; i++)
    {
      const char *uri = g_ptr_array_index (upload->uris, i);

      if (g_hash_table_contains (upload->failed, uri) || g_hash_table_contains (upload->run->files, uri))
        continue;
      g_ptr_array_add (upload->batch_uris, (gpointer) uri);
      g_ptr_array_add (files, g_file_new_for_uri (uri));
    }
  if (files->len == 0)
    {
      settle_items (upload);
      g_task_return_pointer (task, g_ptr_array_ref (upload->done), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  upload->batch = oip_upload_batch_new (upload->storage, files, 4);
  g_signal_connect (upload->batch, "file-done", G_CALLBACK (on_file_done), upload);
  oip_upload_batch_run_async (upload->batch, g_task_get_cancellable (task), on_batch_done, task);
}

static void
on_storage (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  upload->storage = oip_context_create_storage_client_finish (OIP_CONTEXT (source), result, &error);
  if (upload->storage == NULL)
    {
      /* Without storage no local file goes: those products fail. */
      for (guint i = 0; i < upload->uris->len; i++)
        g_hash_table_insert (upload->failed, g_strdup (g_ptr_array_index (upload->uris, i)),
                             g_strdup (error->message));
      settle_items (upload);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_ptr_array_ref (upload->done), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  run_batch (g_steal_pointer (&task));
}

/**
 * oip_bulk_upload_async:
 *
 * Gives every local image of the queued products its public address:
 * those uploaded earlier in the run from the run's record, the others by
 * uploading each file once. Products whose files cannot be sent fail.
 */
void
oip_bulk_upload_async (OipBulkRun          *run,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (run, cancellable, callback, user_data);
  Upload *upload = g_new0 (Upload, 1);
  guint to_send = 0;

  g_task_set_source_tag (task, oip_bulk_upload_async);
  upload->run = run;
  upload->uris = g_ptr_array_new_with_free_func (g_free);
  upload->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  upload->done = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_file_free);
  upload->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->state == OIP_BULK_ITEM_QUEUED)
        collect_item (upload, item);
    }
  /* Uploaded before, in an earlier part of this run. */
  for (guint i = 0; i < upload->uris->len; i++)
    {
      OipBulkFile *file = g_hash_table_lookup (run->files, g_ptr_array_index (upload->uris, i));

      if (file != NULL && file->url != NULL)
        use_url (upload, file->uri, file->url);
      else
        to_send++;
    }
  if (to_send == 0)
    {
      run_batch (task);
      return;
    }
  oip_bulk_run_set_stage (run, OIP_BULK_STAGE_UPLOADING);
  oip_context_create_storage_client_async (run->context, cancellable, on_storage, task);
}

/**
 * oip_bulk_upload_finish:
 *
 * Returns: (transfer container) (element-type OipBulkFile): the files
 *   uploaded now, to record; %NULL with @error when cancelled
 */
GPtrArray *
oip_bulk_upload_finish (OipBulkRun    *run,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, run), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
